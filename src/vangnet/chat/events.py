"""Real-time events of the chat. Only services publish, and only after their write commits.

Groups: one per conversation (the visitor's and the employees' sockets) and one per region's
queue (the staff queue pages and the sockets of visitors waiting in it). Events carry what
changed; consumers re-read state from the database where it matters, so an event lost in
transit costs a refresh, never data.

A service called by a socket runs on the database thread; publishing from there means a hop
back to the event loop per event (`async_to_sync`). The socket therefore runs the service
inside `collecting()`: what the service publishes after its commit is handed back, in order,
and the socket sends it on the loop itself (`apublish`) — still only after the commit
(ADR 0009, ADR 0029). Everything else (pages, the API, the worker) publishes directly.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator
from contextvars import ContextVar
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

logger = logging.getLogger(__name__)

Published = list[tuple[str, dict[str, Any]]]
_collector: ContextVar[Published | None] = ContextVar("chat_events_collector", default=None)


def conversation_group(conversation_id: int) -> str:
    return f"chat.c.{conversation_id}"


def queue_group(region_id: int) -> str:
    return f"chat.q.{region_id}"


def access_key(conversation: Any) -> str:
    """What decides who may follow a conversation live: its region, and whether the
    volunteer still takes part. Every event of the conversation carries it, so an open socket
    notices at once when it changed and asks the policy again before showing the event."""
    return f"{conversation.region_id}:{int(bool(conversation.volunteer_present))}"


def _send(group: str, event: dict[str, Any]) -> None:
    layer = get_channel_layer()
    if layer is None:
        return
    try:
        async_to_sync(layer.group_send)(group, event)
    except Exception:  # Redis briefly away: what was written stays written (see above)
        logger.warning("Could not publish %s on the channel layer", event.get("type"))


def _deliver(group: str, event: dict[str, Any]) -> None:
    collected = _collector.get()
    if collected is not None:
        collected.append((group, event))
    else:
        _send(group, event)


def publish(group: str, event: dict[str, Any]) -> None:
    """Send `event` to `group` once the current transaction has committed."""
    transaction.on_commit(lambda: _deliver(group, event))


def publish_now(group: str, event: dict[str, Any]) -> None:
    """For events that change nothing in the database (a presence flag already written)."""
    _deliver(group, event)


@contextlib.contextmanager
def collecting() -> Iterator[Published]:
    """Keep what is published (after commit) in this block instead of sending it: the caller
    sends it with `apublish`. Used on the database thread by the sockets."""
    collected: Published = []
    token = _collector.set(collected)
    try:
        yield collected
    finally:
        _collector.reset(token)


async def apublish(published: Published, layer: Any = None) -> None:
    """Send collected events on the event loop, in the order they were committed."""
    layer = layer if layer is not None else get_channel_layer()
    if layer is None:
        return
    for group, event in published:
        try:
            await layer.group_send(group, event)
        except Exception:  # Redis briefly away: what was written stays written (see above)
            logger.warning("Could not publish %s on the channel layer", event.get("type"))
