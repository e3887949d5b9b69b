"""Overload is shaped, nothing is lost (Issue 15, ADR 0036).

When the process is behind (its database thread's queue, its event loop), a visitor's page is
told so and shows a calm notice, which goes again when the process has caught up; the intake
starts no new chat while busy or beyond the cap of conversations per process, and offers to
wait or to call; and every message still arrives exactly once, however often the page sends it
again.
"""

from __future__ import annotations

import asyncio
import json
import time

import pytest
from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async
from django.test import Client

from vangnet.chat import consumers
from vangnet.chat.load import LOAD
from vangnet.chat.models import Conversation, Message
from vangnet.testing.auth import login_verified

from .helpers import region_with_postcode
from .test_chat_sockets import connect, next_of, send, socket, visitor_browser
from .test_socket_revocation import running_chat

pytestmark = pytest.mark.django_db(transaction=True)

INTAKE = {"nickname": "Sam", "age": "14", "postcode": "3511"}


@pytest.fixture(autouse=True)
def calm_process(settings):
    settings.CHAT_BUSY_SECONDS = 1.0
    settings.CHAT_BUSY_HOLD_SECONDS = 0
    LOAD.__init__()  # type: ignore[misc]  # a fresh measure per test
    yield
    LOAD.__init__()  # type: ignore[misc]


def fall_behind(seconds: float = 5.0) -> None:
    """As the database thread's queue does under overload: calls that waited long."""
    for _ in range(20):
        LOAD.hop_started(seconds)
    LOAD.evaluate()


def catch_up() -> None:
    for _ in range(40):
        LOAD.hop_started(0.0)
    LOAD.evaluate()


def test_the_visitor_is_told_when_the_chat_is_busy_and_when_it_is_calm_again():
    _utrecht, visitor, _chat, _employee = running_chat()

    async def scenario() -> None:
        child = socket("/ws/chat/", visitor)
        await connect(child)
        fall_behind()
        assert (await next_of(child, "busy"))["busy"] is True
        late = socket("/ws/chat/", visitor)  # a page that connects meanwhile hears it at once
        await connect(late)
        assert (await next_of(late, "busy"))["busy"] is True
        catch_up()
        assert (await next_of(child, "busy"))["busy"] is False
        await late.disconnect()
        await child.disconnect()

    async_to_sync(scenario)()


def test_a_database_thread_that_is_held_up_is_measured_as_being_behind(settings):
    settings.CHAT_BUSY_SECONDS = 0.05

    async def scenario() -> None:
        slow = database_sync_to_async(time.sleep)(0.3)
        waiting = database_sync_to_async(consumers.measured(lambda: None))()
        await asyncio.gather(slow, waiting)
        for _ in range(10):  # the following calls waited as long as the first
            LOAD.hop_started(LOAD.wait)
        LOAD.evaluate()

    async_to_sync(scenario)()
    assert LOAD.busy


def test_a_busy_chat_starts_no_new_chat_but_offers_to_wait_or_call():
    region_with_postcode()
    fall_behind()
    browser = Client()
    assert "Het is nu erg druk in de chat" in browser.get("/chat/").content.decode()

    response = browser.post("/chat/", INTAKE)
    page = response.content.decode()
    assert response.status_code == 503
    assert response["Retry-After"] == "20"
    assert "Het is nu erg druk in de chat" in page
    assert "vanzelf opnieuw" in page and "0800-2000" in page  # wait, or call
    assert 'value="Sam"' in page  # what the child filled in stays
    assert not Conversation.objects.exists()

    catch_up()
    assert browser.post("/chat/", INTAKE).status_code == 302  # the wait is over
    assert Conversation.objects.count() == 1


def test_no_more_chats_start_than_the_process_carries(settings):
    settings.CHAT_MAX_CONVERSATIONS = 1
    region_with_postcode()
    visitor, _chat = visitor_browser()

    async def scenario() -> None:
        child = socket("/ws/chat/", visitor)
        await connect(child)
        refused = await database_sync_to_async(Client().post)("/chat/", INTAKE)
        assert refused.status_code == 503
        await child.disconnect()
        started = await database_sync_to_async(Client().post)("/chat/", INTAKE)
        assert started.status_code == 302

    async_to_sync(scenario)()
    assert Conversation.objects.count() == 2


def test_while_busy_every_message_arrives_exactly_once_however_often_it_is_sent():
    _utrecht, visitor, chat, employee = running_chat()
    staff = login_verified(Client(), employee)

    async def scenario() -> None:
        child = socket("/ws/chat/", visitor)
        await connect(child)
        desk = socket(f"/ws/staff/chat/{chat.pk}/", staff)
        await connect(desk)
        fall_behind()
        # A burst past the flood limit: some are told "not now" and go again after the
        # wait, as chat.js does; one already stored is sent again too (its ack was late).
        keys = [f"k-{n}" for n in range(12)]
        for key in keys:
            await send(child, type="send", key=key, body=f"Bericht {key}")
        await send(child, type="send", key="k-0", body="Bericht k-0")
        acked: set[str] = set()
        while len(acked) < len(keys):
            frame = json.loads(await child.receive_from(timeout=15))
            if frame["type"] == "ack":
                acked.add(frame["key"])
            elif frame["type"] == "error" and "retry_after" in frame:
                await asyncio.sleep(frame["retry_after"])
                await send(child, type="send", key=frame["key"], body=f"Bericht {frame['key']}")
        seen: list[str] = []
        while not await desk.receive_nothing(timeout=1):
            frame = json.loads(await desk.receive_from())
            if frame["type"] == "message" and frame["message"]["key"]:
                seen.append(frame["message"]["key"])
        assert sorted(seen) == sorted(keys)  # each once, none twice
        await child.disconnect()
        await desk.disconnect()

    async_to_sync(scenario)()
    stored = list(Message.objects.filter(conversation=chat).exclude(client_key=""))
    assert sorted(m.client_key for m in stored) == sorted(f"k-{n}" for n in range(12))


def test_a_socket_with_frames_waiting_reads_on_once_its_oldest_is_done(monkeypatch):
    """With MAX_PENDING_FRAMES frames waiting for their work, a socket reads the next as soon as
    the oldest is done — not after the newest: behind a database minutes behind, waiting for
    all of them left the keepalive pong unread until uvicorn hung up (1011)."""
    monkeypatch.setattr(consumers, "MAX_PENDING_FRAMES", 3)

    async def scenario() -> None:
        socket = consumers.VisitorChatConsumer()
        done = [asyncio.Event() for _ in range(4)]
        finished: list[int] = []

        def work(n: int):
            async def run() -> None:
                await done[n].wait()
                finished.append(n)

            return run

        for n in range(3):
            await socket.in_order(work(n))  # read at once; the work waits
        fourth = asyncio.ensure_future(socket.in_order(work(3)))
        await asyncio.sleep(0.01)
        assert not fourth.done(), "three frames wait: the socket waits before reading more"
        done[0].set()
        await asyncio.wait_for(fourth, timeout=1)  # read while frames 1 and 2 still wait
        assert finished == [0]
        for event in done[1:]:
            event.set()
        await asyncio.wait_for(asyncio.gather(*socket.chain), timeout=1)
        assert finished == [0, 1, 2, 3], "the work still runs in the order the frames came"

    async_to_sync(scenario)()
