"""The public start page: what happens when you get in touch, the phone number, a quick way out."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.utils import translation
from playwright.sync_api import Browser, Page, expect
from pytest_django.fixtures import Settings
from pytest_django.live_server_helper import LiveServer

from .conftest import ConsoleErrors

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 360, "height": 640}

# A page in the history before the start page, as a search result would be.
EARLIER_PAGE = "data:text/html,<title>Zoekresultaten</title><p>Zoekresultaten</p>"


@pytest.fixture
def neutral_exit_url(
    settings: Settings, live_server: LiveServer, console_errors: ConsoleErrors
) -> str:
    # A local plain-text page stands in for the weather site: the tests have no internet. For
    # a plain-text page the browser asks for /favicon.ico itself; the real exit site has one.
    settings.VANGNET_NEUTRAL_EXIT_URL = f"{live_server.url}/robots.txt"
    console_errors.expect_failed_load(f"{live_server.url}/favicon.ico")
    return settings.VANGNET_NEUTRAL_EXIT_URL


def start_session(page: Page, live_server: LiveServer) -> str:
    """Give the browser a server session, as a visitor who started a chat would have."""
    session = SessionStore()
    session["visitor"] = "started"
    session.create()
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": session.session_key,
                "url": live_server.url,
            }
        ]
    )
    return session.session_key


def wait_until_session_ended(page: Page, session_key: str) -> None:
    """The exit call is sent while the page leaves, so it lands a moment later."""
    for _ in range(100):
        if not Session.objects.filter(session_key=session_key).exists():
            return
        page.wait_for_timeout(100)
    pytest.fail("quick exit left the session alive on the server")


def test_start_page_says_what_happens_when_you_get_in_touch(page: Page):
    page.goto("/")

    steps = page.get_by_role("region", name="Wat gebeurt er als je contact opneemt?")
    expect(steps.get_by_role("heading", level=3)).to_have_text(
        ["Wij luisteren naar je verhaal", "Je krijgt advies", "We zoeken samen hulp"]
    )
    expect(page.get_by_role("link", name="Bel 0800-2000")).to_have_attribute("href", "tel:08002000")
    expect(page.get_by_role("contentinfo")).to_contain_text("0800-2000")


def test_quick_exit_button_leaves_and_back_does_not_return(
    page: Page, neutral_exit_url: str, live_server: LiveServer
):
    session_key = start_session(page, live_server)
    page.goto(EARLIER_PAGE)
    page.goto("/")
    start_url = page.url

    page.get_by_role("link", name="Snel weg").click()

    wait_until_session_ended(page, session_key)
    expect(page).to_have_url(neutral_exit_url)
    page.go_back()
    assert page.url != start_url
    expect(
        page.get_by_role("heading", name="Wat gebeurt er als je contact opneemt?")
    ).to_have_count(0)


def test_pressing_escape_twice_leaves_and_back_does_not_return(
    page: Page, neutral_exit_url: str, live_server: LiveServer
):
    session_key = start_session(page, live_server)
    page.goto(EARLIER_PAGE)
    page.goto("/")
    start_url = page.url

    page.keyboard.press("Escape")
    page.keyboard.press("Escape")

    wait_until_session_ended(page, session_key)

    expect(page).to_have_url(neutral_exit_url)
    page.go_back()
    assert page.url != start_url
    expect(
        page.get_by_role("heading", name="Wat gebeurt er als je contact opneemt?")
    ).to_have_count(0)


def test_language_switch_shows_the_start_page_in_english(page: Page):
    with translation.override("en"):
        english_title = translation.gettext("Wat gebeurt er als je contact opneemt?")
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "nl")

    page.get_by_role("button", name="English").click()

    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page).to_have_url("/")
    # Until the English catalogue exists, the Dutch source text is what English shows.
    expect(page.get_by_role("heading", level=2).first).to_have_text(english_title)
    expect(page.get_by_role("button", name="Nederlands")).to_be_visible()


def test_the_escape_hint_shows_only_where_there_is_a_keyboard(
    browser: Browser, live_server: LiveServer
):
    touch_only = browser.new_context(
        base_url=live_server.url, has_touch=True, is_mobile=True, viewport=PHONE
    )
    with_keyboard = browser.new_context(base_url=live_server.url, viewport=PHONE)
    try:
        phone = touch_only.new_page()
        phone.goto("/")
        hint = phone.locator(".quick-exit__hint")
        expect(phone.get_by_role("link", name="Snel weg")).to_be_visible()
        expect(hint).to_be_hidden()
        # A keyboard joins (a tablet's cover, a phone's Bluetooth keyboard): Tab shows the hint.
        phone.keyboard.press("Tab")
        expect(hint).to_be_visible()

        laptop = with_keyboard.new_page()
        laptop.goto("/")
        expect(laptop.locator(".quick-exit__hint")).to_be_visible()
    finally:
        touch_only.close()
        with_keyboard.close()
