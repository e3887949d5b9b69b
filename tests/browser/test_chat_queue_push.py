"""The staff queue page follows the queue from what its socket pushes (ADR 0035): a new chat's
row appears and a taken chat's row goes without a reload or a fetch; a page that missed a
change fetches the queue once."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from playwright.sync_api import Page, Request, Route, WebSocketRoute, expect

from vangnet.accounts.models import Role
from vangnet.regions.models import Region
from vangnet.testing.factories import (
    PostcodeFactory,
    RegionFactory,
    confirmed_totp_device,
    make_user,
    national_desk,
)

from .conftest import ConsoleErrors, log_in
from .test_chat import employee_at_queue, visitor_starts_chat

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def utrecht():  # type: ignore[no-untyped-def]
    region = RegionFactory.create(name="Utrecht")
    PostcodeFactory.create(code="3511", municipality__region=region)
    national_desk()
    return region


def fragment_fetches(page: Page) -> list[str]:
    fetched: list[str] = []

    def seen(request: Request) -> None:
        if "/staff/chat/queue/" in request.url and request.headers.get("hx-request"):
            fetched.append(request.url)

    page.on("request", seen)
    return fetched


def losing_the_first_row(dropped: list[str]) -> Callable[[WebSocketRoute], None]:
    """A queue socket that loses the first pushed row on the way (its nickname in `dropped`)."""

    def lossy(ws: WebSocketRoute) -> None:
        server = ws.connect_to_server()

        def to_page(message: str | bytes) -> None:
            if not dropped and '"queue.row"' in str(message):
                dropped.append(json.loads(message)["row"]["nickname"])
                return
            ws.send(message)

        server.on_message(to_page)

    return lossy


def busy_once_after(
    dropped: list[str], refused: list[str], console_errors: ConsoleErrors
) -> Callable[[Route], None]:
    """The first queue fetch after a row was lost is answered "busy" (503)."""

    def busy_once(route: Route) -> None:
        if dropped and not refused and route.request.headers.get("hx-request"):
            refused.append(route.request.url)
            console_errors.expect_failed_load(route.request.url)
            route.fulfill(status=503, body="Het is nu erg druk.")
            return
        route.continue_()

    return busy_once


def queue_losing_a_row_then_busy(
    new_page: Callable[[], Page], region: Region, console_errors: ConsoleErrors
) -> tuple[Page, list[str], list[str]]:
    """An employee's open, empty queue page whose socket loses the first pushed row and whose
    first fetch after that is answered "busy"; what was lost and what was refused."""
    user = make_user(Role.ADVICE_DESK, region=region, first_name="Marieke")
    desk = new_page()
    dropped: list[str] = []
    refused: list[str] = []
    desk.route_web_socket("**/ws/staff/chat/queue/**", losing_the_first_row(dropped))
    desk.route("**/staff/chat/queue/**", busy_once_after(dropped, refused, console_errors))
    log_in(desk, user, confirmed_totp_device(user))
    desk.goto("/staff/chat/")
    expect(desk.get_by_text("Er wacht nu niemand.")).to_be_visible()
    return desk, dropped, refused


def test_a_new_chat_appears_in_the_open_queue_and_goes_when_a_colleague_takes_it(
    new_page: Callable[[], Page], utrecht
):  # type: ignore[no-untyped-def]
    desk = employee_at_queue(new_page, utrecht, "Marieke")
    expect(desk.get_by_text("Er wacht nu niemand.")).to_be_visible()
    expect(desk.get_by_role("heading", name="0 wachtende chats")).to_be_visible()
    desk.wait_for_timeout(500)  # the fetch on opening the socket
    fetched = fragment_fetches(desk)

    phone = new_page()
    visitor_starts_chat(phone, nickname="Noor")
    expect(phone.get_by_role("status")).to_contain_text("in de wachtrij")

    row = desk.get_by_role("row", name="Noor")
    expect(row).to_be_visible()
    expect(row).to_contain_text("14")
    expect(row).to_contain_text("Utrecht (3511)")
    expect(desk.get_by_role("heading", name="1 wachtende chat", exact=True)).to_be_visible()
    expect(desk.get_by_text("Er wacht nu niemand.")).to_be_hidden()
    desk.keyboard.press("Tab")  # the pushed row's button is a real button in the tab order
    accept = desk.get_by_role("button", name="Aannemen: Noor")
    accept.focus()
    expect(accept).to_be_focused()

    colleague = employee_at_queue(new_page, utrecht, "Ahmed")
    colleague.get_by_role("button", name="Aannemen: Noor").click()
    expect(colleague.get_by_role("heading", level=1)).to_have_text("Chat met Noor")
    expect(desk.get_by_role("row", name="Noor")).to_have_count(0)
    expect(desk.get_by_text("Er wacht nu niemand.")).to_be_visible()
    assert fetched == []  # the queue followed the pushes; no fetch was needed


def test_the_pushed_row_accepts_the_chat(new_page: Callable[[], Page], utrecht):  # type: ignore[no-untyped-def]
    desk = employee_at_queue(new_page, utrecht, "Marieke")
    expect(desk.get_by_text("Er wacht nu niemand.")).to_be_visible()
    phone = new_page()
    visitor_starts_chat(phone, nickname="Sem")
    desk.get_by_role("button", name="Aannemen: Sem").click()
    expect(desk.get_by_role("heading", level=1)).to_have_text("Chat met Sem")


def test_a_queue_page_that_missed_a_change_fetches_the_queue(new_page: Callable[[], Page], utrecht):  # type: ignore[no-untyped-def]
    user = make_user(Role.ADVICE_DESK, region=utrecht, first_name="Marieke")
    desk = new_page()
    dropped: list[str] = []

    desk.route_web_socket("**/ws/staff/chat/queue/**", losing_the_first_row(dropped))
    log_in(desk, user, confirmed_totp_device(user))
    desk.goto("/staff/chat/")
    expect(desk.get_by_text("Er wacht nu niemand.")).to_be_visible()
    desk.wait_for_timeout(500)
    fetched = fragment_fetches(desk)

    first, second = new_page(), new_page()
    visitor_starts_chat(first, nickname="Noor")
    expect(first.get_by_role("status")).to_contain_text("in de wachtrij")
    desk.wait_for_timeout(300)
    expect(desk.get_by_role("row", name="Noor")).to_have_count(0)  # its change was lost
    visitor_starts_chat(second, nickname="Sem")

    # The next change's number shows the gap: the page fetches the queue, and shows both.
    expect(desk.get_by_role("row", name="Noor")).to_be_visible()
    expect(desk.get_by_role("row", name="Sem")).to_be_visible()
    assert dropped == ["Noor"]
    assert len(fetched) >= 1


def test_a_quiet_queue_page_that_missed_the_last_change_catches_up_even_when_busy_at_first(
    new_page: Callable[[], Page], utrecht, monkeypatch, console_errors
):  # type: ignore[no-untyped-def]
    # The only change of a quiet queue is lost on the way, and the first fetch that would
    # mend it is answered "busy": the child still appears, from the socket's tick.
    monkeypatch.setattr("vangnet.chat.consumers.QUEUE_TICK_SECONDS", 1.0)
    desk, dropped, refused = queue_losing_a_row_then_busy(new_page, utrecht, console_errors)

    phone = new_page()
    visitor_starts_chat(phone, nickname="Noor")
    expect(phone.get_by_role("status")).to_contain_text("in de wachtrij")

    expect(desk.get_by_role("row", name="Noor")).to_be_visible(timeout=15_000)
    expect(desk.get_by_role("heading", name="1 wachtende chat", exact=True)).to_be_visible()
    assert dropped == ["Noor"]
    assert len(refused) == 1


def test_a_queue_fetch_answered_busy_is_tried_again(
    new_page: Callable[[], Page], utrecht, monkeypatch, console_errors
):  # type: ignore[no-untyped-def]
    # No tick after the first (it would mend the page too): only the page's own retry can.
    monkeypatch.setattr("vangnet.chat.consumers.QUEUE_TICK_SECONDS", 3600)
    desk, dropped, refused = queue_losing_a_row_then_busy(new_page, utrecht, console_errors)

    first, second = new_page(), new_page()
    visitor_starts_chat(first, nickname="Noor")
    expect(first.get_by_role("status")).to_contain_text("in de wachtrij")
    desk.wait_for_timeout(300)
    visitor_starts_chat(second, nickname="Sem")  # its number shows the gap; the fetch: 503

    expect(desk.get_by_role("row", name="Noor")).to_be_visible()
    expect(desk.get_by_role("row", name="Sem")).to_be_visible()
    assert dropped == ["Noor"]
    assert len(refused) == 1
