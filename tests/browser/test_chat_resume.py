"""A resume after a long drop delivers every message the child typed, once (Issue 13.1).

The phone's line is cut and stays cut while the child types 30 messages; when it comes back,
the page sends its whole outbox at once, the server lets 10 through and asks to wait for the
rest, and the page keeps them pending and sends them again until every one is stored.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Page, WebSocketRoute, expect

from vangnet.chat import consumers
from vangnet.chat.models import Message, Sender

from .test_chat import PHONE, employee_at_queue, utrecht, visitor_starts_chat  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_thirty_messages_typed_offline_all_arrive_exactly_once_after_the_resume(
    new_page: Callable[[], Page],
    utrecht,  # noqa: F811  (the fixture of test_chat)
    asgi_server,
    monkeypatch,
):  # type: ignore[no-untyped-def]
    monkeypatch.setattr(consumers, "SEND_WINDOW", 1.0)  # the same limit, in a shorter window
    desk = employee_at_queue(new_page, utrecht, "Marieke")
    phone = new_page()
    line = {"up": True}
    sockets: list[WebSocketRoute] = []

    def through(ws: WebSocketRoute) -> None:
        if not line["up"]:
            ws.close()  # a tunnel: every attempt fails until the line is back
            return
        ws.connect_to_server()
        sockets.append(ws)

    phone.route_web_socket("**/ws/chat/", through)
    phone.set_viewport_size(PHONE)
    visitor_starts_chat(phone)
    desk.get_by_role("button", name="Aannemen: Sam").click()
    expect(phone.get_by_role("status")).to_contain_text("Je chat met Marieke van Veilig Thuis.")

    line["up"] = False
    sockets[-1].close()
    expect(phone.get_by_role("status")).to_contain_text("De verbinding is even weg")
    texts = [f"Bericht nummer {n}" for n in range(1, 31)]
    for text in texts:
        phone.get_by_label("Jouw bericht").fill(text)
        phone.get_by_label("Jouw bericht").press("Enter")
    expect(phone.locator(".chat__message--pending")).to_have_count(30)

    line["up"] = True
    expect(phone.locator(".chat__message--pending")).to_have_count(0, timeout=30_000)
    for text in (texts[0], texts[14], texts[29]):
        expect(desk.locator("#chat-messages").get_by_text(text, exact=True)).to_have_count(1)
    stored = list(
        Message.objects.filter(sender=Sender.VISITOR)
        .order_by("sequence")
        .values_list("body", flat=True)
    )
    assert stored == texts
