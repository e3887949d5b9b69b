"""Reads of the chat. Anything that shows a visitor's details or words is policy-checked
and lands in the access log; the visitor's own reads go by their session only."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, QuerySet, Subquery
from django.http import Http404

from vangnet.accounts.models import User
from vangnet.accounts.policy import (
    AccessDenied,
    Action,
    may,
    owns_handover,
    regions_where,
    roles_for,
    scope,
    scope_own_handovers,
)
from vangnet.audit.context import AuditContext
from vangnet.audit.models import AccessLogAction
from vangnet.audit.services import record_access, refuse

from .models import Conversation, ConversationStatus, Handover, HandoverStatus, Message, MessageKind

SESSION_KEY = "vangnet_chat"


def visitor_conversation(session: Any) -> Conversation | None:
    public_id = session.get(SESSION_KEY)
    if not public_id:
        return None
    return (
        Conversation.objects.select_related("region", "assigned_to")
        .filter(public_id=public_id)
        .first()
    )


def _log_shown(user: User, shown: list[Any], audit: AuditContext | None) -> None:
    """A list of the queue page (waiting chats, my chats, phone handovers): one entry for the
    records shown, none for an empty list."""
    if shown:
        record_access(
            user=user,
            action=AccessLogAction.VIEW,
            objects=shown,
            roles=roles_for(user, Action.HANDLE_CHAT),
            audit=audit,
        )


def messages_after(
    conversation: Conversation, *, after: int, for_visitor: bool
) -> QuerySet[Message]:
    queryset = Message.objects.filter(conversation=conversation, sequence__gt=after)
    if for_visitor:
        queryset = queryset.exclude(kind=MessageKind.NOTE)
    return queryset.order_by("sequence")


def transcript_after(
    conversation: Conversation, *, after: int, for_visitor: bool, reader: User | None = None
) -> tuple[list[Message], int]:
    """The messages after sequence `after` for a (re)connecting socket, and how far that
    reaches (`upto`: staff notes are not sent to the visitor, so their numbers leave holes).

    A socket's own check admitted the reader; what an employee or volunteer is sent is logged
    like the page that shows it (the visitor reads their own chat by their session).

    `upto` is read before the messages, and only messages up to it are sent: a message that
    is committed between the two reads then comes with its broadcast. Read the other way
    round, `upto` could reach past a message the answer does not hold, and the page, taking
    everything up to `upto` as shown, would drop that message when its broadcast came."""
    last = (
        Conversation.objects.filter(pk=conversation.pk)
        .values_list("last_sequence", flat=True)
        .first()
    ) or 0
    messages = list(
        messages_after(conversation, after=after, for_visitor=for_visitor).filter(
            sequence__lte=last
        )
    )
    if reader is not None and messages:
        record_access(
            user=reader,
            action=AccessLogAction.VIEW,
            obj=conversation,
            roles=roles_for(reader, Action.HANDLE_CHAT, conversation),
            reason="gesprek opgehaald door de verbinding",
        )
    return messages, max(after, last)


# The queue pages by this many; the heading counts everything waiting (Issue 13.5). Paged by
# number on purpose (ADR 0030): only the chats waiting right now are in it, which does not grow
# with the years, and the count is part of what the queue shows.
WAITING_PAGE_SIZE = 100


def waiting_chats(
    *, user: User, audit: AuditContext | None = None, page: int | str | None = 1
) -> Page[Conversation]:
    """The waiting chats of every queue the user works in, longest waiting first, one page
    of them (`page.paginator.count` is all of them). The chats shown are logged."""
    queryset = (
        scope(Conversation.objects.all(), user, Action.HANDLE_CHAT)
        .filter(status=ConversationStatus.WAITING)
        .select_related("region", "home_region", "preferred_employee", "handover")
        .order_by("-is_urgent", "queued_at", "pk")
    )
    page_obj = Paginator(queryset, WAITING_PAGE_SIZE).get_page(page)
    chats = list(page_obj.object_list)
    _log_shown(user, chats, audit)
    return page_obj


def waiting_counts(user: User) -> dict[int, int]:
    """How many chats wait in each queue the user works in (numbers: nothing to log)."""
    return dict(
        scope(Conversation.objects.all(), user, Action.HANDLE_CHAT)
        .filter(status=ConversationStatus.WAITING)
        .order_by()
        .values("region_id")
        .annotate(n=Count("pk"))
        .values_list("region_id", "n")
    )


def my_chats(*, user: User, audit: AuditContext | None = None) -> list[Conversation]:
    """Chats the user has accepted that still need them (running, or the outcome to register).
    The list shows visitors' details: it is logged like any other list."""
    chats = list(
        scope(Conversation.objects.all(), user, Action.HANDLE_CHAT)
        .filter(
            assigned_to=user,
            status__in=[ConversationStatus.ACTIVE, ConversationStatus.VISITOR_LEFT],
        )
        .select_related("region")
        .order_by("accepted_at")
    )
    _log_shown(user, chats, audit)
    return chats


