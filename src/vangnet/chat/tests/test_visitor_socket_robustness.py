"""The child's side of the chat holds up against odd input and heavy use (Issue 13)."""

from __future__ import annotations

import asyncio
import json

import pytest
from asgiref.sync import async_to_sync
from django.db import OperationalError
from django.test import Client

from vangnet.chat import consumers, services
from vangnet.chat.models import Conversation, Message, Sender

from .helpers import employee_at_desk, region_with_postcode
from .test_chat_sockets import connect, next_of, send, socket, visitor_browser

pytestmark = pytest.mark.django_db(transaction=True)


def chat_under_way() -> tuple[Client, Conversation]:
    utrecht = region_with_postcode()
    visitor, chat = visitor_browser()
    services.accept_chat(conversation=chat, by=employee_at_desk(utrecht))
    return visitor, chat


def test_text_that_is_not_valid_unicode_gets_a_clear_error_and_the_chat_goes_on():
    visitor, _chat = chat_under_way()

    async def scenario() -> None:
        child = socket("/ws/chat/", visitor)
        await connect(child)
        # A JSON escape of half a surrogate pair: valid JSON, not valid text.
        await child.send_to(text_data='{"type": "send", "key": "k-1", "body": "a\\ud800b"}')
        error = await next_of(child, "error")
        assert "tekens die niet kunnen worden verstuurd" in error["message"]
        assert error["key"] == "k-1"
        await child.send_to(text_data='{"type": "send", "key": "k-\\udfff", "body": "hoi"}')
        assert "tekens" in (await next_of(child, "error"))["message"]
        await send(child, type="send", key="k-2", body="Gaat het nu wel?")
        assert (await next_of(child, "ack"))["key"] == "k-2"
        await child.disconnect()

    async_to_sync(scenario)()
    assert list(Message.objects.filter(sender=Sender.VISITOR).values_list("body", flat=True)) == [
        "Gaat het nu wel?"
    ]


def test_the_service_refuses_a_lone_surrogate_whoever_sends_it():
    _visitor, chat = chat_under_way()
    with pytest.raises(services.ChatError, match="tekens die niet kunnen worden verstuurd"):
        services.send_visitor_message(conversation=chat, body="a\ud800b", client_key="k-1")


async def answers(communicator, count: int) -> list[dict]:
    """The next `count` answers to sends (acks and errors), skipping broadcasts and states."""
    found: list[dict] = []
    while len(found) < count:
        frame = json.loads(await communicator.receive_from(timeout=3))
        if frame["type"] in ("ack", "error"):
            found.append(frame)
    return found


def test_thirty_messages_queued_during_a_drop_all_arrive_exactly_once(monkeypatch):
    # The flood limit (10 per window) answers the rest of a resume with "not now, retry after";
    # a client that waits that long and sends the rest again loses nothing and doubles nothing.
    monkeypatch.setattr(consumers, "SEND_WINDOW", 1.0)
    visitor, chat = chat_under_way()
    queued = [(f"q-{n:02d}", f"Bericht {n}") for n in range(30)]

    async def scenario() -> None:
        child = socket("/ws/chat/", visitor)
        await connect(child)
        pending = list(queued)
        acknowledged: dict[str, int] = {}
        for _round in range(10):
            for key, body in pending:  # everything at once, as chat.js does on reconnect
                await send(child, type="send", key=key, body=body)
            wait = 0.0
            for frame in await answers(child, len(pending)):
                if frame["type"] == "ack":
                    assert (
                        frame["key"] not in acknowledged
                        or acknowledged[frame["key"]] == frame["seq"]
                    )
                    acknowledged[frame["key"]] = frame["seq"]
                else:
                    assert "retry_after" in frame, f"refused for good: {frame}"
                    wait = max(wait, frame["retry_after"])
            pending = [(key, body) for key, body in pending if key not in acknowledged]
            if not pending:
                break
            await asyncio.sleep(wait)
        assert not pending, f"{len(pending)} messages never arrived"
        await child.disconnect()

    async_to_sync(scenario)()
    stored = list(
        Message.objects.filter(conversation=chat, sender=Sender.VISITOR)
        .order_by("sequence")
        .values_list("client_key", "body")
    )
    assert stored == queued


def test_a_message_sent_while_the_database_is_away_is_asked_again_not_dropped(monkeypatch):
    visitor, chat = chat_under_way()
    real_send = services.send_visitor_message
    outage = {"left": 1}

    def flaky_send(**kwargs):
        if outage["left"]:
            outage["left"] -= 1
            raise OperationalError("server closed the connection unexpectedly")
        return real_send(**kwargs)

    monkeypatch.setattr(services, "send_visitor_message", flaky_send)

    async def scenario() -> None:
        child = socket("/ws/chat/", visitor)
        await connect(child)
        await send(child, type="send", key="k-1", body="Ben je daar?")
        (error,) = await answers(child, 1)
        assert error["type"] == "error" and error["key"] == "k-1"
        assert error["retry_after"] > 0  # not now: the page keeps it and sends it again
        await asyncio.sleep(error["retry_after"])
        await send(child, type="send", key="k-1", body="Ben je daar?")
        (ack,) = await answers(child, 1)
        assert ack["type"] == "ack" and ack["key"] == "k-1"
        await child.disconnect()

    async_to_sync(scenario)()
    assert Message.objects.filter(conversation=chat, client_key="k-1").count() == 1


def test_one_browser_session_keeps_only_its_newest_sockets_open():
    visitor, _chat = chat_under_way()

    async def scenario() -> None:
        windows = []
        for _ in range(5):
            window = socket("/ws/chat/", visitor)
            await connect(window)
            windows.append(window)
        for old in windows[:2]:  # the oldest give way, with a code the page understands
            output = await old.receive_output(timeout=3)
            while output["type"] == "websocket.send":
                output = await old.receive_output(timeout=3)
            assert output == {"type": "websocket.close", "code": consumers.CLOSE_SUPERSEDED}
        for newest in windows[2:]:
            await send(newest, type="hello", after=0)
            assert (await next_of(newest, "history"))["type"] == "history"
            await newest.disconnect()

    async_to_sync(scenario)()


def test_a_socket_that_asks_for_the_history_again_and_again_is_told_to_wait():
    visitor, _chat = chat_under_way()

    async def scenario() -> None:
        child = socket("/ws/chat/", visitor)
        await connect(child)
        for _ in range(20):
            await send(child, type="hello", after=0)
        histories, waits = 0, list[dict]()
        while histories + len(waits) < 20:
            frame = json.loads(await child.receive_from(timeout=3))
            if frame["type"] == "history":
                histories += 1
            elif frame["type"] == "error":
                waits.append(frame)
        assert histories == consumers.HELLO_LIMIT
        assert all(w["about"] == "hello" and w["retry_after"] > 0 for w in waits)
        await child.disconnect()

    async_to_sync(scenario)()
