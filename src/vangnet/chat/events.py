"""Real-time events of the chat. Only services publish, and only after their write commits.

Groups: one per conversation (the visitor's and the employees' sockets) and one per region's
queue (the staff queue pages). Events carry what changed; consumers re-read state from the
database where it matters, so an event lost in transit costs a refresh, never data.
"""

from __future__ import annotations

import logging
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

logger = logging.getLogger(__name__)


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


def publish(group: str, event: dict[str, Any]) -> None:
    """Send `event` to `group` once the current transaction has committed."""
    transaction.on_commit(lambda: _send(group, event))


def publish_now(group: str, event: dict[str, Any]) -> None:
    """For events that change nothing in the database (typing hints)."""
    _send(group, event)
