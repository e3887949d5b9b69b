"""The public pages stay light on a phone with a poor connection, and ask no other site anything.

The figures of the last run are in docs/performance.md (run with `-s` to see them).
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, Request, expect

from vangnet.testing.factories import PostcodeFactory, RegionFactory, national_desk

from .conftest import AsgiLiveServer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MAX_REQUESTS = 10
MAX_BYTES = 100 * 1024  # uncompressed, headers included: the test server does not compress


class Requests:
    def __init__(self, page: Page) -> None:
        self.finished: list[Request] = []
        self.websockets: list[str] = []
        page.on("requestfinished", lambda request: self.finished.append(request))
        page.on("websocket", lambda ws: self.websockets.append(ws.url))

    def reset(self) -> None:
        self.finished.clear()
        self.websockets.clear()

    def origins(self) -> set[str]:
        urls = [request.url for request in self.finished] + self.websockets
        return {"{0.hostname}:{0.port}".format(urlsplit(url)) for url in urls}

    def total_bytes(self) -> int:
        """What a first visit transfers: every body and header, also of what is now cached."""
        total = 0
        for request in self.finished:
            response = request.response()
            total += len(request.post_data_buffer or b"")
            total += sum(len(h["name"]) + len(h["value"]) + 4 for h in request.headers_array())
            if response is not None:
                total += len(response.body()) if response.status not in (204, 304) else 0
                total += sum(len(h["name"]) + len(h["value"]) + 4 for h in response.headers_array())
        return total


def measure(page: Page, requests: Requests, what: str, server: AsgiLiveServer) -> None:
    page.wait_for_load_state("networkidle")
    ours = "{0.hostname}:{0.port}".format(urlsplit(server.url))
    count, size = len(requests.finished), requests.total_bytes()
    print(f"\n{what}: {count} requests, {size} bytes, origins {sorted(requests.origins())}")
    assert requests.origins() == {ours}, f"{what} asks another site: {requests.origins()}"
    assert count <= MAX_REQUESTS, [request.url for request in requests.finished]
    assert size < MAX_BYTES, f"{what}: {size} bytes"


def test_the_start_and_chat_pages_are_light_and_load_nothing_from_elsewhere(
    new_page: Callable[[], Page], asgi_server: AsgiLiveServer
):
    region = RegionFactory.create(name="Utrecht")
    PostcodeFactory.create(code="3511", municipality__region=region)
    national_desk()
    phone = new_page()
    phone.set_viewport_size({"width": 360, "height": 640})
    requests = Requests(phone)

    phone.goto("/")
    measure(phone, requests, "start page", asgi_server)

    requests.reset()
    phone.goto("/chat/")
    measure(phone, requests, "chat intake", asgi_server)

    phone.get_by_label("Hoe mogen we je noemen?").fill("Sam")
    phone.get_by_label("Leeftijd").fill("14")
    phone.get_by_label("De 4 cijfers van je postcode").fill("3511")
    requests.reset()
    phone.get_by_role("button", name="Start de chat").click()
    expect(phone.get_by_role("status")).to_contain_text("in de wachtrij")
    measure(phone, requests, "chat page (waiting)", asgi_server)
