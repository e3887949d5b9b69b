"""The team lead's floor (ADR 0033): who is available, busy or away; which chats wait and
which run; looking into a chat (with a reason, logged), a note only colleagues see, taking a
chat over, and moving an employee's chats back to the queue.

Everything here needs MANAGE_CHAT_DESK in the chat's (or the employee's) region.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from vangnet.accounts.models import User
from vangnet.accounts.policy import GRANTS, AccessDenied, Action, may, require, roles_for
from vangnet.audit.context import AuditContext
from vangnet.audit.models import AccessLogAction
from vangnet.audit.services import record_access
from vangnet.regions.models import Region

from . import assignment
from .errors import ChatError
from .messaging import append_message, employee_name, state_changed
from .models import Availability, Conversation, ConversationStatus, MessageKind, Sender

LEAD = Action.MANAGE_CHAT_DESK
MIN_REASON_LENGTH = 10


@dataclass
class FloorEmployee:
    user: User
    state: str  # "available" | "busy" | "away"
    running: int
    capacity: int


@dataclass
class Floor:
    region: Region
    employees: list[FloorEmployee]
    waiting: list[Conversation]
    running: list[Conversation]


def _chat_roles() -> list[str]:
    return [role for role, actions in GRANTS.items() if Action.HANDLE_CHAT in actions]


def floor_for(*, by: User, region: Region, audit: AuditContext | None) -> Floor:
    """The floor of one region. The chats shown (their numbers, times and employee) are
    logged as a list, like the queue."""
    require(by, LEAD, region)
    fresh = timezone.now() - timedelta(seconds=settings.CHAT_PRESENCE_SECONDS)
    users = list(
        User.objects.filter(
            is_active=True, memberships__region=region, memberships__role__in=_chat_roles()
        )
        .distinct()
        .order_by("first_name", "last_name", "pk")
    )
    availability = {a.user_id: a for a in Availability.objects.filter(user__in=users)}
    open_chats = list(
        Conversation.objects.filter(
            region=region, status__in=[ConversationStatus.WAITING, ConversationStatus.ACTIVE]
        )
        .select_related("assigned_to")
        .order_by("-is_urgent", "queued_at", "pk")
    )
    running_by: dict[int, int] = {}
    for chat in open_chats:
        if chat.status == ConversationStatus.ACTIVE and chat.assigned_to_id:
            running_by[chat.assigned_to_id] = running_by.get(chat.assigned_to_id, 0) + 1
    employees = []
    for user in users:
        found = availability.get(user.pk)
        present = bool(found and found.heartbeat_at and found.heartbeat_at >= fresh)
        running = running_by.get(user.pk, 0)
        if present and running:
            state = "busy"
        elif present and found is not None and found.is_available:
            state = "available"
        else:
            state = "away"
        employees.append(
            FloorEmployee(
                user=user,
                state=state,
                running=running,
                capacity=found.capacity if found else assignment.DEFAULT_CAPACITY,
            )
        )
    if open_chats:
        record_access(
            user=by,
            action=AccessLogAction.VIEW,
            objects=open_chats,
            roles=roles_for(by, LEAD, region),
            audit=audit,
        )
    return Floor(
        region=region,
        employees=employees,
        waiting=[c for c in open_chats if c.status == ConversationStatus.WAITING],
        running=[c for c in open_chats if c.status == ConversationStatus.ACTIVE],
    )


def _chat_for_lead(*, by: User, conversation_id: int, audit: AuditContext | None) -> Conversation:
    chat = (
        Conversation.objects.select_related("region", "home_region", "assigned_to")
        .filter(pk=conversation_id)
        .first()
    )
    if chat is None:
        require(by, LEAD)
        raise Http404
    if not may(by, LEAD, chat):
        record_access(user=by, action=AccessLogAction.REFUSED, obj=chat, audit=audit)
        raise AccessDenied(action=LEAD, obj=chat, logged=True)
    return chat


def look_into(
    *, by: User, conversation_id: int, reason: str, audit: AuditContext | None
) -> Conversation:
    """The team lead reads a running chat; the reason goes into the access log."""
    chat = _chat_for_lead(by=by, conversation_id=conversation_id, audit=audit)
    reason = reason.strip()
    if len(reason) < MIN_REASON_LENGTH:
        raise ChatError(
            _("Schrijf waarom u meekijkt (minstens %(count)s tekens): dat komt in het logboek.")
            % {"count": MIN_REASON_LENGTH}
        )
    record_access(
        user=by,
        action=AccessLogAction.VIEW,
        obj=chat,
        roles=roles_for(by, LEAD, chat),
        audit=audit,
        reason=f"meekijken: {reason}"[:500],
    )
    return chat


def chat_for_lead(*, by: User, conversation_id: int, audit: AuditContext | None) -> Conversation:
    """For an action on the chat (note, take over): checked, not logged as a view."""
    return _chat_for_lead(by=by, conversation_id=conversation_id, audit=audit)


def add_note(
    *, by: User, conversation: Conversation, body: str, audit: AuditContext | None = None
) -> None:
    """A note only colleagues see (never sent to the visitor)."""
    text = body.strip()
    if not text:
        raise ChatError(_("Schrijf een notitie."))
    if len(text) > 1000:
        raise ChatError(_("Een notitie is hoogstens 1000 tekens."))
    with transaction.atomic():
        locked = Conversation.objects.select_for_update().get(pk=conversation.pk)
        if not locked.is_open:
            raise ChatError(_("Deze chat is afgelopen."))
        record_access(
            user=by,
            action=AccessLogAction.CHANGE,
            obj=locked,
            roles=roles_for(by, LEAD, locked),
            audit=audit,
        )
        append_message(locked, sender=Sender.EMPLOYEE, kind=MessageKind.NOTE, body=text, author=by)


def take_over(
    *, by: User, conversation: Conversation, audit: AuditContext | None = None
) -> Conversation:
    """The team lead continues the chat; the visitor is told who continues."""
    with transaction.atomic():
        locked = Conversation.objects.select_for_update().get(pk=conversation.pk)
        if not may(by, LEAD, locked) or not may(by, Action.HANDLE_CHAT, locked):
            raise AccessDenied(action=LEAD, obj=locked)
        if locked.status not in (ConversationStatus.WAITING, ConversationStatus.ACTIVE):
            raise ChatError(_("Deze chat is afgelopen."))
        if locked.assigned_to_id == by.pk:
            return locked
        locked.status = ConversationStatus.ACTIVE
        locked.assigned_to = by
        locked.accepted_at = locked.accepted_at or timezone.now()
        locked.save(update_fields=["status", "assigned_to", "accepted_at"])
        record_access(
            user=by,
            action=AccessLogAction.CHANGE,
            obj=locked,
            roles=roles_for(by, LEAD, locked),
            audit=audit,
            reason="chat overgenomen door de teamleider",
        )
        append_message(
            locked,
            sender=Sender.SYSTEM,
            kind=MessageKind.EVENT,
            body=lambda: (
                _("%(name)s van Veilig Thuis neemt het gesprek over.") % {"name": employee_name(by)}
            ),
        )
        state_changed(locked)
    return locked


def return_employee_chats(*, by: User, employee_id: int, audit: AuditContext | None = None) -> int:
    """Move every running chat of an employee (in the lead's regions) back to the queue."""
    employee_for_lead(by=by, employee_id=employee_id)
    chats = [
        chat
        for chat in Conversation.objects.filter(
            assigned_to_id=employee_id, status=ConversationStatus.ACTIVE
        ).select_related("region")
        if may(by, LEAD, chat)
    ]
    count = 0
    for chat in chats:
        record_access(
            user=by,
            action=AccessLogAction.CHANGE,
            obj=chat,
            roles=roles_for(by, LEAD, chat),
            audit=audit,
            reason="terug naar de wachtrij gezet door de teamleider",
        )
        count += int(assignment.return_to_queue(conversation=chat))
    return count


def employee_for_lead(*, by: User, employee_id: int) -> User:
    employee = User.objects.filter(pk=employee_id).first()
    if employee is None:
        require(by, LEAD)
        raise Http404
    if not may(by, LEAD, employee):
        raise AccessDenied(action=LEAD, obj=employee)
    return employee
