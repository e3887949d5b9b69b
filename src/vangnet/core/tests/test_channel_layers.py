"""The embedded channel layer still drops what has expired, only less eagerly; what counts
as a channel layer that cannot be reached."""

from __future__ import annotations

import asyncio
import sys

import pytest
from asgiref.sync import async_to_sync
from channels.exceptions import ChannelFull

from vangnet.core.channel_layers import InMemoryChannelLayer, unreachable_errors


def test_an_expired_message_is_never_delivered():
    layer = InMemoryChannelLayer(expiry=0.05)
    layer.sweep_interval = 0.1

    async def scenario() -> None:
        await layer.send("visitor.one", {"type": "chat.message", "body": "te laat"})
        await asyncio.sleep(0.2)
        with pytest.raises(TimeoutError):
            await asyncio.wait_for(layer.receive("visitor.one"), timeout=0.2)

    async_to_sync(scenario)()


def test_a_fresh_message_arrives_and_group_members_get_it():
    layer = InMemoryChannelLayer()

    async def scenario() -> None:
        await layer.group_add("conversation-1", "visitor.one")
        await layer.group_send("conversation-1", {"type": "chat.message", "body": "hallo"})
        message = await asyncio.wait_for(layer.receive("visitor.one"), timeout=1)
        assert message["body"] == "hallo"

    async_to_sync(scenario)()


def test_every_member_gets_its_own_copy_in_order_and_a_full_one_misses_out():
    layer = InMemoryChannelLayer(capacity=2)

    async def scenario() -> None:
        for member in ("visitor.one", "staff.two"):
            await layer.group_add("conversation-1", member)
        await layer.send("staff.two", {"type": "chat.typing"})
        await layer.send("staff.two", {"type": "chat.typing"})  # staff.two is now full
        for body in ("een", "twee"):
            await layer.group_send("conversation-1", {"type": "chat.message", "body": body})
        first = await layer.receive("visitor.one")
        second = await layer.receive("visitor.one")
        assert [first["body"], second["body"]] == ["een", "twee"]
        first["body"] = "changed by one receiver"
        assert [(await layer.receive("staff.two"))["type"] for _ in range(2)] == ["chat.typing"] * 2
        assert layer.channels == {}, "an emptied channel leaves nothing behind"

    async_to_sync(scenario)()


def test_a_receiver_waiting_gets_what_is_sent_later():
    layer = InMemoryChannelLayer()

    async def scenario() -> None:
        waiting = asyncio.ensure_future(layer.receive("visitor.one"))
        await asyncio.sleep(0.01)
        await layer.send("visitor.one", {"type": "chat.message", "body": "hallo"})
        assert (await asyncio.wait_for(waiting, timeout=1))["body"] == "hallo"

    async_to_sync(scenario)()


def test_a_receiver_cancelled_as_it_is_woken_leaves_the_message_to_the_next():
    """A socket that closes just as its event arrives must not take that event with it: the
    other receiver of the channel gets it."""
    layer = InMemoryChannelLayer()

    async def scenario() -> None:
        first = asyncio.ensure_future(layer.receive("visitor.one"))
        second = asyncio.ensure_future(layer.receive("visitor.one"))
        await asyncio.sleep(0.01)
        await layer.send("visitor.one", {"type": "chat.message", "body": "hallo"})
        first.cancel()  # woken by the send, cancelled before it ran
        assert (await asyncio.wait_for(second, timeout=1))["body"] == "hallo"
        assert first.cancelled()
        assert layer.channels == {}

    async_to_sync(scenario)()


def test_a_full_channel_refuses_and_keeps_what_it_has():
    layer = InMemoryChannelLayer(capacity=1)

    async def scenario() -> None:
        await layer.send("staff.two", {"type": "chat.message", "body": "een"})
        with pytest.raises(ChannelFull):
            await layer.send("staff.two", {"type": "chat.message", "body": "twee"})
        assert (await layer.receive("staff.two"))["body"] == "een"
        await layer.send("staff.two", {"type": "chat.message", "body": "drie"})
        assert (await layer.receive("staff.two"))["body"] == "drie"

    async_to_sync(scenario)()


def test_an_expired_message_takes_its_channel_out_of_its_groups():
    layer = InMemoryChannelLayer(expiry=0.05)
    layer.sweep_interval = 0.0

    async def scenario() -> None:
        await layer.group_add("conversation-1", "staff.two")
        await layer.send("staff.two", {"type": "chat.typing"})
        await asyncio.sleep(0.1)
        await layer.group_send("conversation-1", {"type": "chat.message", "body": "na"})
        assert "staff.two" not in layer.groups.get("conversation-1", {})
        assert layer.channels == {}

    async_to_sync(scenario)()


def test_redis_errors_count_as_unreachable_once_the_redis_client_is_loaded(monkeypatch):
    # The loaded module itself, put back after: importing it anew would make new exception
    # classes that the Redis client's own code does not raise.
    import redis.exceptions

    monkeypatch.delitem(sys.modules, "redis.exceptions")
    assert unreachable_errors() == (OSError,)
    monkeypatch.setitem(sys.modules, "redis.exceptions", redis.exceptions)

    try:
        raise redis.exceptions.ConnectionError(
            "Error 111 connecting to 127.0.0.1:6379. Connection refused."
        )
    except unreachable_errors() as caught:
        assert isinstance(caught, redis.exceptions.ConnectionError)
    try:
        raise ConnectionRefusedError(111, "Connection refused")
    except unreachable_errors() as caught:
        assert isinstance(caught, OSError)
