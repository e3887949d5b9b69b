"""Business actions of a conversation: start, send, accept, forward, leave, close.

Beside them in the chat app: desks.py (desk settings), presence.py (who is there), queue.py
(place, estimate, overflow, sweep), retention.py (transcripts), messaging.py (appending a
message, locking, logging: shared by all of them), continuity.py and handovers.py.

Each action runs in one transaction, locks the conversation it changes, writes, logs access
to personal data, and publishes its real-time events only after commit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from vangnet.accounts.models import User
from vangnet.accounts.policy import AccessDenied, Action, may, roles_for
from vangnet.audit.context import AuditContext
from vangnet.audit.models import AccessLogAction
from vangnet.contacts.models import Channel, Contact
from vangnet.contacts.services import ContactDetails, ContactError, file_contact
from vangnet.regions.models import Postcode, Region
from vangnet.regions.selectors import (
    InvalidPostcode,
    national_desk,
    normalise_pc4,
    social_map_for,
)

from .continuity import ensure_dossier
from .desks import chat_open_for, desk_for
from .errors import ChatClosed, ChatError
from .messaging import (
    append_message,
    clean_body,
    clean_key,
    employee_name,
    lock_conversation,
    log_access,
    require_chat_rights,
    state_changed,
    stored_message,
    take_number,
)
from .models import (
    ContinuityCode,
    Conversation,
    ConversationStatus,
    Handover,
    HandoverStatus,
    Message,
    MessageKind,
    Sender,
)
from .presence import available_employees

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
        append_message(
            conversation,
            sender=Sender.SYSTEM,
            kind=MessageKind.EVENT,
            body=_("Je staat in de wachtrij."),
        )
        state_changed(conversation)
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
        append_message(
            conversation,
            sender=Sender.SYSTEM,
            kind=MessageKind.EVENT,
            body=_("Je staat in de wachtrij. We zoeken %(name)s voor je.")
            % {"name": employee_name(continuity.employee)},
        )
        append_message(
            conversation,
            sender=Sender.SYSTEM,
            kind=MessageKind.NOTE,
            body=_("Met een continuïteitscode van %(name)s; adviesdossier %(ref)s.")
            % {"name": employee_name(continuity.employee), "ref": continuity.dossier.reference},
        )
        state_changed(conversation)
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
    text = clean_body(body)
    key = clean_key(client_key)
    existing = stored_message(conversation, Sender.VOLUNTEER, key)
    if existing is not None:
        return existing
    with transaction.atomic():
        locked = lock_conversation(conversation)
        if locked.volunteer_id != by.pk or not locked.volunteer_present:
            raise AccessDenied(action=Action.REQUEST_HANDOVER, obj=locked)
        if locked.status not in (ConversationStatus.WAITING, ConversationStatus.ACTIVE):
            raise ChatError(_("Deze chat is afgelopen; er kunnen geen berichten meer bij."))
        message = append_message(
            locked, sender=Sender.VOLUNTEER, author=by, body=text, client_key=key
        )
        message.author_name = employee_name(by)
        Message.objects.filter(pk=message.pk).update(author_name=message.author_name)
        return message


def volunteer_leaves(*, conversation: Conversation, by: User) -> None:
    """The volunteer steps out, as agreed with the child; the conversation goes on."""
    with transaction.atomic():
        locked = lock_conversation(conversation)
        if locked.volunteer_id != by.pk or not locked.volunteer_present:
            return
        locked.volunteer_present = False
        locked.save(update_fields=["volunteer_present"])
        append_message(
            locked,
            sender=Sender.SYSTEM,
            kind=MessageKind.EVENT,
            body=lambda: _("De vrijwilliger van de Kindertelefoon heeft het gesprek verlaten."),
        )
        state_changed(locked)


def _send_message(
    *, conversation: Conversation, sender: str, author: User | None, body: str, client_key: str
) -> Message:
    """Two statements in one transaction: number (and lock), insert. A retry of a message
    that was stored (the same key) is not looked up first: the unique constraint refuses the
    second insert, the transaction rolls back — the number with it — and the stored message
    is the answer. Once is enough."""
    text = clean_body(body)
    key = clean_key(client_key)

    try:
        with transaction.atomic():
            locked = take_number(conversation)
            if author is not None:
                require_chat_rights(author, locked)
                if locked.assigned_to_id != author.pk:
                    raise ChatError(
                        _("Alleen de medewerker die de chat heeft aangenomen kan berichten sturen.")
                    )
            if locked.status != ConversationStatus.ACTIVE and not (
                sender == Sender.VISITOR and locked.status == ConversationStatus.WAITING
            ):
                raise ChatError(_("Deze chat is afgelopen; er kunnen geen berichten meer bij."))
            return append_message(
                locked, sender=sender, author=author, body=text, client_key=key, numbered=True
            )
    except IntegrityError:
        # A retry, or the same key raced in from a second connection: the first one won.
        return Message.objects.get(conversation=conversation, sender=sender, client_key=key)
    except (ChatError, AccessDenied):
        # A retry of a message stored before the chat ended (or before a transfer) still
        # gets its confirmation; anything new is refused.
        existing = stored_message(conversation, sender, key)
        if existing is None:
            raise
        return existing


def leave_chat(*, conversation: Conversation, reason: str = "left") -> None:
    """The visitor ends the chat (button, quick exit, or gone too long while waiting)."""
    with transaction.atomic():
        locked = lock_conversation(conversation)
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
            append_message(locked, sender=Sender.SYSTEM, kind=MessageKind.EVENT, body=body)
        else:
            return
        state_changed(locked)


# --- the employee ----------------------------------------------------------------------


def accept_chat(
    *, conversation: Conversation, by: User, audit: AuditContext | None = None
) -> Conversation:
    with transaction.atomic():
        locked = lock_conversation(conversation)
        require_chat_rights(by, locked)
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
        log_access(by, AccessLogAction.CHANGE, locked, audit)
        append_message(
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
        state_changed(locked)
    return locked


def send_resource(
    *, conversation: Conversation, by: User, entry_id: int, client_key: str
) -> Message:
    entry = social_map_for(region=conversation.region).filter(pk=entry_id).first()
    if entry is None:
        raise ChatError(_("Deze link staat niet (meer) op de sociale kaart."))
    key = clean_key(client_key)
    existing = stored_message(conversation, Sender.EMPLOYEE, key)
    if existing is not None:
        return existing
    with transaction.atomic():
        locked = lock_conversation(conversation)
        require_chat_rights(by, locked)
        if locked.assigned_to_id != by.pk or locked.status != ConversationStatus.ACTIVE:
            raise ChatError(_("Alleen in een lopende chat die u heeft aangenomen."))
        body = f"{entry.name}: {entry.description}" if entry.description else entry.name
        return append_message(
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
    audit: AuditContext | None = None,
) -> Conversation:
    """Hand a running chat to a colleague, or put it in another region's queue."""
    if (to_user is None) == (to_region is None):
        raise ChatError(_("Kies een collega of een regio om naar door te verbinden."))
    with transaction.atomic():
        locked = lock_conversation(conversation)
        require_chat_rights(by, locked)
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
        log_access(by, AccessLogAction.CHANGE, locked, audit)
        append_message(locked, sender=Sender.SYSTEM, kind=MessageKind.NOTE, body=note_text[:2000])
        append_message(locked, sender=Sender.SYSTEM, kind=MessageKind.EVENT, body=visitor_text)
        state_changed(locked, previous_region)
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
    *,
    conversation: Conversation,
    by: User,
    outcome: ClosingRegistration,
    audit: AuditContext | None = None,
) -> Contact:
    """End the chat and register it as an advice contact. Without an outcome, no close."""
    with transaction.atomic():
        locked = lock_conversation(conversation)
        require_chat_rights(by, locked)
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
                audit=audit,
            )
        except ContactError as error:
            raise ChatError(str(error)) from error
        was_active = locked.status == ConversationStatus.ACTIVE
        locked.status = ConversationStatus.CLOSED
        locked.contact = contact
        locked.closed_at = now
        locked.ended_at = locked.ended_at or now
        locked.save(update_fields=["status", "contact", "closed_at", "ended_at"])
        log_access(by, AccessLogAction.CHANGE, locked, audit)
        Handover.objects.filter(conversation=locked).exclude(
            status=HandoverStatus.COMPLETED
        ).update(status=HandoverStatus.COMPLETED, completed_at=now, contact=contact)
        if locked.volunteer_present:
            locked.volunteer_present = False
            locked.save(update_fields=["volunteer_present"])
        if was_active:
            append_message(
                locked,
                sender=Sender.SYSTEM,
                kind=MessageKind.EVENT,
                body=lambda: _("De medewerker heeft de chat afgesloten."),
            )
        state_changed(locked)
    return contact
