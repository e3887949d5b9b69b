"""After quick exit, no Back press shows a Vangnet page, and the browser keeps nothing of ours.

A visitor's whole way through the public pages — a status link from an e-mail, the start
page, the language switch, the chat intake with a mistake, the chat itself — then the exit.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from vangnet.testing.factories import PostcodeFactory, RegionFactory, national_desk
from vangnet.testing.reports import a_report

from .conftest import AsgiLiveServer, ConsoleErrors

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# A page in the history before Vangnet, as a search result would be.
EARLIER_PAGE = "data:text/html,<title>Zoekresultaten</title><p>Zoekresultaten</p>"
PHONE = {"width": 390, "height": 844}


def test_after_quick_exit_no_back_press_shows_a_vangnet_page(
    new_page: Callable[[], Page],
    asgi_server: AsgiLiveServer,
    live_server: LiveServer,
    console_errors: ConsoleErrors,
    settings,
):  # type: ignore[no-untyped-def]
    # A plain-text page of another test server stands in for the neutral site (no internet
    # here); another host name, so that its cookies are not ours. The browser asks it for an icon.
    other_site = live_server.url.replace("localhost", "127.0.0.1")
    settings.VANGNET_NEUTRAL_EXIT_URL = neutral = f"{other_site}/robots.txt"
    settings.PUBLIC_BASE_URL = asgi_server.url
    console_errors.expect_failed_load(f"{other_site}/favicon.ico")
    console_errors.expect_failed_load(f"{asgi_server.url}/chat/")  # the refused intake: 400
    region = RegionFactory.create(name="Utrecht")
    PostcodeFactory.create(code="3511", municipality__region=region)
    national_desk()
    status_link = a_report(region).status_url
    secret = status_link.rstrip("/").rsplit("/", 1)[1]

    phone = new_page()
    phone.set_viewport_size(PHONE)
    phone.goto(EARLIER_PAGE)
    phone.goto(status_link)
    expect(phone.get_by_role("heading", level=1)).to_contain_text("Uw melding")
    assert secret not in phone.url

    phone.get_by_role("link", name="Veilig Thuis", exact=True).click()
    expect(phone.get_by_role("heading", level=1)).to_contain_text("Je staat er niet alleen voor")
    phone.get_by_role("button", name="English").click()
    expect(phone.locator("html")).to_have_attribute("lang", "en")
    phone.get_by_role("button", name="Nederlands").click()
    expect(phone.locator("html")).to_have_attribute("lang", "nl")
    phone.get_by_role("link", name="Chat met ons").click()
    phone.get_by_label("Ik ben een").select_option(index=1)
    phone.get_by_label("Leeftijd").fill("3")
    phone.get_by_role("button", name="Start de chat").click()
    expect(phone.get_by_text("Vul een leeftijd in vanaf 6 jaar.")).to_be_visible()
    phone.get_by_label("Leeftijd").fill("14")
    phone.get_by_label("De 4 cijfers van je postcode").fill("3511")
    phone.get_by_role("button", name="Start de chat").click()
    expect(phone.get_by_role("status")).to_contain_text("in de wachtrij")
    phone.get_by_label("Jouw bericht").fill("Ik ben bang")

    phone.get_by_role("link", name="Snel weg").click()

    expect(phone).to_have_url(neutral)
    # Back: the page before Vangnet. Every further Back press: never one of ours either.
    phone.go_back()
    expect(phone.locator("body")).to_have_text("Zoekresultaten")
    for _ in range(4):
        assert not phone.url.startswith(asgi_server.url), phone.url
        expect(phone.get_by_text("Veilig Thuis")).to_have_count(0)
        phone.go_back()
    # And no cookie of ours survives: the exit's answer clears them (it lands just after).
    for _ in range(100):
        if not phone.context.cookies(asgi_server.url):
            break
        phone.wait_for_timeout(100)
    assert phone.context.cookies(asgi_server.url) == []
