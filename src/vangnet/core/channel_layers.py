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

A channel's messages wait in an `_Inbox`, not an `asyncio.Queue`: every open socket has one
while it waits for its next event, and a queue carries three deques and an `Event` with a
fourth — about 3 KB a socket, for a list that is nearly always empty.
"""

from __future__ import annotations

import asyncio
import contextlib
import sys
import time
from copy import deepcopy
from typing import Any

from channels.exceptions import ChannelFull
from channels.layers import InMemoryChannelLayer as ChannelsInMemoryChannelLayer


class _Inbox:
    """A channel's waiting messages (expiry time, message), oldest first, and the receivers
    waiting for one — what `asyncio.Queue` does for a channel, in a few hundred bytes."""

    __slots__ = ("capacity", "messages", "receivers")

    def __init__(self, capacity: int) -> None:
        self.capacity = capacity
        self.messages: list[tuple[float, dict[str, Any]]] = []
        self.receivers: list[asyncio.Future[None]] = []

    def put(self, expires: float, message: dict[str, Any]) -> None:
        if len(self.messages) >= self.capacity:
            raise ChannelFull
        self.messages.append((expires, message))
        self._wake()

    async def get(self) -> dict[str, Any]:
        while not self.messages:
            woken = asyncio.get_running_loop().create_future()
            self.receivers.append(woken)
            try:
                await woken
            except BaseException:
                with contextlib.suppress(ValueError):
                    self.receivers.remove(woken)
                if self.messages and woken.done() and not woken.cancelled():
                    self._wake()  # woken, then cancelled: the message is another's now
                raise
        return self.messages.pop(0)[1]

    @property
    def unused(self) -> bool:
        """No message waits and no receiver: the channel can go."""
        return not self.messages and not self.receivers

    def drop_expired(self, now: float) -> int:
        """Remove the messages expired at `now` (oldest first); how many went."""
        expired = 0
        while self.messages and self.messages[0][0] < now:
            self.messages.pop(0)
            expired += 1
        return expired

    def _wake(self) -> None:
        while self.receivers:
            receiver = self.receivers.pop(0)
            if not receiver.done():
                receiver.set_result(None)
                return


class InMemoryChannelLayer(ChannelsInMemoryChannelLayer):
    sweep_interval = 1.0  # seconds
    _swept_at = 0.0
    channels: dict[str, _Inbox]

    def _clean_expired(self) -> None:
        """As Channels: expired messages dropped (and their channel from every group), and
        group memberships older than `group_expiry` ended — at most once a `sweep_interval`."""
        now = time.monotonic()
        if now - self._swept_at < self.sweep_interval:
            return
        self._swept_at = now
        wall = time.time()
        for channel, inbox in list(self.channels.items()):
            if inbox.drop_expired(wall):
                self._remove_from_groups(channel)
                if inbox.unused:
                    self.channels.pop(channel, None)
        joined_before = int(wall) - self.group_expiry
        for members in self.groups.values():
            for name, joined in list(members.items()):
                if joined and joined < joined_before:
                    members.pop(name, None)

    def _inbox(self, channel: str) -> _Inbox:
        inbox = self.channels.get(channel)
        if inbox is None:
            inbox = self.channels[channel] = _Inbox(self.get_capacity(channel))
        return inbox

    def _put(self, channel: str, message: dict[str, Any]) -> None:
        try:
            self._inbox(channel).put(time.time() + self.expiry, deepcopy(message))
        except ChannelFull:
            raise ChannelFull(channel) from None

    async def send(self, channel: str, message: dict[str, Any]) -> None:
        assert isinstance(message, dict), "message is not a dict"
        self.require_valid_channel_name(channel)
        assert "__asgi_channel__" not in message
        self._put(channel, message)

    async def receive(self, channel: str) -> dict[str, Any]:
        self.require_valid_channel_name(channel)
        self._clean_expired()
        inbox = self._inbox(channel)
        try:
            return await inbox.get()
        finally:
            if inbox.unused and self.channels.get(channel) is inbox:
                del self.channels[channel]

    async def group_send(self, group: str, message: dict[str, Any]) -> None:
        """To every member at once, without a task each: putting on a queue never waits. A
        member whose queue is full misses the message, as in Channels."""
        assert isinstance(message, dict), "message is not a dict"
        self.require_valid_group_name(group)
        self._clean_expired()
        for channel in list(self.groups.get(group, ())):
            with contextlib.suppress(ChannelFull):
                self._put(channel, message)


def unreachable_errors() -> tuple[type[BaseException], ...]:
    """What a channel layer that cannot be reached raises: `OSError` (refused, reset, timed
    out), and Redis' own errors once the Redis client is loaded. Asked for when an exception
    is caught (`except unreachable_errors():`), so a process whose layer is this embedded one
    never loads the Redis client (4 to 8 MB) only to name its errors."""
    redis_exceptions = sys.modules.get("redis.exceptions")
    if redis_exceptions is None:
        return (OSError,)
    return (OSError, redis_exceptions.RedisError)
