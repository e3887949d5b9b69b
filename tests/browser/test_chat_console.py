"""The employee's console: several chats on one screen, drafts kept, standard texts, and a
chat left behind by a closed browser that a colleague finishes (ADR 0033)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from vangnet.accounts.models import Role
from vangnet.chat import assignment
from vangnet.chat.models import Availability, Conversation, ConversationStatus, StandardText
from vangnet.contacts.models import Contact
from vangnet.testing.factories import (
    PostcodeFactory,
    RegionFactory,
    confirmed_totp_device,
    make_user,
    national_desk,
)

from .conftest import check_page, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 700}
DESK = {"width": 1400, "height": 900}


@pytest.fixture
def utrecht():  # type: ignore[no-untyped-def]
    region = RegionFactory.create(name="Utrecht")
    PostcodeFactory.create(code="3511", municipality__region=region)
    national_desk()
    return region


def employee_at_console(new_page: Callable[[], Page], region, first_name: str) -> Page:  # type: ignore[no-untyped-def]
    user = make_user(Role.ADVICE_DESK, region=region, first_name=first_name)
    page = new_page()
    page.set_viewport_size(DESK)
    log_in(page, user, confirmed_totp_device(user))
    page.goto("/staff/chat/")
    page.get_by_role("button", name="Zet op beschikbaar").click()
    expect(page.get_by_text("U staat op beschikbaar: nieuwe chats")).to_be_visible()
    page.get_by_role("link", name="Open de chatconsole").click()
    expect(page.get_by_role("heading", name="Chatconsole")).to_be_visible()
    return page


def visitor_starts_chat(page: Page, nickname: str) -> None:
    page.set_viewport_size(PHONE)
    page.goto("/chat/")
    page.get_by_label("Hoe mogen we je noemen?").fill(nickname)
    page.get_by_label("Leeftijd").fill("14")
    page.get_by_label("De 4 cijfers van je postcode").fill("3511")
    page.get_by_role("button", name="Start de chat").click()
    expect(page.get_by_role("status")).to_contain_text("in de wachtrij")


def in_worker(job: Callable[[], int]) -> int:
    """Run `job` as the worker would: in a thread of its own, without Playwright's loop (the
    events it publishes go out through the channel layer)."""
    from django.db import connection

    result: list[int] = []

    def run() -> None:
        try:
            result.append(job())
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(timeout=30)
    return result[0]


def visitor_says(page: Page, text: str) -> None:
    page.get_by_label("Jouw bericht").fill(text)
    page.get_by_label("Jouw bericht").press("Enter")


def test_one_employee_handles_two_chats_at_once_without_losing_a_draft(
    new_page: Callable[[], Page], utrecht
):  # type: ignore[no-untyped-def]
    StandardText.objects.create(
        title="Welkom", body="Fijn dat je er bent. Waar wil je over praten?"
    )
    desk = employee_at_console(new_page, utrecht, "Marieke")
    expect(desk.get_by_text("Neem een chat aan om te beginnen.")).to_be_visible()
    sam, lisa = new_page(), new_page()
    visitor_starts_chat(sam, "Sam")
    visitor_starts_chat(lisa, "Lisa")
    expect(desk.locator("#console-waiting-count")).to_have_text("2 chats wachten")

    desk.get_by_role("button", name="Volgende aannemen").click()
    expect(desk.get_by_role("heading", name="Chat met Sam")).to_be_visible()
    expect(sam.get_by_role("status")).to_contain_text("Je chat met Marieke")
    desk.keyboard.press("Alt+n")  # the next one, from the keyboard
    expect(desk.get_by_role("heading", name="Chat met Lisa")).to_be_visible()
    expect(lisa.get_by_role("status")).to_contain_text("Je chat met Marieke")
    expect(desk.locator("#console-capacity")).to_have_text("2 van 2 chats")
    check_page(desk)

    # A draft for Sam, then over to Lisa with the keyboard.
    desk.keyboard.press("Alt+ArrowUp")
    expect(desk.get_by_role("heading", name="Chat met Sam")).to_be_visible()
    desk.get_by_label("Bericht", exact=True).filter(visible=True).fill("Ik lees even mee, Sam")
    desk.keyboard.press("Alt+ArrowDown")
    expect(desk.get_by_role("heading", name="Chat met Lisa")).to_be_visible()

    # Sam writes while Lisa's chat is in front: the tab and the title say so.
    visitor_says(sam, "Ben je er nog?")
    sam_tab = desk.locator("[data-chat-tab]", has_text="Sam")
    expect(sam_tab).to_contain_text("1 nieuw")
    expect(desk).to_have_title("(1) Chatconsole — Vangnet")

    # A standard text for Lisa: found with the keyboard, edited, sent.
    desk.keyboard.press("Alt+t")
    desk.get_by_label("Zoek een standaardtekst").filter(visible=True).fill("welkom")
    desk.keyboard.press("Enter")
    message_box = desk.get_by_label("Bericht", exact=True).filter(visible=True)
    expect(message_box).to_have_value("Fijn dat je er bent. Waar wil je over praten?")
    message_box.press("End")
    message_box.type(" Neem je tijd, Lisa.")
    message_box.press("Enter")
    expect(lisa.locator("#chat-messages")).to_contain_text(
        "Fijn dat je er bent. Waar wil je over praten? Neem je tijd, Lisa."
    )

    # Back to Sam: the draft is still there, and the new message was seen.
    sam_tab.click()
    expect(desk.get_by_label("Bericht", exact=True).filter(visible=True)).to_have_value(
        "Ik lees even mee, Sam"
    )
    expect(sam_tab).not_to_contain_text("nieuw")
    expect(
        desk.locator("#chat-pane-" + str(Conversation.objects.get(nickname="Sam").pk))
    ).to_contain_text("Ben je er nog?")
    desk.keyboard.press("Enter")
    expect(sam.locator("#chat-messages")).to_contain_text("Ik lees even mee, Sam")
    check_page(desk)


def test_a_chat_left_behind_by_a_closed_browser_is_finished_by_a_colleague(
    new_page: Callable[[], Page], utrecht
):  # type: ignore[no-untyped-def]
    first = employee_at_console(new_page, utrecht, "Marieke")
    phone = new_page()
    visitor_starts_chat(phone, "Sam")
    first.get_by_role("button", name="Volgende aannemen").click()
    expect(phone.get_by_role("status")).to_contain_text("Je chat met Marieke")
    visitor_says(phone, "Mijn ouders maken steeds ruzie")
    expect(first.locator("[data-chat-pane]")).to_contain_text("Mijn ouders maken steeds ruzie")
    first.get_by_label("Bericht", exact=True).filter(visible=True).fill(
        "Wat goed dat je het vertelt."
    )
    first.get_by_label("Bericht", exact=True).filter(visible=True).press("Enter")
    expect(phone.locator("#chat-messages")).to_contain_text("Wat goed dat je het vertelt.")

    # Marieke's browser closes; her console's heartbeat stops, and the set time passes.
    first.context.close()
    chat = Conversation.objects.get()
    Availability.objects.filter(user=chat.assigned_to).update(
        heartbeat_at=timezone.now() - timedelta(minutes=5)
    )
    assert in_worker(assignment.return_stale_chats) == 1  # what the chat's sweep does

    expect(phone.locator("#chat-messages")).to_contain_text("verder met een collega")
    second = employee_at_console(new_page, utrecht, "Ahmed")
    expect(second.locator("#console-waiting-count")).to_have_text("1 chat wacht")
    second.get_by_role("button", name="Volgende aannemen").click()
    pane = second.locator("[data-chat-pane]")
    # The whole conversation came along.
    expect(pane).to_contain_text("Mijn ouders maken steeds ruzie")
    expect(pane).to_contain_text("Wat goed dat je het vertelt.")
    expect(phone.get_by_role("status")).to_contain_text("Je chat met Ahmed")
    second.get_by_label("Bericht", exact=True).filter(visible=True).fill(
        "Ik ben Ahmed, ik neem het over."
    )
    second.get_by_label("Bericht", exact=True).filter(visible=True).press("Enter")
    expect(phone.locator("#chat-messages")).to_contain_text("Ik ben Ahmed, ik neem het over.")

    # Ahmed finishes: the closing registration is in the side panel, reached with Alt+K.
    second.keyboard.press("Alt+k")
    second.get_by_label("Wie chatte er?").select_option("child")
    second.get_by_label("Getuige van huiselijk geweld").check()
    second.get_by_label("Vraag of zorg").fill("Jongen van 14, ouders maken ruzie.")
    second.get_by_label("Gegeven advies").fill("Besproken met wie hij kan praten.")
    second.get_by_role("button", name="Chat afsluiten").click()
    expect(second.get_by_text("De chat is afgesloten en geregistreerd")).to_be_visible()
    expect(second.get_by_role("heading", name="Chatconsole")).to_be_visible()
    chat.refresh_from_db()
    assert chat.status == ConversationStatus.CLOSED and chat.assigned_to.first_name == "Ahmed"
    assert Contact.objects.get().region == utrecht


def test_a_team_lead_sees_the_floor_live_looks_into_a_chat_with_a_reason_and_takes_it_over(
    new_page: Callable[[], Page], utrecht, asgi_server, console_errors
):  # type: ignore[no-untyped-def]
    from vangnet.audit.models import AccessLogAction, AccessLogEntry

    lead_user = make_user(Role.TEAM_LEAD, region=utrecht, first_name="Petra")
    lead = new_page()
    lead.set_viewport_size(DESK)
    log_in(lead, lead_user, confirmed_totp_device(lead_user))
    lead.goto("/staff/chat/floor/")
    expect(lead.get_by_role("heading", name="Vloeroverzicht chat — Utrecht")).to_be_visible()
    expect(lead.get_by_text("Er wacht nu niemand.")).to_be_visible()

    employee = employee_at_console(new_page, utrecht, "Marieke")
    marieke = lead.locator("tr[data-employee]", has_text="Marieke")
    expect(marieke).to_contain_text("beschikbaar")  # live, without a reload
    phone = new_page()
    visitor_starts_chat(phone, "Sam")
    expect(lead.get_by_role("heading", name="1 wachtende chat")).to_be_visible()
    employee.get_by_role("button", name="Volgende aannemen").click()
    expect(lead.get_by_role("heading", name="1 lopende chat")).to_be_visible()
    expect(marieke).to_contain_text("bezig")
    expect(marieke).to_contain_text("1 / 2")
    visitor_says(phone, "Ik durf niet naar huis")
    check_page(lead)

    # Looking in needs a reason, which goes into the access log.
    chat = Conversation.objects.get()
    console_errors.expect_failed_load(f"{asgi_server.url}/staff/chat/floor/{chat.pk}/look/")
    lead.get_by_role("button", name="Meekijken").click()
    expect(lead.get_by_text("Schrijf waarom u meekijkt")).to_be_visible()
    lead.get_by_label(f"Reden om mee te kijken in chat {chat.pk}").fill(
        "Zwaar gesprek, ik kijk mee ter ondersteuning"
    )
    lead.get_by_role("button", name="Meekijken").click()
    expect(lead.locator("#chat-messages")).to_contain_text("Ik durf niet naar huis")
    entry = AccessLogEntry.objects.filter(
        action=AccessLogAction.VIEW, object_id=str(chat.pk), reason__startswith="meekijken"
    ).get()
    assert entry.user_id == lead_user.pk and "ter ondersteuning" in entry.reason
    check_page(lead)

    # A note only colleagues see.
    lead.get_by_label("Notitie", exact=True).fill("Let op: veiligheid thuis bespreken.")
    lead.get_by_role("button", name="Notitie plaatsen").click()
    expect(employee.locator("[data-chat-pane]")).to_contain_text(
        "Let op: veiligheid thuis bespreken."
    )
    expect(phone.locator("#chat-messages")).not_to_contain_text("veiligheid thuis")

    # The lead takes the chat over and continues in their own console.
    lead.get_by_role("button", name="Neem deze chat over").click()
    expect(lead.get_by_role("heading", name="Chat met Sam")).to_be_visible()
    expect(phone.locator("#chat-messages")).to_contain_text(
        "Petra van Veilig Thuis neemt het gesprek over."
    )
    lead.get_by_label("Bericht", exact=True).filter(visible=True).fill("Hoi Sam, ik ben Petra.")
    lead.get_by_label("Bericht", exact=True).filter(visible=True).press("Enter")
    expect(phone.locator("#chat-messages")).to_contain_text("Hoi Sam, ik ben Petra.")
    expect(employee.locator("[data-chat-pane]")).to_contain_text("Deze chat is niet meer bij u")
    chat.refresh_from_db()
    assert chat.assigned_to == lead_user


def test_after_the_chat_the_visitor_answers_one_anonymous_question(
    new_page: Callable[[], Page], utrecht
):  # type: ignore[no-untyped-def]
    from vangnet.chat.models import SatisfactionAnswer

    desk = employee_at_console(new_page, utrecht, "Marieke")
    phone = new_page()
    visitor_starts_chat(phone, "Sam")
    expect(phone.get_by_role("heading", name="Heb je iets aan dit gesprek gehad?")).to_be_hidden()
    desk.get_by_role("button", name="Volgende aannemen").click()
    expect(phone.get_by_role("status")).to_contain_text("Je chat met Marieke")
    visitor_says(phone, "Dank je, ik weet nu wat ik kan doen")
    expect(desk.locator("[data-chat-pane]")).to_contain_text("ik weet nu wat ik kan doen")

    desk.keyboard.press("Alt+k")
    desk.get_by_label("Wie chatte er?").select_option("child")
    desk.get_by_label("Getuige van huiselijk geweld").check()
    desk.get_by_label("Vraag of zorg").fill("Jongen van 14, ouders maken ruzie.")
    desk.get_by_label("Gegeven advies").fill("Besproken met wie hij kan praten.")
    desk.get_by_role("button", name="Chat afsluiten").click()

    # The question appears as soon as the chat ends, without a reload.
    expect(phone.get_by_role("heading", name="Heb je iets aan dit gesprek gehad?")).to_be_visible()
    check_page(phone)
    phone.get_by_label("Ja").check()
    phone.get_by_label("Wil je er iets over zeggen?").fill("Fijn dat iemand luisterde")
    phone.get_by_role("button", name="Verstuur je antwoord").click()
    expect(phone.get_by_text("Dank je wel voor je antwoord.")).to_be_visible()
    expect(phone.get_by_role("heading", name="Heb je iets aan dit gesprek gehad?")).to_have_count(0)

    answer = SatisfactionAnswer.objects.get()
    assert answer.helped and answer.comment == "Fijn dat iemand luisterde"
    assert answer.region == utrecht
    stored = {f.attname for f in SatisfactionAnswer._meta.concrete_fields}
    assert stored == {"id", "region_id", "day", "helped", "comment"}  # nothing that identifies


def test_the_console_works_by_keyboard_alone(new_page: Callable[[], Page], utrecht):  # type: ignore[no-untyped-def]
    desk = employee_at_console(new_page, utrecht, "Marieke")
    phone = new_page()
    visitor_starts_chat(phone, "Sam")
    expect(desk.locator("#console-waiting-count")).to_have_text("1 chat wacht")

    # Tab to "accept next" and press Enter: the message box of the new chat has the focus.
    accept = desk.get_by_role("button", name="Volgende aannemen")
    for _ in range(40):
        desk.keyboard.press("Tab")
        if accept.evaluate("el => el === document.activeElement"):
            break
    expect(accept).to_be_focused()
    desk.keyboard.press("Enter")
    message_box = desk.get_by_label("Bericht", exact=True).filter(visible=True)
    expect(message_box).to_be_focused()
    desk.keyboard.type("Hoi Sam, fijn dat je er bent.")
    desk.keyboard.press("Enter")
    expect(phone.locator("#chat-messages")).to_contain_text("Hoi Sam, fijn dat je er bent.")

    # Alt+K opens the closing registration at its first field.
    desk.keyboard.press("Alt+k")
    expect(desk.get_by_label("Wie chatte er?")).to_be_focused()
    check_page(desk)
