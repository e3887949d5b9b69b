"""Remove chat transcripts older than CHAT_TRANSCRIPT_RETENTION_DAYS (schedule it daily).

The advice contact registered at the close stays; only the words of the conversation and the
visitor's nickname go. Each removal is an entry in the access log.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from vangnet.chat.retention import purge_old_transcripts


class Command(BaseCommand):
    help = (
        "Delete the messages of chats that ended more than CHAT_TRANSCRIPT_RETENTION_DAYS ago; "
        "the outcome registration (contact) is kept."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        purged = purge_old_transcripts()
        self.stdout.write(
            self.style.SUCCESS(
                f"{purged} transcript(s) removed (retention "
                f"{settings.CHAT_TRANSCRIPT_RETENTION_DAYS} days)."
            )
        )
