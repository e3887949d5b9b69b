"""Reads for the employee's console (ADR 0033): several chats on one screen, each with what
the employee needs at hand. Everything that shows a visitor's details or a dossier's history
is policy-checked and logged, like the pages it replaces."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from vangnet.accounts.models import User
from vangnet.accounts.policy import Action, may, roles_for, scope
from vangnet.audit.context import AuditContext
from vangnet.audit.models import AccessLogAction
from vangnet.audit.services import record_access

from . import selectors
from .models import Conversation, ConversationStatus, StandardText

# How many earlier contacts of the dossier the side panel shows (newest first).
DOSSIER_HISTORY = 3


def standard_texts_for(*, region_id: int) -> QuerySet[StandardText]:
    """The region's own active standard texts and the national ones. No personal data."""
    return StandardText.objects.filter(
        Q(region_id=region_id) | Q(region__isnull=True), is_active=True
    ).order_by("title", "pk")


def waiting_count(user: User) -> int:
    """How many chats wait in the queues the user works in (a number: nothing to log)."""
    return (
        scope(Conversation.objects.all(), user, Action.HANDLE_CHAT)
        .filter(status=ConversationStatus.WAITING)
        .count()
    )


@dataclass
class ConsoleChat:
    conversation: Conversation
    handover: Any = None
    dossier_contacts: list[Any] = field(default_factory=list)


def dossier_history(
    *, user: User, conversation: Conversation, audit: AuditContext | None
) -> list[Any]:
    """The last contacts of the chat's advice dossier (the agreements made before), when the
    chat came with a continuity code. Logged: it is the dossier's content."""
    if conversation.dossier_id is None or not may(
        user, Action.MANAGE_DOSSIER, conversation.dossier
    ):
        return []
    contacts = list(
        conversation.dossier.contacts.order_by("-received_at")[:DOSSIER_HISTORY]  # type: ignore[union-attr]  # dossier_id checked above
    )
    if contacts:
        record_access(
            user=user,
            action=AccessLogAction.VIEW,
            objects=contacts,
            roles=roles_for(user, Action.MANAGE_DOSSIER, conversation.dossier),
            audit=audit,
        )
    return contacts


def console_chats(*, user: User, audit: AuditContext | None) -> list[ConsoleChat]:
    """The employee's open chats (logged as a list), each with its handover agreements and
    its dossier's history."""
    chats = selectors.my_chats(user=user, audit=audit)
    ids = [chat.pk for chat in chats]
    full = {
        chat.pk: chat
        for chat in Conversation.objects.filter(pk__in=ids).select_related(
            "region", "home_region", "dossier", "preferred_employee", "handover"
        )
    }
    result = []
    for chat in chats:
        conversation = full.get(chat.pk, chat)
        result.append(
            ConsoleChat(
                conversation=conversation,
                handover=getattr(conversation, "handover", None),
                dossier_contacts=dossier_history(user=user, conversation=conversation, audit=audit),
            )
        )
    return result


def transcript_for_export(
    *, user: User, conversation_id: int, audit: AuditContext | None
) -> Conversation:
    """A conversation the user may handle, for printing or downloading: logged as an export."""
    conversation = selectors.conversation_for_staff(
        user=user, conversation_id=conversation_id, audit=audit, log=False
    )
    record_access(
        user=user,
        action=AccessLogAction.EXPORT,
        obj=conversation,
        roles=roles_for(user, Action.HANDLE_CHAT, conversation),
        audit=audit,
        reason="transcript afgedrukt of gedownload",
    )
    return conversation


def transcript_lines(conversation: Conversation) -> list[tuple[Any, str, str]]:
    """(time, who, text) for every message, staff notes included (it is a staff export)."""
    lines = []
    for message in selectors.messages_after(conversation, after=0, for_visitor=False):
        if message.sender == "visitor":
            who = conversation.nickname or _("Bezoeker")
        elif message.sender == "system":
            who = _("Systeem")
        else:
            who = message.author_name or message.get_sender_display()
        text = f"{message.body} ({message.link_url})" if message.link_url else message.body
        lines.append((message.created_at, who, text))
    return lines
