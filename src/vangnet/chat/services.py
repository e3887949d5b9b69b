"""Business actions of the chat: start, send, accept, forward, leave, close, purge.

Each action runs in one transaction, locks the conversation it changes, writes, logs access
to personal data, and publishes its real-time events only after commit.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from vangnet.accounts.models import User
from vangnet.accounts.policy import AccessDenied, Action, may, roles_for
from vangnet.audit.models import AccessLogAction
from vangnet.audit.services import record_access
from vangnet.contacts.models import Channel, Contact
from vangnet.contacts.services import ContactDetails, ContactError, file_contact
from vangnet.regions.models import Region
from vangnet.regions.selectors import InvalidPostcode, national_desk, normalise_pc4

from . import events
from .models import (
    Availability,
    ChatDesk,
    ContinuityCode,
    Conversation,
    ConversationStatus,
    Handover,
    HandoverStatus,
    Message,
    MessageKind,
    Sender,
)
from .opening import chat_hours_open


class ChatError(Exception):
    """A chat action that cannot be done; the message tells the person why, in plain words."""


class ChatClosed(ChatError):
    pass


# --- helpers ---------------------------------------------------------------------------


def desk_for(region: Region) -> ChatDesk:
    desk, _created = ChatDesk.objects.get_or_create(region=region)
    return desk


def update_desk(
    *, desk: ChatDesk, by: User, changes: dict[str, Any], request: Any = None
) -> ChatDesk:
    if not may(by, Action.MANAGE_CHAT_DESK, desk.region):
        raise AccessDenied(action=Action.MANAGE_CHAT_DESK, obj=desk.region)
    with transaction.atomic():
        locked = ChatDesk.objects.select_for_update().get(pk=desk.pk)
        for name, value in changes.items():
            setattr(locked, name, value)
        locked.full_clean()
        locked.save()
        record_access(
            user=by,
            action=AccessLogAction.CHANGE,
            obj=locked,
            roles=roles_for(by, Action.MANAGE_CHAT_DESK, locked.region),
            request=request,
        )
    return locked


def chat_open_for(region: Region) -> bool:
    return chat_hours_open() and desk_for(region).is_open


def employee_name(user: User) -> str:
    return user.first_name.strip() or _("Medewerker")


def serialise(message: Message) -> dict[str, Any]:
    return {
        "seq": message.sequence,
        "sender": message.sender,
        "author": message.author_name,
        "kind": message.kind,
        "body": message.body,
        "url": message.link_url,
        "at": message.created_at.isoformat(),
        "key": message.client_key,
    }


def _append(
    conversation: Conversation,
    *,
    sender: str,
    body: str | Callable[[], str],
    kind: str = MessageKind.TEXT,
    author: User | None = None,
    link_url: str = "",
    client_key: str = "",
) -> Message:
    """Add one message with the next sequence number. The caller holds the row lock (or
    created the conversation in this transaction), so its `last_sequence` is current."""
    if callable(body):
        # Written for the visitor: in their language, not in that of the employee acting.
        with translation.override(conversation.language):
            body = body()
    conversation.last_sequence += 1
    Conversation.objects.filter(pk=conversation.pk).update(last_sequence=conversation.last_sequence)
    message = Message(
        conversation=conversation,
        sequence=conversation.last_sequence,
        sender=sender,
        author=author,
        author_name=employee_name(author) if author is not None else "",
        kind=kind,
        body=body,
        link_url=link_url,
        client_key=client_key,
    )
    # The database enforces the sequence and the idempotency key (unique constraints); the
    # callers handle the IntegrityError. Checking them here too would cost two queries.
    message.full_clean(validate_unique=False, validate_constraints=False)
    message.save()
    events.publish(
        events.conversation_group(conversation.pk),
        {
            "type": "chat.message",
            "message": serialise(message),
            "access": events.access_key(conversation),
        },
    )
    return message


append_message = _append


def _state_changed(conversation: Conversation, *regions: int) -> None:
    events.publish(
        events.conversation_group(conversation.pk),
        {
            "type": "chat.state",
            "conversation": conversation.pk,
            "access": events.access_key(conversation),
        },
    )
    for region_id in {conversation.region_id, *regions}:
        events.publish(events.queue_group(region_id), {"type": "queue.changed"})


def _locked(conversation: Conversation) -> Conversation:
    return Conversation.objects.select_for_update().get(pk=conversation.pk)


def _log(
    user: User, action: AccessLogAction, conversation: Conversation, request: Any = None
) -> None:
    record_access(
        user=user,
        action=action,
        obj=conversation,
        roles=roles_for(user, Action.HANDLE_CHAT, conversation),
        request=request,
    )


def _require_chat_rights(user: User, conversation: Conversation) -> None:
    if not may(user, Action.HANDLE_CHAT, conversation):
        raise AccessDenied(action=Action.HANDLE_CHAT, obj=conversation)


# --- the visitor -----------------------------------------------------------------------


@dataclass(frozen=True)
class Intake:
    nickname: str
    age: int | None
    gender: str
    postcode: str | None  # None: the visitor does not know it


def start_chat(*, intake: Intake, continuity: ContinuityCode | None = None) -> Conversation:
    """Put a visitor in the queue of their region (or the national desk).

    With a continuity code the chat goes to the queue of the code's region, for the same
    employee, and into the same advice dossier; the postcode is then not needed.
    """
    if continuity is not None:
        return _start_continued_chat(intake=intake, continuity=continuity)
    if intake.postcode is None:
        home = national_desk()
        postcode = ""
    else:
        try:
            postcode = normalise_pc4(intake.postcode)
        except InvalidPostcode as error:
            raise ChatError(str(error)) from error
        from vangnet.regions.models import Postcode

        known = (
            Postcode.objects.select_related("municipality__region").filter(code=postcode).first()
        )
        if known is None:
            raise ChatError(
                _("Postcode %(code)s kennen we niet. Kijk de 4 cijfers nog eens na.")
                % {"code": postcode}
            )
        home = known.municipality.region
    region = home
    if not chat_open_for(home):
        desk = national_desk()
        if desk_for(home).overflow_to_national_desk and chat_open_for(desk):
            region = desk
        else:
            raise ChatClosed(_("De chat is nu gesloten."))
    with transaction.atomic():
        conversation = Conversation(
            region=region,
            home_region=home,
            nickname=intake.nickname.strip(),
            age=intake.age,
            gender=intake.gender,
            postcode=postcode,
            overflowed=region != home,
            language=translation.get_language() or settings.LANGUAGE_CODE,
        )
        conversation.full_clean()
        conversation.save()
        _append(
            conversation,
            sender=Sender.SYSTEM,
            kind=MessageKind.EVENT,
            body=_("Je staat in de wachtrij."),
        )
        _state_changed(conversation)
    return conversation


def _start_continued_chat(*, intake: Intake, continuity: ContinuityCode) -> Conversation:
    region = continuity.region
    if not chat_open_for(region):
        raise ChatClosed(_("De chat is nu gesloten."))
    with transaction.atomic():
        conversation = Conversation(
            region=region,
            home_region=region,
            nickname=intake.nickname.strip(),
            age=intake.age,
            gender=intake.gender,
            postcode="",
            dossier=continuity.dossier,
            preferred_employee=continuity.employee,
            language=translation.get_language() or settings.LANGUAGE_CODE,
        )
        conversation.full_clean()
        conversation.save()
        _append(
            conversation,
            sender=Sender.SYSTEM,
            kind=MessageKind.EVENT,
            body=_("Je staat in de wachtrij. We zoeken %(name)s voor je.")
            % {"name": employee_name(continuity.employee)},
        )
        _append(
            conversation,
            sender=Sender.SYSTEM,
            kind=MessageKind.NOTE,
            body=_("Met een continuïteitscode van %(name)s; adviesdossier %(ref)s.")
            % {"name": employee_name(continuity.employee), "ref": continuity.dossier.reference},
        )
        _state_changed(conversation)
    return conversation


def send_visitor_message(*, conversation: Conversation, body: str, client_key: str) -> Message:
    return _send_message(
        conversation=conversation,
        sender=Sender.VISITOR,
        author=None,
        body=body,
        client_key=client_key,
    )


def send_employee_message(
    *, conversation: Conversation, by: User, body: str, client_key: str
) -> Message:
    return _send_message(
        conversation=conversation,
        sender=Sender.EMPLOYEE,
        author=by,
        body=body,
        client_key=client_key,
    )


def send_volunteer_message(
    *, conversation: Conversation, by: User, body: str, client_key: str
) -> Message:
    text = _clean_body(body)
    key = _clean_key(client_key)
    existing = Message.objects.filter(
        conversation=conversation, sender=Sender.VOLUNTEER, client_key=key
    ).first()
    if existing is not None:
        return existing
    with transaction.atomic():
        locked = _locked(conversation)
        if locked.volunteer_id != by.pk or not locked.volunteer_present:
            raise AccessDenied(action=Action.REQUEST_HANDOVER, obj=locked)
        if locked.status not in (ConversationStatus.WAITING, ConversationStatus.ACTIVE):
            raise ChatError(_("Deze chat is afgelopen; er kunnen geen berichten meer bij."))
        message = _append(locked, sender=Sender.VOLUNTEER, author=by, body=text, client_key=key)
        message.author_name = employee_name(by)
        Message.objects.filter(pk=message.pk).update(author_name=message.author_name)
        return message


def volunteer_leaves(*, conversation: Conversation, by: User) -> None:
    """The volunteer steps out, as agreed with the child; the conversation goes on."""
    with transaction.atomic():
        locked = _locked(conversation)
        if locked.volunteer_id != by.pk or not locked.volunteer_present:
            return
        locked.volunteer_present = False
        locked.save(update_fields=["volunteer_present"])
        _append(
            locked,
            sender=Sender.SYSTEM,
            kind=MessageKind.EVENT,
            body=lambda: _("De vrijwilliger van de Kindertelefoon heeft het gesprek verlaten."),
        )
        _state_changed(locked)


def _require_unicode(text: str) -> str:
    """Text that is not valid Unicode (a lone surrogate from a JSON escape) cannot be stored."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as error:
        raise ChatError(
            _("Dit bericht bevat tekens die niet kunnen worden verstuurd. Pas het aan.")
        ) from error
    return text


