"""The chat in two browsers: a visitor on a phone and an employee at a desk."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Page, WebSocketRoute, expect

from vangnet.accounts.models import Role
from vangnet.chat.models import Conversation
from vangnet.contacts.models import Channel, Contact
from vangnet.testing.factories import (
    PostcodeFactory,
    RegionFactory,
    confirmed_totp_device,
    make_user,
    national_desk,
)

from .conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 700}


@pytest.fixture
def utrecht():  # type: ignore[no-untyped-def]
    region = RegionFactory.create(name="Utrecht")
    PostcodeFactory.create(code="3511", municipality__region=region)
    national_desk()
    return region


def employee_at_queue(new_page: Callable[[], Page], region, first_name: str) -> Page:  # type: ignore[no-untyped-def]
    user = make_user(Role.ADVICE_DESK, region=region, first_name=first_name)
    page = new_page()
    log_in(page, user, confirmed_totp_device(user))
    page.goto("/staff/chat/")
    page.get_by_role("button", name="Zet op beschikbaar").click()
    expect(page.get_by_text("U staat op beschikbaar: nieuwe chats")).to_be_visible()
    return page


def visitor_starts_chat(page: Page, nickname: str = "Sam") -> None:
    page.set_viewport_size(PHONE)
    page.goto("/chat/")
    page.get_by_label("Hoe mogen we je noemen?").fill(nickname)
    page.get_by_label("Leeftijd").fill("14")
    page.get_by_label("De 4 cijfers van je postcode").fill("3511")
    page.get_by_role("button", name="Start de chat").click()


def test_a_chat_from_intake_to_outcome_survives_a_dropped_connection(
    new_page: Callable[[], Page], utrecht, asgi_server, console_errors
):  # type: ignore[no-untyped-def]
    console_errors.expect_failed_load(f"{asgi_server.url}/chat/")  # the refused intake: 400
    desk = employee_at_queue(new_page, utrecht, "Marieke")
    expect(desk.get_by_text("Er wacht nu niemand.")).to_be_visible()

    phone = new_page()
    sockets: list[WebSocketRoute] = []

    def through(ws: WebSocketRoute) -> None:  # lets the test cut the line, like a tunnel
        ws.connect_to_server()
        sockets.append(ws)

    phone.route_web_socket("**/ws/chat/", through)
    phone.set_viewport_size(PHONE)
    phone.goto("/chat/")
    phone.get_by_label("Leeftijd").fill("3")
    phone.get_by_label("De 4 cijfers van je postcode").fill("12")
    phone.get_by_role("button", name="Start de chat").click()
    expect(phone.get_by_text("Vul een leeftijd in vanaf 6 jaar.")).to_be_visible()
    expect(phone.get_by_text("Dit is geen geldige postcode.")).to_be_visible()

    visitor_starts_chat(phone)
    expect(phone.get_by_role("status")).to_contain_text("Je bent nummer 1 in de wachtrij.")

    # The queue updates without a reload.
    desk.get_by_role("button", name="Aannemen: Sam").click()
    expect(desk.get_by_role("heading", level=1)).to_have_text("Chat met Sam")
    expect(phone.get_by_role("status")).to_contain_text("Je chat met Marieke van Veilig Thuis.")

    phone.get_by_label("Jouw bericht").fill("Mijn ouders maken steeds ruzie")
    phone.get_by_label("Jouw bericht").press("Enter")
    expect(desk.locator("#chat-messages")).to_contain_text("Mijn ouders maken steeds ruzie")
    desk.get_by_label("Bericht", exact=True).fill("Wat goed dat je dit vertelt, Sam.")
    desk.get_by_role("button", name="Verstuur").click()
    expect(phone.locator("#chat-messages")).to_contain_text("Wat goed dat je dit vertelt, Sam.")
    expect(desk.locator("#chat-presence")).to_have_text("verbonden")

    # The visitor's connection drops (a tunnel); the employee writes on meanwhile.
    sockets[-1].close()
    expect(desk.locator("#chat-presence")).to_have_text("niet verbonden")
    desk.get_by_label("Bericht", exact=True).fill("Ben je er nog?")
    desk.get_by_role("button", name="Verstuur").click()
    expect(desk.locator("#chat-messages")).to_contain_text("Ben je er nog?")

    # It comes back by itself, and the missed message is there exactly once.
    expect(phone.locator("#chat-messages li", has_text="Ben je er nog?")).to_have_count(1)
    expect(desk.locator("#chat-presence")).to_have_text("verbonden")
    assert len(sockets) >= 2
    expect(phone.locator("#chat-messages li", has_text="Mijn ouders")).to_have_count(1)

    desk.get_by_label("Wie chatte er?").select_option("child")
    desk.get_by_label("Getuige van huiselijk geweld").check()
    desk.get_by_label("Vraag of zorg").fill("Jongen van 14, ouders maken ruzie.")
    desk.get_by_label("Gegeven advies").fill("Besproken met wie hij kan praten: zijn mentor.")
    desk.get_by_role("button", name="Chat afsluiten").click()

    expect(desk.get_by_text("De chat is afgesloten en geregistreerd")).to_be_visible()
    expect(phone.get_by_role("status")).to_have_text("De medewerker heeft de chat afgesloten.")
    expect(phone.get_by_label("Jouw bericht")).to_be_hidden()
    contact = Contact.objects.get()
    assert contact.channel == Channel.CHAT and contact.region == utrecht
    assert contact.forms_of_violence == ["witnessing"]


def test_two_employees_accepting_the_same_chat(new_page: Callable[[], Page], utrecht):  # type: ignore[no-untyped-def]
    first = employee_at_queue(new_page, utrecht, "Marieke")
    second = new_page()
    user = make_user(Role.ADVICE_DESK, region=utrecht, first_name="Ahmed")
    # The second desk's live updates are held back, so it still shows the chat when it clicks.
    second.route_web_socket("**/ws/staff/chat/queue/**", lambda ws: None)
    log_in(second, user, confirmed_totp_device(user))
    phone = new_page()
    visitor_starts_chat(phone, nickname="Noor")
    expect(phone.get_by_role("status")).to_contain_text("in de wachtrij")
    second.goto("/staff/chat/")
    # Both desks show the waiting chat before either clicks (under load the second desk's
    # queue may otherwise arrive after the first desk accepted).
    expect(second.get_by_role("button", name="Aannemen: Noor")).to_be_visible()

    first.get_by_role("button", name="Aannemen: Noor").click()
    second.get_by_role("button", name="Aannemen: Noor").click()

    expect(first.get_by_role("heading", level=1)).to_have_text("Chat met Noor")
    expect(second.get_by_text("Een collega heeft deze chat al aangenomen.")).to_be_visible()
    assert Conversation.objects.get().assigned_to.first_name == "Marieke"


def test_quick_exit_in_a_chat_leaves_and_the_employee_sees_it(
    new_page: Callable[[], Page], utrecht, settings, live_server, console_errors
):  # type: ignore[no-untyped-def]
    # A local plain-text page stands in for the neutral site; the browser asks it for an icon.
    settings.VANGNET_NEUTRAL_EXIT_URL = f"{live_server.url}/robots.txt"
    console_errors.expect_failed_load(f"{live_server.url}/favicon.ico")
    desk = employee_at_queue(new_page, utrecht, "Marieke")
    phone = new_page()
    visitor_starts_chat(phone)
    desk.get_by_role("button", name="Aannemen: Sam").click()
    expect(phone.get_by_role("status")).to_contain_text("Je chat met Marieke")

    phone.keyboard.press("Escape")
    phone.keyboard.press("Escape")

    expect(phone).to_have_url(settings.VANGNET_NEUTRAL_EXIT_URL)
    expect(desk.locator("#chat-state")).to_have_text("Bezoeker vertrokken")
    expect(desk.locator("#chat-messages")).to_contain_text("snel weg")
    phone.go_back()
    expect(phone.get_by_text("Mijn ouders")).to_have_count(0)
