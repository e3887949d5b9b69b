"""The embedded channel layer still drops what has expired, only less eagerly."""

from __future__ import annotations

import asyncio

import pytest
from asgiref.sync import async_to_sync

from vangnet.core.channel_layers import InMemoryChannelLayer


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