def _clean_body(body: str) -> str:
    text = _require_unicode((body or "").replace("\x00", "").strip())
    if not text:
        raise ChatError(_("Een leeg bericht kan niet worden verstuurd."))
    if len(text) > settings.CHAT_MESSAGE_MAX_LENGTH:
        raise ChatError(
            _("Een bericht mag hoogstens %(max)d tekens hebben.")
            % {"max": settings.CHAT_MESSAGE_MAX_LENGTH}
        )
    return text


def _clean_key(client_key: str) -> str:
    key = (client_key or "").strip()
    if not key or len(key) > 64 or not key.replace("-", "").isalnum():
        raise ChatError(_("Dit bericht kon niet worden verstuurd (ongeldige sleutel)."))
    return key


def _send_message(
    *, conversation: Conversation, sender: str, author: User | None, body: str, client_key: str
) -> Message:
    text = _clean_body(body)
    key = _clean_key(client_key)
    existing = Message.objects.filter(
        conversation=conversation, sender=sender, client_key=key
    ).first()
    if existing is not None:
        return existing  # a retry of a message that was stored: once is enough
    try:
        with transaction.atomic():
            locked = _locked(conversation)
            if author is not None:
                _require_chat_rights(author, locked)
                if locked.assigned_to_id != author.pk:
                    raise ChatError(
                        _("Alleen de medewerker die de chat heeft aangenomen kan berichten sturen.")
                    )
            if locked.status != ConversationStatus.ACTIVE and not (
                sender == Sender.VISITOR and locked.status == ConversationStatus.WAITING
            ):
                raise ChatError(_("Deze chat is afgelopen; er kunnen geen berichten meer bij."))
            return _append(locked, sender=sender, author=author, body=text, client_key=key)
    except IntegrityError:
        # The same key raced in from a second connection: the first one won.
        return Message.objects.get(conversation=conversation, sender=sender, client_key=key)


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


