"""Keyboard only: the skip link comes first, every form field has a label, login works by keys."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from vangnet.accounts.models import Role
from vangnet.testing.auth import current_code
from vangnet.testing.factories import DEFAULT_PASSWORD, confirmed_totp_device, make_user

from .conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MAX_TABS = 25

UNLABELLED_FIELDS = """
() => Array.from(document.querySelectorAll("input, select, textarea"))
  .filter((field) => field.type !== "hidden" && field.labels.length === 0)
  .map((field) => field.name || field.id)
"""


def has_focus(page: Page, target: str) -> bool:
    return page.locator(target).evaluate("(el) => el === document.activeElement")


def tab_to(page: Page, target: str) -> None:
    """Press Tab until the element matching `target` has focus, as a keyboard user would."""
    for _ in range(MAX_TABS):
        if has_focus(page, target):
            return
        page.keyboard.press("Tab")
    pytest.fail(f"{target} cannot be reached with Tab within {MAX_TABS} presses")


def assert_first_tab_reaches_skip_link_to_content(page: Page) -> None:
    page.keyboard.press("Tab")

    skip_link = page.locator(":focus")
    expect(skip_link).to_have_text("Naar de inhoud")
    expect(skip_link).to_be_visible()
    page.keyboard.press("Enter")
    expect(page.get_by_role("main")).to_be_focused()


def test_public_pages_put_the_quick_exit_first_then_the_skip_link(page: Page):
    # A visitor who must leave reaches the way out with one Tab, on every public page.
    for path in ("/", "/chat/"):
        page.goto(path)
        page.keyboard.press("Tab")
        expect(page.get_by_role("link", name="Snel weg")).to_be_focused()
        assert_first_tab_reaches_skip_link_to_content(page)


def test_staff_workspace_skip_link_comes_first(page: Page):
    user = make_user(Role.TRIAGE)
    log_in(page, user, confirmed_totp_device(user))
    expect(page).to_have_url("/staff/")
    page.reload()  # start from the top of a freshly loaded page
    assert_first_tab_reaches_skip_link_to_content(page)


def test_login_by_keyboard_only_with_labelled_fields(page: Page):
    user = make_user(Role.ADVICE_DESK, first_name="Mila", last_name="de Boer")
    device = confirmed_totp_device(user)
    page.goto("/accounts/login/")
    assert page.evaluate(UNLABELLED_FIELDS) == []
    expect(page.get_by_label("Gebruikersnaam")).to_be_visible()
    expect(page.get_by_label("Wachtwoord")).to_be_visible()

    tab_to(page, "input[name=username]")
    page.keyboard.type(user.username)
    page.keyboard.press("Tab")
    expect(page.get_by_label("Wachtwoord")).to_be_focused()
    page.keyboard.type(DEFAULT_PASSWORD)
    page.keyboard.press("Enter")

    code_field = page.get_by_label("Code uit uw authenticator-app")
    expect(code_field).to_be_focused()
    assert page.evaluate(UNLABELLED_FIELDS) == []
    page.keyboard.type(current_code(device))
    page.keyboard.press("Enter")

    expect(page).to_have_url("/staff/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Welkom, Mila de Boer")
