"""How busy this process is, as its chat sockets feel it (ADR 0036).

A process that is offered more than it carries gets slower for everyone on it; nothing is
lost (a message is stored before it is broadcast, and a page keeps it until it is), but the
visitor is owed an explanation and new chats should not make it worse. Two measures, both
taken in passing, without a task of their own:

- **the database thread's wait**: every socket's database call queues for the one database
  thread; how long the calls that start now have waited (`hop_started`);
- **the event loop's lag**: how much later than planned the sockets' own sleeping loops wake
  (`overslept`) — a loop that is behind delays every frame of the process.

Busy when either (smoothed) passes `CHAT_BUSY_SECONDS`; calm again when both are below a
third of it, and no sooner than `CHAT_BUSY_HOLD_SECONDS` after turning busy, so the notice
does not flicker. The visitors' sockets of this process are told when it turns (`busy`
frames), and the intake starts no new chat while it is busy, nor beyond
`CHAT_MAX_CONVERSATIONS` conversations with an open visitor socket in this process.

The figures are per process: with several processes each says only what it carries.
"""

from __future__ import annotations

import logging
import time
from collections import Counter
from collections.abc import Callable
from typing import Any

from django.conf import settings

logger = logging.getLogger(__name__)

SMOOTHING = 0.2  # weight of a new measurement
STALE_SECONDS = 5.0  # a measurement older than this no longer says anything


class Load:
    def __init__(self) -> None:
        self.wait = 0.0  # seconds a database call waited for the thread (smoothed)
        self.wait_at = 0.0
        self.lag = 0.0  # seconds the event loop is behind (smoothed)
        self.lag_at = 0.0
        self.busy = False
        self.busy_since = 0.0
        self.conversations: Counter[int] = Counter()  # open visitor sockets per chat
        self.listeners: dict[Any, Callable[[bool], None]] = {}

    # --- measuring ---

    def hop_started(self, waited: float) -> None:
        """A database call starts after waiting `waited` seconds (on the database thread)."""
        self.wait += SMOOTHING * (max(0.0, waited) - self.wait)
        self.wait_at = time.monotonic()

    def overslept(self, late: float) -> None:
        """A sleeping loop of a socket woke `late` seconds after it planned to."""
        self.lag += SMOOTHING * (max(0.0, late) - self.lag)
        self.lag_at = time.monotonic()
        self.evaluate()

    def behind(self) -> float | None:
        """How far behind the process is now, in seconds; None when no measure is recent
        (a process so far behind that no call started lately is not calm)."""
        now = time.monotonic()
        fresh = [
            value
            for value, at in ((self.wait, self.wait_at), (self.lag, self.lag_at))
            if now - at < STALE_SECONDS
        ]
        return max(fresh) if fresh else None

    def evaluate(self) -> None:
        """Turn busy or calm when the measures say so; tell the listeners (on the loop)."""
        threshold = settings.CHAT_BUSY_SECONDS
        behind = self.behind()
        if behind is None:
            return  # nothing new measured: stay as it is
        now = time.monotonic()
        if not self.busy and behind > threshold:
            self.busy, self.busy_since = True, now
            logger.warning("The chat is busy: %.1f s behind", behind)
        elif (
            self.busy
            and behind < threshold / 3
            and now - self.busy_since >= settings.CHAT_BUSY_HOLD_SECONDS
        ):
            self.busy = False
            logger.warning("The chat is no longer busy")
        else:
            return
        for tell in list(self.listeners.values()):
            tell(self.busy)

    # --- the conversations carried ---

    def opened(self, conversation_id: int, socket: Any, tell: Callable[[bool], None]) -> None:
        self.conversations[conversation_id] += 1
        self.listeners[socket] = tell

    def closed(self, conversation_id: int, socket: Any) -> None:
        if self.listeners.pop(socket, None) is None:
            return
        self.conversations[conversation_id] -= 1
        if self.conversations[conversation_id] <= 0:
            del self.conversations[conversation_id]

    def carried(self) -> int:
        """Conversations with an open visitor socket in this process."""
        return len(self.conversations)

    def takes_new_chats(self) -> bool:
        """May the intake start one more chat here? Not while busy, nor beyond the cap."""
        return not self.busy and self.carried() < settings.CHAT_MAX_CONVERSATIONS


LOAD = Load()