def leave_chat(*, conversation: Conversation, reason: str = "left") -> None:
    """The visitor ends the chat (button, quick exit, or gone too long while waiting)."""
    with transaction.atomic():
        locked = _locked(conversation)
        now = timezone.now()
        if locked.status == ConversationStatus.WAITING:
            locked.status = ConversationStatus.ABANDONED
            locked.ended_at = now
            locked.save(update_fields=["status", "ended_at"])
            # A handover nobody took up does not stay "requested" for a chat that ended.
            Handover.objects.filter(conversation=locked, status=HandoverStatus.REQUESTED).update(
                status=HandoverStatus.CANCELLED, completed_at=now, join_digest=""
            )
        elif locked.status == ConversationStatus.ACTIVE:
            locked.status = ConversationStatus.VISITOR_LEFT
            locked.ended_at = now
            locked.save(update_fields=["status", "ended_at"])
            body = (
                _("De bezoeker heeft de chat verlaten (snel weg).")
                if reason == "quick_exit"
                else _("De bezoeker heeft de chat verlaten.")
            )
            _append(locked, sender=Sender.SYSTEM, kind=MessageKind.EVENT, body=body)
        else:
            return
        _state_changed(locked)


# --- the queue -------------------------------------------------------------------------


def ensure_dossier(*, conversation: Conversation, by: User) -> Any:
    from .continuity import ensure_dossier as _ensure

    return _ensure(conversation=conversation, by=by)


