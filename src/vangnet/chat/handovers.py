"""Warm handovers from a partner helpline (seed 000: the *driegesprek*).

A volunteer of the Kindertelefoon, with the child's consent, brings Veilig Thuis into the
conversation. What was agreed with the child is recorded with the request; it goes to the
national desk that represents all regions for the helpline (or to the region of a known
postcode), shows up in the staff queue with its priority, and one employee accepts it. For
a chat the child joins with a short join code from the volunteer and the three talk in one
conversation; for a phone call the same request and acceptance are recorded here and the
employee registers the call in the same place.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from vangnet.accounts.models import User
from vangnet.accounts.policy import AccessDenied, Action, may, owns_handover, roles_for
from vangnet.audit.context import AuditContext
from vangnet.audit.models import AccessLogAction
from vangnet.audit.services import record_access
from vangnet.contacts.models import Channel, Contact
from vangnet.contacts.services import ContactError, file_contact, open_dossier
from vangnet.regions.models import PartnerOrganisation
from vangnet.regions.selectors import InvalidPostcode, national_desk, route_postcode

from . import continuity, events, messaging, services
from .models import Conversation, ConversationStatus, Handover, HandoverStatus, MessageKind, Sender


@dataclass(frozen=True)
class HandoverRequest:
    channel: str
    consent: bool
    summary_by: str
    volunteer_stays: bool
    child_anonymous: bool
    summary: str
    is_urgent: bool = False
    postcode: str = ""
    nickname: str = ""
    age: int | None = None
    external_reference: str = ""


def _check_requester(organisation: PartnerOrganisation, by: User | None) -> None:
    if organisation.kind != PartnerOrganisation.Kind.HELPLINE:
        raise services.ChatError(_("Alleen een hulplijn kan een warme overdracht aanvragen."))
    if by is not None and (
        not may(by, Action.REQUEST_HANDOVER) or by.organisation_id != organisation.pk
    ):
        raise AccessDenied(action=Action.REQUEST_HANDOVER)


def request_handover(
    *, organisation: PartnerOrganisation, by: User | None, request: HandoverRequest
) -> tuple[Handover, str]:
    """Record the request; for a chat, open the three-way conversation. Returns the join code
    for the child (empty for a phone handover)."""
    _check_requester(organisation, by)
    if not request.consent:
        raise services.ChatError(
            _("Zonder toestemming van het kind wordt Veilig Thuis niet toegevoegd.")
        )
    summary = request.summary.strip()
    if not summary:
        raise services.ChatError(
            _(
                "Schrijf een korte samenvatting, zodat het kind zijn verhaal niet opnieuw "
                "hoeft te doen."
            )
        )
    region = national_desk()
    if request.postcode.strip():
        try:
            route = route_postcode(request.postcode)
        except InvalidPostcode as error:
            raise services.ChatError(str(error)) from error
        region = route.region
    with transaction.atomic():
        handover = Handover(
            organisation=organisation,
            requested_by=by,
            external_reference=request.external_reference[:64],
            channel=request.channel,
            consent=True,
            summary_by=request.summary_by,
            volunteer_stays=request.volunteer_stays,
            child_anonymous=request.child_anonymous,
            summary=summary,
            is_urgent=request.is_urgent,
            region=region,
        )
        join_code = ""
        if request.channel == Handover.Channel.CHAT:
            conversation = Conversation(
                region=region,
                home_region=region,
                nickname=request.nickname.strip()[:40],
                age=request.age,
                postcode="",
                is_urgent=request.is_urgent,
                volunteer=by,
                volunteer_present=by is not None,
            )
            conversation.full_clean()
            conversation.save()
            handover.conversation = conversation
            join_code = continuity.new_join_code(handover)
            messaging.append_message(
                conversation,
                sender=Sender.SYSTEM,
                kind=MessageKind.EVENT,
                body=_("De Kindertelefoon vraagt Veilig Thuis erbij. Even geduld."),
            )
            messaging.append_message(
                conversation,
                sender=Sender.SYSTEM,
                kind=MessageKind.NOTE,
                body=agreements_text(handover),
            )
        handover.full_clean()
        handover.save()
        events.publish(events.queue_group(region.pk), {"type": "queue.changed"})
    return handover, join_code


def agreements_text(handover: Handover) -> str:
    return _(
        "Warme overdracht. Afgesproken met het kind: samenvatting door %(by)s; "
        "vrijwilliger %(stays)s; kind %(anon)s. Samenvatting: %(summary)s"
    ) % {
        "by": handover.get_summary_by_display().lower(),
        "stays": _("blijft") if handover.volunteer_stays else _("gaat er daarna uit"),
        "anon": _("blijft anoniem") if handover.child_anonymous else _("mag bij naam genoemd"),
        "summary": handover.summary,
    }


def child_joins(*, handover: Handover) -> Conversation:
    conversation = handover.conversation
    assert conversation is not None
    with transaction.atomic():
        locked = Conversation.objects.select_for_update().get(pk=conversation.pk)
        messaging.append_message(
            locked, sender=Sender.SYSTEM, kind=MessageKind.EVENT, body=_("Het kind is erbij.")
        )
        events.publish(events.conversation_group(locked.pk), {"type": "chat.state"})
    return locked


def cancel_handover(*, handover: Handover, by: User) -> Handover:
    with transaction.atomic():
        locked = Handover.objects.select_for_update().get(pk=handover.pk)
        if not owns_handover(by, locked):
            raise AccessDenied(action=Action.REQUEST_HANDOVER, obj=locked)
        if locked.status != HandoverStatus.REQUESTED:
            raise services.ChatError(
                _("Alleen een overdracht die nog niet is aangenomen kan worden geannuleerd.")
            )
        locked.status = HandoverStatus.CANCELLED
        locked.completed_at = timezone.now()
        locked.join_digest = ""
        locked.save(update_fields=["status", "completed_at", "join_digest"])
        if locked.conversation_id:
            Conversation.objects.filter(pk=locked.conversation_id).update(
                status=ConversationStatus.ABANDONED,
                ended_at=timezone.now(),
                volunteer_present=False,
            )
        events.publish(events.queue_group(locked.region_id), {"type": "queue.changed"})
    return locked


def accept_phone_handover(
    *, handover: Handover, by: User, audit: AuditContext | None = None
) -> Handover:
    with transaction.atomic():
        locked = Handover.objects.select_for_update().get(pk=handover.pk)
        if not may(by, Action.HANDLE_CHAT, locked):
            raise AccessDenied(action=Action.HANDLE_CHAT, obj=locked)
        if locked.channel != Handover.Channel.PHONE:
            raise services.ChatError(_("Een chat-overdracht neemt u aan in de wachtrij."))
        if locked.status != HandoverStatus.REQUESTED:
            if locked.accepted_by_id == by.pk:
                return locked
            raise services.ChatError(_("Een collega heeft deze overdracht al aangenomen."))
        locked.status = HandoverStatus.ACCEPTED
        locked.accepted_by = by
        locked.accepted_at = timezone.now()
        locked.save(update_fields=["status", "accepted_by", "accepted_at"])
        record_access(
            user=by,
            action=AccessLogAction.CHANGE,
            obj=locked,
            roles=roles_for(by, Action.HANDLE_CHAT, locked),
            audit=audit,
        )
        events.publish(events.queue_group(locked.region_id), {"type": "queue.changed"})
    return locked


def register_phone_handover(
    *,
    handover: Handover,
    by: User,
    outcome: services.ClosingRegistration,
    audit: AuditContext | None = None,
) -> Contact:
    """The employee registers the three-way phone call in the same place as the request."""

    with transaction.atomic():
        locked = Handover.objects.select_for_update().get(pk=handover.pk)
        if locked.accepted_by_id != by.pk or locked.status != HandoverStatus.ACCEPTED:
            raise services.ChatError(
                _("Alleen wie de overdracht aannam kan het gesprek registreren.")
            )
        dossier = open_dossier(region=locked.region, by=by)
        try:
            contact = file_contact(
                region=locked.region,
                dossier=dossier,
                details=outcome.as_contact(
                    channel=Channel.PHONE, received_at=locked.accepted_at or timezone.now()
                ),
                by=by,
                roles=roles_for(by, Action.HANDLE_CHAT, locked),
                audit=audit,
            )
        except ContactError as error:
            raise services.ChatError(str(error)) from error
        locked.status = HandoverStatus.COMPLETED
        locked.completed_at = timezone.now()
        locked.contact = contact
        locked.save(update_fields=["status", "completed_at", "contact"])
    return contact
