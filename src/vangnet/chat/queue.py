"""The queue arithmetic: a waiting visitor's place and estimated wait, overflow to the
national desk, and the sweep of waiting chats whose visitor is gone."""

from __future__ import annotations

import math
import statistics
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from vangnet.regions.selectors import national_desk

from .assignment import sweep as assignment_sweep
from .desks import chat_open_for, desk_for
from .messaging import append_message, lock_conversation, state_changed
from .models import (
    Conversation,
    ConversationStatus,
    MessageKind,
    Sender,
)
from .presence import available_employees
from .services import leave_chat


@dataclass(frozen=True)
class QueueStatus:
    position: int
    available: int
    estimate_minutes: int | None  # None: nobody is available to estimate from


def typical_duration_minutes(region_id: int) -> float:
    since = timezone.now() - timedelta(days=30)
    durations = [
        (ended - accepted).total_seconds() / 60
        for accepted, ended in Conversation.objects.filter(
            region_id=region_id, accepted_at__gte=since, ended_at__isnull=False
        )
        .order_by("-accepted_at")
        .values_list("accepted_at", "ended_at")[:50]
        if accepted is not None and ended is not None  # the filter says so; the types do not
    ]
    if len(durations) < 5:
        return float(settings.CHAT_TYPICAL_DURATION_MINUTES)
    return statistics.median(durations)


def queue_status(conversation: Conversation) -> QueueStatus:
    ahead = (
        Conversation.objects.filter(
            region_id=conversation.region_id, status=ConversationStatus.WAITING
        )
        .filter(
            Q(queued_at__lt=conversation.queued_at)
            | Q(queued_at=conversation.queued_at, pk__lt=conversation.pk)
        )
        .count()
    )
    position = ahead + 1
    available = available_employees(conversation.region_id)
    if not available:
        return QueueStatus(position=position, available=0, estimate_minutes=None)
    busy = set(
        Conversation.objects.filter(
            assigned_to_id__in=available, status=ConversationStatus.ACTIVE
        ).values_list("assigned_to_id", flat=True)
    )
    free = len(available) - len(busy)
    if position <= free:
        return QueueStatus(position=position, available=len(available), estimate_minutes=1)
    # Each available employee finishes a chat of typical length; the visitor waits for
    # (position - free) of those to end, spread over everyone available.
    rounds = math.ceil((position - free) / len(available))
    minutes = math.ceil(rounds * typical_duration_minutes(conversation.region_id))
    return QueueStatus(position=position, available=len(available), estimate_minutes=minutes)


def overflow_if_due(*, conversation: Conversation) -> bool:
    """Send a waiting chat to the national desk when nobody of its region came in time."""
    if conversation.status != ConversationStatus.WAITING or conversation.overflowed:
        return False
    if conversation.preferred_employee_id or conversation.volunteer_id:
        return False  # asked for a person, or a handover: it stays where it was sent
    region = conversation.region
    if region.is_national_desk:
        return False
    desk = desk_for(region)
    if not desk.overflow_to_national_desk:
        return False
    waited = (timezone.now() - conversation.queued_at).total_seconds()
    if waited < desk.overflow_after_seconds or available_employees(region):
        return False
    national = national_desk()
    if not chat_open_for(national):
        return False
    with transaction.atomic():
        locked = lock_conversation(conversation)
        if locked.status != ConversationStatus.WAITING or locked.overflowed:
            return False
        previous = locked.region_id
        locked.region = national
        locked.overflowed = True
        locked.save(update_fields=["region", "overflowed"])
        append_message(
            locked,
            sender=Sender.SYSTEM,
            kind=MessageKind.NOTE,
            body=_("Doorgezet naar het landelijk loket: niemand van %(region)s was beschikbaar.")
            % {"region": region.name},
        )
        state_changed(locked, previous)
    conversation.refresh_from_db()
    return True


def sweep_waiting_chats() -> int:
    """Mark waiting chats whose visitor has been disconnected too long as abandoned."""
    now = timezone.now()
    limit = now - timedelta(seconds=settings.CHAT_WAITING_VISITOR_GONE_SECONDS)
    gone = (
        Conversation.objects.filter(status=ConversationStatus.WAITING, visitor_connected=False)
        .filter(
            Q(visitor_seen_at__lt=limit) | Q(visitor_seen_at__isnull=True, created_at__lt=limit)
        )
        # A warm handover waits for the child for as long as the join code is valid: the
        # child has not left, they have not come yet (seed 000; the code lasts 30 minutes).
        .exclude(handover__join_digest__gt="", handover__join_expires_at__gt=now)
    )
    count = 0
    for conversation in gone:
        leave_chat(conversation=conversation)
        count += 1
    # Chats left behind by an employee go back to the queue; desks that offer chats do so.
    assignment_sweep()
    return count