def available_employees(region: Region | int) -> list[int]:
    """Ids of employees who take chats of `region` and whose queue page is connected now."""
    region_id = region if isinstance(region, int) else region.pk
    fresh = timezone.now() - timedelta(seconds=settings.CHAT_PRESENCE_SECONDS)
    from vangnet.accounts.policy import GRANTS

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
        locked = _locked(conversation)
        if locked.status != ConversationStatus.WAITING or locked.overflowed:
            return False
        previous = locked.region_id
        locked.region = national
        locked.overflowed = True
        locked.save(update_fields=["region", "overflowed"])
        _append(
            locked,
            sender=Sender.SYSTEM,
            kind=MessageKind.NOTE,
            body=_("Doorgezet naar het landelijk loket: niemand van %(region)s was beschikbaar.")
            % {"region": region.name},
        )
        _state_changed(locked, previous)
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
    return count


def set_availability(*, user: User, available: bool) -> Availability:
    if available and not may(user, Action.HANDLE_CHAT):
        raise AccessDenied(action=Action.HANDLE_CHAT)
    now = timezone.now()
    availability, _created = Availability.objects.update_or_create(
        user=user, defaults={"is_available": available, "changed_at": now, "heartbeat_at": now}
    )
    return availability


def heartbeat(*, user: User) -> None:
    Availability.objects.filter(user=user).update(heartbeat_at=timezone.now())


# --- the employee ----------------------------------------------------------------------


def accept_chat(*, conversation: Conversation, by: User, request: Any = None) -> Conversation:
    with transaction.atomic():
        locked = _locked(conversation)
        _require_chat_rights(by, locked)
        if locked.status != ConversationStatus.WAITING:
            if locked.assigned_to_id and locked.assigned_to_id != by.pk:
                raise ChatError(_("Een collega heeft deze chat al aangenomen."))
            if locked.assigned_to_id == by.pk and locked.status == ConversationStatus.ACTIVE:
                return locked
            raise ChatError(_("Deze chat wacht niet meer: de bezoeker is vertrokken."))
        preferred = locked.preferred_employee_id
        if preferred and preferred != by.pk and preferred in available_employees(locked.region_id):
            raise ChatError(
                _("Deze chat is voor %(name)s, die nu beschikbaar is.")
                % {"name": employee_name(locked.preferred_employee)}  # type: ignore[arg-type]  # preferred is set
            )
        locked.status = ConversationStatus.ACTIVE
        locked.assigned_to = by
        locked.accepted_at = locked.accepted_at or timezone.now()
        locked.save(update_fields=["status", "assigned_to", "accepted_at"])
        _log(by, AccessLogAction.CHANGE, locked, request)
        _append(
            locked,
            sender=Sender.SYSTEM,
            kind=MessageKind.EVENT,
            body=lambda: (
                _("%(name)s van Veilig Thuis is er nu voor je.") % {"name": employee_name(by)}
            ),
        )
        handover = Handover.objects.filter(conversation=locked).first()
        if handover is not None and handover.status == HandoverStatus.REQUESTED:
            handover.status = HandoverStatus.ACCEPTED
            handover.accepted_by = by
            handover.accepted_at = timezone.now()
            handover.save(update_fields=["status", "accepted_by", "accepted_at"])
        _state_changed(locked)
    return locked


