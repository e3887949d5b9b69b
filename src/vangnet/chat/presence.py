"""Who is there: employees available for chats (availability and heartbeat of their queue
page) and whether the visitor's socket is connected."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from vangnet.accounts.models import User
from vangnet.accounts.policy import GRANTS, AccessDenied, Action, may, regions_where
from vangnet.regions.models import Region

from . import events
from .models import (
    Availability,
    Conversation,
)


def available_employees(region: Region | int) -> list[int]:
    """Ids of employees who take chats of `region` and whose queue page is connected now."""
    region_id = region if isinstance(region, int) else region.pk
    fresh = timezone.now() - timedelta(seconds=settings.CHAT_PRESENCE_SECONDS)
    roles = [role for role, actions in GRANTS.items() if Action.HANDLE_CHAT in actions]
    return list(
        Availability.objects.filter(
            is_available=True,
            heartbeat_at__gte=fresh,
            user__is_active=True,
            user__memberships__region_id=region_id,
            user__memberships__role__in=roles,
        )
        .values_list("user_id", flat=True)
        .distinct()
    )


def set_availability(*, user: User, available: bool) -> Availability:
    if available and not may(user, Action.HANDLE_CHAT):
        raise AccessDenied(action=Action.HANDLE_CHAT)
    now = timezone.now()
    availability, _created = Availability.objects.update_or_create(
        user=user, defaults={"is_available": available, "changed_at": now, "heartbeat_at": now}
    )
    # The team lead's floor shows who is available: it hears of the change.
    for region_id in regions_where(user, Action.HANDLE_CHAT):
        # Only the floor shows it; queue pages and the console let it pass (ADR 0035).
        events.publish(
            events.queue_group(region_id), {"type": "queue.changed", "about": "availability"}
        )
    return availability


def heartbeat(*, user: User) -> None:
    Availability.objects.filter(user=user).update(heartbeat_at=timezone.now())


def visitor_connected(*, conversation: Conversation, connected: bool) -> None:
    now = timezone.now()
    changed = (
        Conversation.objects.filter(pk=conversation.pk)
        .exclude(visitor_connected=connected)
        .update(visitor_connected=connected, visitor_seen_at=now)
    )
    if not changed:
        Conversation.objects.filter(pk=conversation.pk).update(visitor_seen_at=now)
    else:
        events.publish_now(
            events.conversation_group(conversation.pk),
            {"type": "chat.presence", "visitor_connected": connected},
        )
