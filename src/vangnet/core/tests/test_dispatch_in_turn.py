"""A socket's messages — its client's frames and its channel events — are taken one at a time,
in the order each source gives them, until the socket stops (ADR 0039)."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from asgiref.sync import async_to_sync
from channels.exceptions import StopConsumer

from vangnet.core.consumers import dispatch_in_turn


def source_of(queue: asyncio.Queue[dict[str, Any]]) -> Any:
    return queue.get


def test_messages_are_dispatched_one_at_a_time_in_each_sources_order():
    async def scenario() -> list[str]:
        frames: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        events: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        seen: list[str] = []
        running = 0

        async def dispatch(message: dict[str, Any]) -> None:
            nonlocal running
            running += 1
            assert running == 1, "two dispatches of one socket at the same time"
            await asyncio.sleep(0.001)  # a dispatch that waits lets the other source try
            seen.append(message["name"])
            running -= 1
            if message["name"] == "disconnect":
                raise StopConsumer

        for n in range(5):
            frames.put_nowait({"name": f"frame {n}"})
            events.put_nowait({"name": f"event {n}"})
        task = asyncio.ensure_future(dispatch_in_turn([frames.get, events.get], dispatch))
        await asyncio.sleep(0.1)
        frames.put_nowait({"name": "disconnect"})
        with pytest.raises(StopConsumer):
            await asyncio.wait_for(task, timeout=1)
        return seen

    seen = async_to_sync(scenario)()
    assert [name for name in seen if name.startswith("frame")] == [f"frame {n}" for n in range(5)]
    assert [name for name in seen if name.startswith("event")] == [f"event {n}" for n in range(5)]
    assert seen[-1] == "disconnect"


def test_a_source_that_fails_ends_the_socket_with_its_error_and_stops_the_other_reader():
    class LayerAway(ConnectionError):
        pass

    async def scenario() -> None:
        frames: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        waiting = asyncio.get_running_loop().create_future()

        async def events() -> dict[str, Any]:
            await asyncio.sleep(0.01)
            raise LayerAway

        async def frame() -> dict[str, Any]:
            waiting.set_result(True)
            return await frames.get()

        async def dispatch(message: dict[str, Any]) -> None:
            raise AssertionError("nothing arrived to dispatch")

        with pytest.raises(LayerAway):
            await dispatch_in_turn([frame, events], dispatch)
        assert waiting.done()
        frames.put_nowait({"name": "a frame after the end"})
        await asyncio.sleep(0.01)
        assert frames.qsize() == 1, "the frame reader still read after the socket ended"

    async_to_sync(scenario)()


def test_nothing_is_dispatched_after_the_disconnect():
    async def scenario() -> list[str]:
        frames: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        events: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        seen: list[str] = []

        async def dispatch(message: dict[str, Any]) -> None:
            seen.append(message["name"])
            if message["name"] == "disconnect":
                events.put_nowait({"name": "an event read while the socket closed"})
                await asyncio.sleep(0.01)  # the event's reader now waits for its turn
                raise StopConsumer

        frames.put_nowait({"name": "disconnect"})
        with pytest.raises(StopConsumer):
            await asyncio.wait_for(dispatch_in_turn([frames.get, events.get], dispatch), 1)
        return seen

    assert async_to_sync(scenario)() == ["disconnect"]