def send_resource(
    *, conversation: Conversation, by: User, entry_id: int, client_key: str
) -> Message:
    from vangnet.regions.selectors import social_map_for

    entry = social_map_for(region=conversation.region).filter(pk=entry_id).first()
    if entry is None:
        raise ChatError(_("Deze link staat niet (meer) op de sociale kaart."))
    key = _clean_key(client_key)
    existing = Message.objects.filter(
        conversation=conversation, sender=Sender.EMPLOYEE, client_key=key
    ).first()
    if existing is not None:
        return existing
    with transaction.atomic():
        locked = _locked(conversation)
        _require_chat_rights(by, locked)
        if locked.assigned_to_id != by.pk or locked.status != ConversationStatus.ACTIVE:
            raise ChatError(_("Alleen in een lopende chat die u heeft aangenomen."))
        body = f"{entry.name}: {entry.description}" if entry.description else entry.name
        return _append(
            locked,
            sender=Sender.EMPLOYEE,
            author=by,
            kind=MessageKind.RESOURCE,
            body=body,
            link_url=entry.url,
            client_key=key,
        )


def forward_chat(
    *,
    conversation: Conversation,
    by: User,
    to_user: User | None = None,
    to_region: Region | None = None,
    note: str = "",
    request: Any = None,
) -> Conversation:
    """Hand a running chat to a colleague, or put it in another region's queue."""
    if (to_user is None) == (to_region is None):
        raise ChatError(_("Kies een collega of een regio om naar door te verbinden."))
    with transaction.atomic():
        locked = _locked(conversation)
        _require_chat_rights(by, locked)
        if locked.status != ConversationStatus.ACTIVE or locked.assigned_to_id != by.pk:
            raise ChatError(
                _("Alleen een lopende chat die u heeft aangenomen kan worden doorverbonden.")
            )
        previous_region = locked.region_id
        if to_user is not None:
            if to_user.pk == by.pk:
                raise ChatError(_("Kies een andere collega dan uzelf."))
            if not to_user.is_active or not may(to_user, Action.HANDLE_CHAT, locked):
                raise ChatError(_("Deze collega kan geen chats van deze regio aannemen."))
            if to_user.pk not in available_employees(locked.region_id):
                raise ChatError(_("Deze collega is nu niet beschikbaar."))
            locked.assigned_to = to_user
            locked.save(update_fields=["assigned_to"])
            colleague = employee_name(to_user)

            def visitor_text() -> str:
                return _("Je gesprek gaat verder met %(name)s.") % {"name": colleague}

            note_text = _("Doorverbonden door %(from)s naar %(to)s.") % {
                "from": employee_name(by),
                "to": employee_name(to_user),
            }
        else:
            assert to_region is not None
            if to_region.pk == locked.region_id:
                raise ChatError(_("De chat is al van deze regio."))
            locked.region = to_region
            locked.status = ConversationStatus.WAITING
            locked.assigned_to = None
            locked.save(update_fields=["region", "status", "assigned_to"])

            def visitor_text() -> str:
                return _(
                    "We verbinden je door met een collega. Even geduld, je blijft in de wachtrij."
                )

            note_text = _("Doorverbonden door %(from)s naar %(region)s.") % {
                "from": employee_name(by),
                "region": to_region.name,
            }
        if note.strip():
            note_text = f"{note_text} {note.strip()}"
        _log(by, AccessLogAction.CHANGE, locked, request)
        _append(locked, sender=Sender.SYSTEM, kind=MessageKind.NOTE, body=note_text[:2000])
        _append(locked, sender=Sender.SYSTEM, kind=MessageKind.EVENT, body=visitor_text)
        _state_changed(locked, previous_region)
    return locked


