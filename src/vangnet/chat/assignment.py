"""Who takes which chat: capacity per employee, 'accept next', automatic offering, and the
return to the queue of a chat whose employee went away (ADR 0033).

An employee's capacity (default 2, set by the team lead) is how many running chats they take
at once. 'Accept next' takes the longest-waiting chat the employee may take. A chat of an
employee whose console has not been connected, or who has been set to away, for the desk's
`return_after_seconds` goes
back to the front of its queue (its `queued_at` is kept), the visitor is told a colleague
will continue, and the whole conversation stays with it.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from vangnet.accounts.models import User
from vangnet.accounts.policy import AccessDenied, Action, regions_where, require, scope
from vangnet.audit.context import AuditContext

from . import services
from .errors import ChatError
from .messaging import append_message, state_changed
from .models import (
    Availability,
    ChatDesk,
    Conversation,
    ConversationStatus,
    MessageKind,
    Sender,
)
from .presence import available_employees

DEFAULT_CAPACITY = 2
DEFAULT_RETURN_AFTER_SECONDS = 90


def capacity_of(user: User) -> int:
    value = Availability.objects.filter(user=user).values_list("capacity", flat=True).first()
    return value or DEFAULT_CAPACITY


def running_chats(user: User) -> int:
    return Conversation.objects.filter(assigned_to=user, status=ConversationStatus.ACTIVE).count()


def free_capacity(user: User) -> int:
    return max(0, capacity_of(user) - running_chats(user))


def set_capacity(*, user: User, capacity: int, by: User) -> Availability:
    """A team lead sets how many chats an employee of their region takes at once."""
    if not 1 <= capacity <= 6:
        raise ChatError(_("Kies een aantal van 1 tot en met 6 chats."))
    if not regions_where(by, Action.MANAGE_CHAT_DESK) & regions_where(user, Action.HANDLE_CHAT):
        raise AccessDenied(action=Action.MANAGE_CHAT_DESK, obj=user)
    availability, _created = Availability.objects.get_or_create(user=user)
    availability.capacity = capacity
    availability.save(update_fields=["capacity"])
    return availability


def _next_candidates(user: User) -> Any:
    return (
        scope(Conversation.objects.all(), user, Action.HANDLE_CHAT)
        .filter(status=ConversationStatus.WAITING)
        .order_by("-is_urgent", "queued_at", "pk")
    )


def accept_next(*, user: User, audit: AuditContext | None = None) -> Conversation:
    """Take the longest-waiting chat this employee may take, within their capacity."""
    require(user, Action.HANDLE_CHAT)
    if free_capacity(user) <= 0:
        raise ChatError(
            _("U heeft al %(count)s lopende chats, uw maximum. Rond er eerst een af.")
            % {"count": running_chats(user)}
        )
    available = None
    for candidate in _next_candidates(user)[:50]:
        preferred = candidate.preferred_employee_id
        if preferred and preferred != user.pk:
            if available is None:
                available = set(available_employees(candidate.region_id))
            if preferred in available:
                continue  # waits for the colleague the visitor asked for
        try:
            return services.accept_chat(conversation=candidate, by=user, audit=audit)
        except ChatError:
            continue  # a colleague was first, or the visitor left: the next one
    raise ChatError(_("Er wacht nu geen chat die u kunt aannemen."))


def _return_after(desk: ChatDesk | None) -> int:
    return desk.return_after_seconds if desk is not None else DEFAULT_RETURN_AFTER_SECONDS


def return_to_queue(*, conversation: Conversation, reason: str = "away") -> bool:
    """Put a running chat back at the front of its queue; the visitor is told."""
    with transaction.atomic():
        locked = Conversation.objects.select_for_update().get(pk=conversation.pk)
        if locked.status != ConversationStatus.ACTIVE:
            return False
        locked.status = ConversationStatus.WAITING
        locked.assigned_to = None
        locked.save(update_fields=["status", "assigned_to"])
        append_message(
            locked,
            sender=Sender.SYSTEM,
            kind=MessageKind.EVENT,
            body=lambda: _(
                "Je gesprek gaat zo verder met een collega van Veilig Thuis. "
                "Alles wat je schreef blijft bewaard."
            ),
        )
        state_changed(locked)
    return True


def away_since(availability: Availability) -> datetime | None:
    """Since when an employee is gone: their console's last heartbeat (the browser closed or
    the connection lost), or the moment they set themselves away, whichever came first."""
    moments = [availability.heartbeat_at]
    if not availability.is_available:
        moments.append(availability.changed_at)
    known = [moment for moment in moments if moment is not None]
    return min(known) if known else None


def return_stale_chats(*, now: datetime | None = None) -> int:
    """Chats of employees who have been away (console gone, or set to away) longer than
    their desk allows."""
    moment = now or timezone.now()
    shortest = min(
        [
            DEFAULT_RETURN_AFTER_SECONDS,
            *ChatDesk.objects.values_list("return_after_seconds", flat=True),
        ]
    )
    cutoff = moment - timedelta(seconds=shortest)
    candidates = (
        Conversation.objects.filter(status=ConversationStatus.ACTIVE)
        .filter(
            Q(assigned_to__chat_availability__heartbeat_at__lt=cutoff)
            | Q(
                assigned_to__chat_availability__is_available=False,
                assigned_to__chat_availability__changed_at__lt=cutoff,
            )
        )
        .select_related("region__chat_desk", "assigned_to__chat_availability")
        .order_by("pk")
    )
    count = 0
    for conversation in candidates:
        desk = getattr(conversation.region, "chat_desk", None)
        gone = away_since(conversation.assigned_to.chat_availability)  # type: ignore[union-attr]  # filtered on it above
        if gone is not None and gone < moment - timedelta(seconds=_return_after(desk)):
            count += int(return_to_queue(conversation=conversation))
    return count


def offer_waiting_chats() -> int:
    """Where the desk offers chats automatically: each waiting chat goes to the available
    employee of its region with the most free capacity (the longest waiting first)."""
    count = 0
    regions = ChatDesk.objects.filter(offer_automatically=True).values_list("region_id", flat=True)
    for region_id in regions:
        waiting = Conversation.objects.filter(
            region_id=region_id, status=ConversationStatus.WAITING
        ).order_by("-is_urgent", "queued_at", "pk")
        for conversation in waiting[:20]:
            employee = _most_free(region_id, conversation.preferred_employee_id)
            if employee is None:
                break
            try:
                services.accept_chat(conversation=conversation, by=employee)
            except ChatError:
                continue
            count += 1
    return count


def _most_free(region_id: int, preferred: int | None) -> User | None:
    ids = available_employees(region_id)
    if not ids:
        return None
    employees = (
        User.objects.filter(pk__in=ids)
        .annotate(
            running=Count(
                "chat_conversations",
                filter=Q(chat_conversations__status=ConversationStatus.ACTIVE),
            )
        )
        .select_related("chat_availability")
    )
    best: tuple[int, int, int] | None = None
    chosen: User | None = None
    for employee in employees:
        running: int = getattr(employee, "running", 0)  # annotated above
        free = employee.chat_availability.capacity - running
        if free <= 0:
            continue
        rank = (int(employee.pk == preferred), free, -employee.pk)
        if best is None or rank > best:
            best, chosen = rank, employee
    return chosen


def sweep() -> int:
    """Run from the chat's sweep: return what was left behind, then offer what waits."""
    if not getattr(settings, "CHAT_ASSIGNMENT_SWEEP", True):
        return 0
    return return_stale_chats() + offer_waiting_chats()
