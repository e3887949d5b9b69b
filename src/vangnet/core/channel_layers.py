"""The embedded default's channel layer: Channels' in-memory layer, swept less often and
without a task or a spare queue per message.

Channels' `InMemoryChannelLayer` walks every channel and group for expired entries on each
`receive` and `group_send`; with a thousand open chats that walk was a quarter of a busy
process's time (docs/performance.md). Expiry is measured in a minute (messages) and a day
(group membership), so sweeping once a second changes nothing anybody notices.

It also made a new `asyncio.Queue` on every `send` and `receive` (the default argument of a
`setdefault`, thrown away when the channel had one) and a task per member on every
`group_send`: with two thousand sockets and a typing hint or a message every few
milliseconds, that was most of what the garbage collector found alive in its young
generation (ADR 0039). What a receiver gets is unchanged: its own copy of the message, in
order, with the same capacity and expiry.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from copy import deepcopy
from typing import Any

from channels.exceptions import ChannelFull
from channels.layers import InMemoryChannelLayer as ChannelsInMemoryChannelLayer


class InMemoryChannelLayer(ChannelsInMemoryChannelLayer):
    sweep_interval = 1.0  # seconds
    _swept_at = 0.0

    def _clean_expired(self) -> None:
        now = time.monotonic()
        if now - self._swept_at < self.sweep_interval:
            return
        self._swept_at = now
        super()._clean_expired()

    def _queue(self, channel: str) -> asyncio.Queue[tuple[float, dict[str, Any]]]:
        queue = self.channels.get(channel)
        if queue is None:
            queue = self.channels[channel] = asyncio.Queue(maxsize=self.get_capacity(channel))
        return queue

    def _put(self, channel: str, message: dict[str, Any]) -> None:
        try:
            self._queue(channel).put_nowait((time.time() + self.expiry, deepcopy(message)))
        except asyncio.QueueFull:
            raise ChannelFull(channel) from None

    async def send(self, channel: str, message: dict[str, Any]) -> None:
        assert isinstance(message, dict), "message is not a dict"
        self.require_valid_channel_name(channel)
        assert "__asgi_channel__" not in message
        self._put(channel, message)

    async def receive(self, channel: str) -> dict[str, Any]:
        self.require_valid_channel_name(channel)
        self._clean_expired()
        queue = self._queue(channel)
        try:
            _, message = await queue.get()
        finally:
            if queue.empty() and self.channels.get(channel) is queue:
                del self.channels[channel]
        return message

    async def group_send(self, group: str, message: dict[str, Any]) -> None:
        """To every member at once, without a task each: putting on a queue never waits. A
        member whose queue is full misses the message, as in Channels."""
        assert isinstance(message, dict), "message is not a dict"
        self.require_valid_group_name(group)
        self._clean_expired()
        for channel in list(self.groups.get(group, ())):
            with contextlib.suppress(ChannelFull):
                self._put(channel, message)