@dataclass(frozen=True)
class ClosingRegistration:
    """What the employee registers when a chat or a three-way call ends."""

    asker_type: str
    forms_of_violence: list[str]
    question: str
    advice_given: str
    referral: str
    advised_to_report: bool
    participants: str = ""
    agreements: str = ""

    def as_contact(
        self, *, channel: str, received_at: datetime, duration_minutes: int | None = None
    ) -> ContactDetails:
        return ContactDetails(
            channel=channel,
            asker_type=self.asker_type,
            question=self.question,
            advice_given=self.advice_given,
            forms_of_violence=self.forms_of_violence,
            received_at=received_at,
            duration_minutes=duration_minutes,
            referral=self.referral,
            agreements=self.agreements,
            advised_to_report=self.advised_to_report,
            participants=self.participants,
        )


def _chat_minutes(conversation: Conversation, now: datetime) -> int | None:
    """How long the employee and the visitor talked, in whole minutes (at least one)."""
    if conversation.accepted_at is None:
        return None
    end = conversation.ended_at or now
    return max(1, round((end - conversation.accepted_at).total_seconds() / 60))


def close_chat(
    *, conversation: Conversation, by: User, outcome: ClosingRegistration, request: Any = None
) -> Contact:
    """End the chat and register it as an advice contact. Without an outcome, no close."""
    with transaction.atomic():
        locked = _locked(conversation)
        _require_chat_rights(by, locked)
        if locked.status not in (ConversationStatus.ACTIVE, ConversationStatus.VISITOR_LEFT):
            raise ChatError(_("Deze chat is al afgesloten."))
        if locked.assigned_to_id != by.pk:
            raise ChatError(
                _("Alleen de medewerker die de chat heeft aangenomen kan hem afsluiten.")
            )
        now = timezone.now()
        try:
            contact = file_contact(
                region=locked.region,
                dossier=ensure_dossier(conversation=locked, by=by),
                details=outcome.as_contact(
                    channel=Channel.CHAT,
                    received_at=locked.created_at,
                    duration_minutes=_chat_minutes(locked, now),
                ),
                by=by,
                roles=roles_for(by, Action.HANDLE_CHAT, locked),
                request=request,
            )
        except ContactError as error:
            raise ChatError(str(error)) from error
        was_active = locked.status == ConversationStatus.ACTIVE
        locked.status = ConversationStatus.CLOSED
        locked.contact = contact
        locked.closed_at = now
        locked.ended_at = locked.ended_at or now
        locked.save(update_fields=["status", "contact", "closed_at", "ended_at"])
        _log(by, AccessLogAction.CHANGE, locked, request)
        Handover.objects.filter(conversation=locked).exclude(
            status=HandoverStatus.COMPLETED
        ).update(status=HandoverStatus.COMPLETED, completed_at=now, contact=contact)
        if locked.volunteer_present:
            locked.volunteer_present = False
            locked.save(update_fields=["volunteer_present"])
        if was_active:
            _append(
                locked,
                sender=Sender.SYSTEM,
                kind=MessageKind.EVENT,
                body=lambda: _("De medewerker heeft de chat afgesloten."),
            )
        _state_changed(locked)
    return contact


# --- retention -------------------------------------------------------------------------


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
            record_access(
                user=None,
                action=AccessLogAction.DELETE,
                object_type="chat.conversation",
                object_id=str(conversation_id),
                username="bewaartermijn",
                reason=f"transcript ouder dan {settings.CHAT_TRANSCRIPT_RETENTION_DAYS} dagen",
            )
        purged += 1
    return purged
