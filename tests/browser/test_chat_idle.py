"""An idle visitor is warned before the chat's session runs out, and can keep it (WCAG 2.2.1)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from vangnet.testing.factories import PostcodeFactory, RegionFactory, national_desk

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_idle_visitor_is_warned_and_keeps_the_chat(new_page: Callable[[], Page], settings):  # type: ignore[no-untyped-def]
    # A session of 30 seconds, warned about 27 seconds before its end: the warning comes soon.
    settings.SESSION_COOKIE_AGE = 30
    settings.CHAT_IDLE_WARNING_SECONDS = 27
    region = RegionFactory.create(name="Utrecht")
    PostcodeFactory.create(code="3511", municipality__region=region)
    national_desk()
    phone = new_page()
    phone.set_viewport_size({"width": 360, "height": 640})
    phone.goto("/chat/")
    phone.get_by_label("Leeftijd").fill("14")
    phone.get_by_label("De 4 cijfers van je postcode").fill("3511")
    phone.get_by_role("button", name="Start de chat").click()
    expect(phone.get_by_role("status")).to_contain_text("in de wachtrij")

    warning = phone.get_by_role("alert").filter(has_text="Ben je er nog?")
    expect(warning).to_be_visible()
    expect(phone.get_by_role("button", name="Ik ben er nog")).to_be_focused()

    phone.get_by_role("button", name="Ik ben er nog").click()

    expect(warning).to_be_hidden()
    phone.reload()
    expect(phone.get_by_role("status")).to_contain_text("in de wachtrij")
