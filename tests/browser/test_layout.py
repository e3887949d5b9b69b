"""The quick exit never lies over anything: measured on phone and tablet sizes, in every state.

The visitor may need the button at any moment, and a tap meant for "Verstuur" or the 112
line must never end the chat instead. For each size the exit button's box is compared with
the visible boxes of every interactive element and every piece of text on the page, at the
top of the page and scrolled to its end.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from vangnet.accounts.models import Role
from vangnet.testing.factories import (
    PostcodeFactory,
    RegionFactory,
    confirmed_totp_device,
    make_user,
    national_desk,
)
from vangnet.testing.reports import a_report

from .conftest import AsgiLiveServer, check_page, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SIZES = [
    {"width": 360, "height": 640},
    {"width": 390, "height": 844},
    {"width": 768, "height": 1024},
]

# What the exit button's box meets: visible interactive elements and visible text, each
# clipped to the areas that scroll it (what scrolled out of sight is not under the button).
UNDER_THE_EXIT = """
() => {
  const exit = document.getElementById("quick-exit");
  const box = exit.getBoundingClientRect();
  const clipped = (rect, el) => {
    let r = { left: rect.left, top: rect.top, right: rect.right, bottom: rect.bottom };
    for (let a = el.parentElement; a; a = a.parentElement) {
      const style = getComputedStyle(a);
      if (style.overflowX !== "visible" || style.overflowY !== "visible") {
        const c = a.getBoundingClientRect();
        r = { left: Math.max(r.left, c.left), top: Math.max(r.top, c.top),
              right: Math.min(r.right, c.right), bottom: Math.min(r.bottom, c.bottom) };
      }
    }
    return { left: Math.max(r.left, 0), top: Math.max(r.top, 0),
             right: Math.min(r.right, innerWidth), bottom: Math.min(r.bottom, innerHeight) };
  };
  const meets = (r) => r.right > r.left && r.bottom > r.top &&
    r.right > box.left && r.left < box.right && r.bottom > box.top && r.top < box.bottom;
  const shown = (el) => {
    const style = getComputedStyle(el);
    return style.display !== "none" && style.visibility !== "hidden"
      && el.getClientRects().length > 0;
  };
  const found = [];
  const interactive = "a[href], button, input:not([type=hidden]), select, textarea, summary";
  for (const el of document.querySelectorAll(interactive)) {
    if (exit.contains(el) || el.contains(exit) || !shown(el)) continue;
    if (meets(clipped(el.getBoundingClientRect(), el))) found.push(el.outerHTML.slice(0, 80));
  }
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    if (!node.textContent.trim() || exit.contains(node) || !el || !shown(el)) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    for (const rect of range.getClientRects()) {
      if (meets(clipped(rect, el))) { found.push(node.textContent.trim().slice(0, 60)); break; }
    }
  }
  return found;
}
"""

SCROLL_TO_END = """
() => {
  for (const el of [document.scrollingElement, ...document.querySelectorAll("*")]) {
    if (el && el.scrollHeight > el.clientHeight) { el.scrollTop = el.scrollHeight; }
  }
}
"""


def assert_nothing_under_the_exit(page: Page, state: str, keep_scroll: bool = False) -> None:
    """At every size: the exit is in view and lies over nothing, at the top and at the end."""
    original = page.viewport_size
    for size in SIZES:
        page.set_viewport_size(size)
        exit_button = page.locator("#quick-exit")
        expect(exit_button).to_be_in_viewport()
        where = f"{state} at {size['width']}x{size['height']}"
        assert page.evaluate(UNDER_THE_EXIT) == [], where
        if not keep_scroll:
            page.evaluate(SCROLL_TO_END)
            expect(exit_button).to_be_in_viewport()
            assert page.evaluate(UNDER_THE_EXIT) == [], f"{where}, scrolled to the end"
    if original:
        page.set_viewport_size(original)


def test_the_exit_covers_nothing_on_the_start_and_status_pages(
    new_page: Callable[[], Page], asgi_server: AsgiLiveServer, settings
):  # type: ignore[no-untyped-def]
    settings.PUBLIC_BASE_URL = asgi_server.url
    status_link = a_report(RegionFactory.create(name="Utrecht")).status_url
    phone = new_page()
    phone.set_viewport_size(SIZES[0])

    phone.goto("/")
    assert_nothing_under_the_exit(phone, "start page")
    # The last line of every public page can be read: it scrolls into view, clear of the exit.
    emergency = phone.get_by_text("Bij direct gevaar: bel 112.")
    emergency.scroll_into_view_if_needed()
    expect(emergency).to_be_in_viewport()

    phone.goto(status_link)
    expect(phone.get_by_role("heading", level=1)).to_contain_text("Uw melding")
    assert_nothing_under_the_exit(phone, "status page")


def test_the_exit_covers_nothing_in_any_state_of_the_chat(new_page: Callable[[], Page]):
    region = RegionFactory.create(name="Utrecht")
    PostcodeFactory.create(code="3511", municipality__region=region)
    national_desk()
    employee = make_user(Role.ADVICE_DESK, region=region, first_name="Marieke")
    desk = new_page()
    log_in(desk, employee, confirmed_totp_device(employee))
    desk.goto("/staff/chat/")
    desk.get_by_role("button", name="Zet op beschikbaar").click()

    phone = new_page()
    phone.set_viewport_size(SIZES[0])
    phone.goto("/chat/")
    assert_nothing_under_the_exit(phone, "chat intake")

    phone.get_by_label("Hoe mogen we je noemen?").fill("Sam")
    phone.get_by_label("Leeftijd").fill("14")
    phone.get_by_label("De 4 cijfers van je postcode").fill("3511")
    phone.get_by_role("button", name="Start de chat").click()
    expect(phone.get_by_role("status")).to_contain_text("in de wachtrij")
    assert_nothing_under_the_exit(phone, "waiting")
    check_page(phone)

    desk.get_by_role("button", name="Aannemen: Sam").click()
    expect(phone.get_by_role("status")).to_contain_text("Je chat met Marieke")
    for number in range(1, 9):
        desk.get_by_label("Bericht", exact=True).fill(f"Bericht {number} van Marieke.")
        desk.get_by_role("button", name="Verstuur").click()
    expect(phone.get_by_role("log").get_by_text("Bericht 8 van Marieke.")).to_be_visible()
    assert_nothing_under_the_exit(phone, "chatting")
    # Typing: the message box has the focus and holds a message being written.
    phone.get_by_label("Jouw bericht").fill("Ik weet niet goed hoe ik dit moet zeggen, maar")
    phone.get_by_label("Jouw bericht").focus()
    assert_nothing_under_the_exit(phone, "typing", keep_scroll=True)
    expect(phone.get_by_role("button", name="Verstuur")).to_be_in_viewport()
    check_page(phone)

    desk.get_by_label("Wie chatte er?").select_option("child")
    desk.get_by_label("Getuige van huiselijk geweld").check()
    desk.get_by_label("Vraag of zorg").fill("Jongen van 14.")
    desk.get_by_label("Gegeven advies").fill("Praten met de mentor.")
    desk.get_by_role("button", name="Chat afsluiten").click()
    expect(phone.get_by_role("status")).to_have_text("De medewerker heeft de chat afgesloten.")
    assert_nothing_under_the_exit(phone, "ended")
    check_page(phone)
