"""The sockets' common ground: a consumer that takes its messages in turn without a task per
message (ADR 0039), and the WebSocket health probe."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import json
from collections.abc import Awaitable, Callable
from typing import Any

from channels.exceptions import StopConsumer
from channels.generic.websocket import AsyncWebsocketConsumer
from channels.layers import get_channel_layer

Source = Callable[[], Awaitable[dict[str, Any]]]


async def dispatch_in_turn(
    sources: list[Source], dispatch: Callable[[dict[str, Any]], Awaitable[None]]
) -> None:
    """Read every source and dispatch what arrives, one message at a time, until a dispatch
    or a source raises (`StopConsumer` on disconnect).

    What Channels' `await_many_dispatch` does, with one long-lived reader per source instead
    of a new task and an `asyncio.wait` for every message: each wake-up of a socket (a frame,
    a typing hint, a broadcast) made about thirty objects for the garbage collector, alive
    while the socket waited, and with two thousand sockets the collector's young generation
    held tens of thousands of them — each collection a pause of 20 to 60 ms for every chat of
    the process. As there, a reader that has a message waits for its turn before it reads
    the next, no two dispatches of one socket run at the same time, and none follows one that
    raised (the disconnect's `StopConsumer`)."""
    turn = asyncio.Lock()
    ended = False  # a dispatch raised: nothing more is dispatched, even what is already read

    async def read(source: Source) -> None:
        nonlocal ended
        while True:
            message = await source()
            async with turn:
                if ended:
                    return
                try:
                    await dispatch(message)
                except BaseException:
                    ended = True
                    raise

    # The first reader to end, told by a callback: `asyncio.wait` would keep two coroutines,
    # a closure and a future alive per socket for all of its life.
    first_ended: asyncio.Future[asyncio.Future[None]] = asyncio.get_running_loop().create_future()

    def ended_reader(reader: asyncio.Future[None]) -> None:
        if not first_ended.done():
            first_ended.set_result(reader)

    readers = [asyncio.ensure_future(read(source)) for source in sources]
    for reader in readers:
        reader.add_done_callback(ended_reader)
    try:
        # Readers only end by raising: raise what ended the first.
        (await first_ended).result()
    finally:
        for reader in readers:
            reader.cancel()
        # Wait for them to end; what they raised was raised above (or the wait was cancelled).
        await asyncio.gather(*readers, return_exceptions=True)


class InTurnWebsocketConsumer(AsyncWebsocketConsumer):
    """Channels' `AsyncWebsocketConsumer` whose messages (the client's frames and the channel
    layer's events) are taken by `dispatch_in_turn`."""

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        self.scope = scope
        self.channel_layer = get_channel_layer(self.channel_layer_alias)
        self.base_send = send
        sources: list[Source] = [receive]
        if self.channel_layer is not None:
            self.channel_name = await self.channel_layer.new_channel()
            self.channel_receive = functools.partial(self.channel_layer.receive, self.channel_name)
            sources.append(self.channel_receive)
        with contextlib.suppress(StopConsumer):
            await dispatch_in_turn(sources, self.dispatch)


class HealthConsumer(InTurnWebsocketConsumer):
    """A WebSocket health probe: accepts, round-trips one message through the channel layer."""

    async def connect(self) -> None:
        await self.accept()
        await self.channel_layer.send(self.channel_name, {"type": "health.echo"})

    async def health_echo(self, event: dict) -> None:
        await self.send(text_data=json.dumps({"status": "ok"}))
        await self.close()
