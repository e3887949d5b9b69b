"""What an open queue page is pushed when a chat comes into, moves in or leaves a queue.

A queue change carries what changed (ADR 0035): the region, the region's next number
(`QueueClock`, raised in the change's own transaction, so the numbers follow the commits),
the chat's id, the row a queue page shows for it when it now waits there (else nothing: the
row goes), how many wait in the region, and whose "my chats" changed. An open queue page
applies it without a fetch; a page that misses a number fetches the queue again.

The row holds what the queue page's row shows (`_queue.html`): the visitor's nickname, age,
gender, postcode and home region, never a word of the chat. Who is shown it is logged by the
socket that shows it (`chat.consumers.RowViews`).
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import F

from .models import Conversation, ConversationStatus, QueueClock


def next_number(region_id: int) -> int:
    """Raise the region's queue clock in the current transaction; its new number."""
    with transaction.atomic():
        if not QueueClock.objects.filter(region_id=region_id).update(sequence=F("sequence") + 1):
            QueueClock.objects.get_or_create(region_id=region_id)
            QueueClock.objects.filter(region_id=region_id).update(sequence=F("sequence") + 1)
        return QueueClock.objects.filter(region_id=region_id).values_list("sequence", flat=True)[0]


def numbers(region_ids: set[int]) -> dict[int, int]:
    """The regions' current numbers (0 for a queue that never changed). Read by a page before
    it reads the queue: every change up to these numbers is in what it then reads."""
    found = dict(
        QueueClock.objects.filter(region_id__in=region_ids).values_list("region_id", "sequence")
    )
    return {region_id: found.get(region_id, 0) for region_id in region_ids}


def row(conversation: Conversation) -> dict[str, Any]:
    """What the queue page's row shows of a waiting chat (`_queue.html`)."""
    return {
        "id": conversation.pk,
        "nickname": conversation.nickname,
        "urgent": conversation.is_urgent,
        "handover": bool(conversation.volunteer_id),
        "preferred": (
            conversation.preferred_employee.first_name if conversation.preferred_employee else ""
        ),
        "age": conversation.age,
        "gender": conversation.gender,
        "home_region": conversation.home_region.name,
        "postcode": conversation.postcode,
        "region": conversation.region.name,
        "overflowed": conversation.overflowed,
        "queued_at": conversation.queued_at.isoformat(),
    }


def changes(conversation_id: int, region_ids: set[int]) -> list[tuple[int, dict[str, Any]]]:
    """The pushed change for each region: call inside the transaction that made it."""
    fresh = (
        Conversation.objects.select_related("region", "home_region", "preferred_employee")
        .filter(pk=conversation_id)
        .first()
    )
    if fresh is None:
        return []
    waiting = fresh.status == ConversationStatus.WAITING
    out = []
    for region_id in sorted(region_ids | {fresh.region_id}):
        shown = waiting and fresh.region_id == region_id
        out.append(
            (
                region_id,
                {
                    "type": "queue.row",
                    "region": region_id,
                    "seq": next_number(region_id),
                    "conversation": fresh.pk,
                    "row": row(fresh) if shown else None,
                    "count": Conversation.objects.filter(
                        region_id=region_id, status=ConversationStatus.WAITING
                    ).count(),
                    "assignee": fresh.assigned_to_id,
                },
            )
        )
    return out
