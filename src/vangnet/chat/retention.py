"""Retention of chat transcripts: the words of a conversation go after the retention period;
the outcome registration (the contact) stays."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from vangnet.audit.services import log_destroyed

from .models import (
    Conversation,
    ConversationStatus,
    Message,
)


def purge_old_transcripts(*, now: Any = None, ended_before: Any = None, keep: Any = ()) -> int:
    """Delete the messages of chats that ended longer ago than the retention period (or
    before `ended_before`, as the daily retention computes it), except the chats in `keep`
    (a legal hold).

    The outcome registration (the contact) stays; only the words of the conversation go.
    """
    moment = now or timezone.now()
    limit = ended_before or moment - timedelta(days=settings.CHAT_TRANSCRIPT_RETENTION_DAYS)
    due = Conversation.objects.filter(
        transcript_purged_at__isnull=True,
        status__in=[ConversationStatus.CLOSED, ConversationStatus.ABANDONED],
        ended_at__lt=limit,
    ).exclude(pk__in=list(keep))
    purged = 0
    for conversation_id in due.values_list("pk", flat=True).iterator():
        with transaction.atomic():
            Message.objects.filter(conversation_id=conversation_id).delete()
            Conversation.objects.filter(pk=conversation_id).update(
                transcript_purged_at=moment, nickname=""
            )
            log_destroyed(
                "chat.conversation",
                conversation_id,
                reason=f"transcript ouder dan {settings.CHAT_TRANSCRIPT_RETENTION_DAYS} dagen",
            )
        purged += 1
    return purged