def chat_regions(user: User) -> set[int]:
    return regions_where(user, Action.HANDLE_CHAT)


def conversation_for_staff(
    *,
    user: User,
    conversation_id: int,
    audit: AuditContext | None = None,
    log: bool = True,
    related: bool = True,
) -> Conversation:
    """One conversation with its transcript, for an employee who may handle it. Logged.

    `related=False` for a socket, which keeps it open for as long as it lives and reads
    nothing of the related rows: the conversation alone (ADR 0036)."""
    queryset = Conversation.objects.all()
    if related:
        queryset = queryset.select_related(
            "region", "home_region", "assigned_to", "contact", "handover"
        )
    conversation = queryset.filter(pk=conversation_id).first()
    if conversation is None:
        if not regions_where(user, Action.HANDLE_CHAT):
            raise AccessDenied(action=Action.HANDLE_CHAT)
        raise Http404

    if not may(user, Action.HANDLE_CHAT, conversation):
        raise refuse(user=user, action=Action.HANDLE_CHAT, obj=conversation, audit=audit)
    if log:
        record_access(
            user=user,
            action=AccessLogAction.VIEW,
            obj=conversation,
            roles=roles_for(user, Action.HANDLE_CHAT, conversation),
            audit=audit,
        )
    return conversation


# What of a conversation decides who may follow it (its region, the volunteer taking part) or
# changes what a socket shows (its status, its assignee): a socket's quick check reads these.
ACCESS_FIELDS = ("region_id", "volunteer_present", "volunteer_id", "status", "assigned_to_id")


def _reading(row: QuerySet[Any], fields: dict[str, str]) -> dict[str, Any]:
    """Expressions reading `fields` (name: field) of one row, as subqueries."""
    return {name: Subquery(row.values(field)[:1]) for name, field in fields.items()}


def conversation_access(conversation_id: int) -> dict[str, Any]:
    """Expressions reading a conversation's ACCESS_FIELDS, for the one statement of a
    socket's quick check (`accounts.websocket.still_current`, ADR 0036). No personal data."""
    row = Conversation.objects.filter(pk=conversation_id)
    return _reading(row, {field: field for field in ACCESS_FIELDS})


def handover_access(handover_id: int) -> dict[str, Any]:
    """The same for a handover: whose it is and which chat it is about."""
    row = Handover.objects.filter(pk=handover_id)
    return _reading(
        row,
        {"requested_by_id": "requested_by_id", "handover_conversation_id": "conversation_id"},
    )


def open_phone_handovers(*, user: User, audit: AuditContext | None = None) -> list[Any]:
    """Phone handovers waiting for (or accepted by) this employee, in the queues they work.
    They carry what the helpline agreed with the child: logged like any other list."""
    from django.db.models import Q

    handovers = list(
        scope(Handover.objects.all(), user, Action.HANDLE_CHAT)
        .filter(channel=Handover.Channel.PHONE)
        .filter(
            Q(status=HandoverStatus.REQUESTED) | Q(status=HandoverStatus.ACCEPTED, accepted_by=user)
        )
        .select_related("organisation", "region")
        .order_by("-is_urgent", "created_at")[:100]
    )
    _log_shown(user, handovers, audit)
    return handovers


def handover_for_staff(*, user: User, handover_id: int, audit: AuditContext | None) -> Any:

    handover = (
        Handover.objects.select_related("organisation", "region", "contact")
        .filter(pk=handover_id)
        .first()
    )
    if handover is None:
        if not regions_where(user, Action.HANDLE_CHAT):
            raise AccessDenied(action=Action.HANDLE_CHAT)
        raise Http404
    if not may(user, Action.HANDLE_CHAT, handover):
        raise refuse(user=user, action=Action.HANDLE_CHAT, obj=handover, audit=audit)
    record_access(
        user=user,
        action=AccessLogAction.VIEW,
        obj=handover,
        roles=roles_for(user, Action.HANDLE_CHAT, handover),
        audit=audit,
    )
    return handover


# --- Partner side: the helpline's volunteer and the helpline's system --------------------
# These answer what is the partner's own (accounts.policy.owns_handover) and raise for the
# rest, unlogged: each transport's refusal handler logs the refusal once (the 403 page, the
# API's exception handler, the socket).


def partner_handover(*, principal: Any, handover_id: int) -> Handover:
    """The partner's own handover; Http404 when there is none, AccessDenied when another's."""
    handover = (
        Handover.objects.select_related("conversation", "accepted_by")
        .filter(pk=handover_id)
        .first()
    )
    if handover is None:
        raise Http404
    if not owns_handover(principal, handover):
        raise AccessDenied(action=Action.REQUEST_HANDOVER, obj=handover)
    return handover


def partner_handovers(*, principal: Any) -> QuerySet[Handover]:
    return scope_own_handovers(Handover.objects.all(), principal)
