"""The chat across two server processes: PostgreSQL for the data, Redis as the channel layer.

The visitor talks to one ASGI process and the employee to another, as behind a load
balancer; every message must arrive, once, in order. Runs when the suite runs on PostgreSQL
with Redis (DATABASE_URL and REDIS_URL set; `.ci/run` does that), and is skipped otherwise
because an in-memory channel layer cannot span processes.
"""

from __future__ import annotations

import asyncio
import json
import os
from collections.abc import Iterator

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client

from vangnet.chat import services
from vangnet.chat.models import Conversation
from vangnet.testing.auth import login_verified
from vangnet.testing.factories import PostcodeFactory, RegionFactory, national_desk
from vangnet.testing.servers import WebProcess

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not settings.REDIS_URL or connection.vendor != "postgresql",
        reason="needs PostgreSQL and Redis (DATABASE_URL and REDIS_URL)",
    ),
]

# The employee writes fast; the visitor stays under the socket's flood limit (10 in 10 s).
EMPLOYEE_MESSAGES, VISITOR_MESSAGES = 40, 10


@pytest.fixture
def two_servers() -> Iterator[list[str]]:
    db = settings.DATABASES["default"]
    env = {
        **os.environ,
        "DATABASE_URL": (
            f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
        ),
        "REDIS_URL": settings.REDIS_URL,
        "CHANNEL_LAYER_PREFIX": settings.CHANNEL_LAYERS["default"]["CONFIG"]["prefix"],
        # The servers' cache keys (a visitor's open sockets) under this run's prefix, which
        # the suite deletes after each test: none is left behind in a shared Redis.
        "CACHE_KEY_PREFIX": settings.CACHES["default"]["KEY_PREFIX"],
        "SECRET_KEY": settings.SECRET_KEY,
        "AUDIT_LOG_KEY": settings.AUDIT_LOG_KEY,
        "CHAT_OPENING_HOURS": "always",
        "VANGNET_ENV": "development",
    }
    servers = [WebProcess(env), WebProcess(env)]  # as in production (docs/operations.md)
    try:
        for server in servers:
            server.start()
        yield [server.address for server in servers]
    finally:
        for server in servers:
            server.stop()


def cookie_of(client: Client) -> str:
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


async def converse(
    visitor_url: str, visitor_cookie: str, staff_url: str, staff_cookie: str, chat_id: int
) -> tuple[list[str], list[str]]:
    import websockets

    async def open_socket(host: str, path: str, cookie: str):  # type: ignore[no-untyped-def]
        return await websockets.connect(
            f"ws://{host}{path}",
            additional_headers={"Cookie": cookie},
            origin=f"http://{host}",  # type: ignore[arg-type]
        )

    visitor = await open_socket(visitor_url, "/ws/chat/", visitor_cookie)
    staff = await open_socket(staff_url, f"/ws/staff/chat/{chat_id}/", staff_cookie)
    # The client offers per-message compression (websockets does by default); the server
    # declines it (ADR 0038): no compressor is kept per socket.
    for ws in (visitor, staff):
        assert ws.response.headers.get("Sec-WebSocket-Extensions") is None

    async def collect(ws, sender: str, count: int) -> list[str]:  # type: ignore[no-untyped-def]
        bodies: list[str] = []
        last = 0
        while len(bodies) < count:
            frame = json.loads(await asyncio.wait_for(ws.recv(), timeout=15))
            if frame["type"] != "message" or frame["message"]["sender"] != sender:
                continue
            assert frame["message"]["seq"] > last, "messages out of order"
            last = frame["message"]["seq"]
            bodies.append(frame["message"]["body"])
        return bodies

    async def talk(ws, who: str, count: int) -> None:  # type: ignore[no-untyped-def]
        for n in range(1, count + 1):
            await ws.send(json.dumps({"type": "send", "key": f"{who}-{n}", "body": f"{who} {n}"}))

    at_staff = asyncio.create_task(collect(staff, "visitor", VISITOR_MESSAGES))
    at_visitor = asyncio.create_task(collect(visitor, "employee", EMPLOYEE_MESSAGES))
    await asyncio.sleep(0.3)  # both sockets have joined the conversation's group
    await asyncio.gather(
        talk(visitor, "kind", VISITOR_MESSAGES), talk(staff, "medewerker", EMPLOYEE_MESSAGES)
    )
    received = await asyncio.gather(at_staff, at_visitor)
    await visitor.close()
    await staff.close()
    return received[0], received[1]


def test_visitor_and_employee_on_different_processes_get_every_message_in_order(two_servers):
    region = RegionFactory.create(name="Utrecht")
    PostcodeFactory.create(code="3511", municipality__region=region)
    national_desk()
    visitor = Client()
    assert visitor.post("/chat/", {"postcode": "3511"}).status_code == 302
    chat = Conversation.objects.get()
    from vangnet.chat.tests.helpers import employee_at_desk

    employee = employee_at_desk(region)
    staff = login_verified(Client(), employee)
    services.accept_chat(conversation=chat, by=employee)

    at_staff, at_visitor = asyncio.run(
        converse(two_servers[0], cookie_of(visitor), two_servers[1], cookie_of(staff), chat.pk)
    )

    assert at_staff == [f"kind {n}" for n in range(1, VISITOR_MESSAGES + 1)]
    assert at_visitor == [f"medewerker {n}" for n in range(1, EMPLOYEE_MESSAGES + 1)]
    sequences = list(chat.messages.order_by("sequence").values_list("sequence", flat=True))
    assert sequences == list(range(1, len(sequences) + 1))
