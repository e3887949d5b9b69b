"""Writes of the contact register: registering contacts and keeping advice dossiers.

Every function is one business action: it checks the policy, validates, writes in one
transaction, records the dossier's history and the access-log entry, and returns. A refused
action raises `ContactError` (or `AccessDenied`) and changes nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from vangnet.accounts.models import User
from vangnet.accounts.policy import AccessDenied, Action, may, roles_for
from vangnet.audit.context import AuditContext
from vangnet.audit.models import AccessLogAction
from vangnet.audit.services import log_destroyed, record_access
from vangnet.errors import DomainError
from vangnet.regions.models import Region

from .models import (
    CONTACT_TEXT_LIMITS,
    AdviceDossier,
    AskerType,
    Channel,
    Contact,
    DossierCorrection,
    DossierEvent,
    DossierPerson,
    DossierStatement,
    PersonRelation,
    Sector,
    ViolenceForm,
)

# A contact registered by hand is at most this long ago (older ones are data entry errors).
MAX_BACKDATING = timedelta(days=31)
MAX_DURATION_MINUTES = 600
# Who asks with a sector: DOMAIN.md "professional with sector, partner".
ASKERS_WITH_SECTOR = frozenset({AskerType.PROFESSIONAL, AskerType.PARTNER})


class ContactError(DomainError):
    """A refused action on the register; the message tells the employee what to do.

    `errors` maps form fields to messages, so a form can show each one at its field.
    """


@dataclass(frozen=True)
class ContactDetails:
    """What the employee registers about one contact."""

    channel: str
    asker_type: str
    question: str
    advice_given: str
    forms_of_violence: Sequence[str]
    received_at: datetime | None = None
    duration_minutes: int | None = None
    asker_sector: str = ""
    is_anonymous: bool = True
    asker_name: str = ""
    asker_organisation: str = ""
    asker_phone: str = ""
    referral: str = ""
    agreements: str = ""
    advised_to_report: bool = False
    participants: str = ""


@dataclass(frozen=True)
class PersonDetails:
    """A person a named dossier is about."""

    name: str
    relation: str = PersonRelation.CHILD
    date_of_birth: date | None = None
    address: str = ""


@dataclass
class _Errors:
    by_field: dict[str, list[str]] = field(default_factory=dict)

    def add(self, name: str, message: str) -> None:
        self.by_field.setdefault(name, []).append(message)

    def raise_if_any(self) -> None:
        if self.by_field:
            raise ContactError(errors=self.by_field)


def _check_contact(details: ContactDetails, *, manual: bool) -> None:
    errors = _Errors()
    if details.channel not in Channel.values:
        errors.add("channel", _("Kies hoe het contact binnenkwam."))
    elif manual and details.channel == Channel.CHAT:
        errors.add(
            "channel",
            _("Een chat wordt geregistreerd bij het afsluiten van de chat, niet hier."),
        )
    if details.asker_type not in AskerType.values:
        errors.add("asker_type", _("Kies wie er contact opnam."))
    if details.asker_type in ASKERS_WITH_SECTOR and not details.asker_sector:
        errors.add("asker_sector", _("Kies de sector van de professional of ketenpartner."))
    if details.asker_sector and details.asker_sector not in Sector.values:
        errors.add("asker_sector", _("Kies een sector uit de lijst."))
    if details.asker_sector and details.asker_type not in ASKERS_WITH_SECTOR:
        errors.add(
            "asker_sector",
            _("Een sector hoort alleen bij een professional of ketenpartner."),
        )
    if details.is_anonymous and (details.asker_name.strip() or details.asker_phone.strip()):
        errors.add(
            "asker_name",
            _(
                "Het contact staat op anoniem: laat naam en terugbelnummer leeg, "
                "of vink 'anoniem' uit."
            ),
        )
    if not details.is_anonymous and not details.asker_name.strip():
        errors.add("asker_name", _("Vul de naam van de vrager in, of vink 'anoniem' aan."))
    if details.asker_phone.strip():
        digits = "".join(ch for ch in details.asker_phone if ch.isdigit())
        if len(digits) < 10 or len(digits) > 15:
            errors.add("asker_phone", _("Vul een telefoonnummer van 10 tot 15 cijfers in."))
    codes = list(details.forms_of_violence)
    if not codes:
        errors.add(
            "forms_of_violence",
            _("Kies minstens één vorm van geweld; twijfelt u, kies 'Anders of nog onduidelijk'."),
        )
    elif any(code not in ViolenceForm.values for code in codes):
        errors.add("forms_of_violence", _("Kies vormen van geweld uit de lijst."))
    for name, limit in CONTACT_TEXT_LIMITS.items():
        if len(getattr(details, name)) > limit:
            errors.add(name, _("Gebruik hier hoogstens %(limit)s tekens.") % {"limit": limit})
    if not details.question.strip():
        errors.add("question", _("Beschrijf kort de vraag of het verhaal."))
    if not details.advice_given.strip():
        errors.add("advice_given", _("Beschrijf het gegeven advies."))
    if details.duration_minutes is not None and not (
        1 <= details.duration_minutes <= MAX_DURATION_MINUTES
    ):
        errors.add(
            "duration_minutes",
            _("De duur is tussen 1 en %(max)s minuten.") % {"max": MAX_DURATION_MINUTES},
        )
    if details.received_at is not None:
        now = timezone.now()
        if details.received_at > now + timedelta(minutes=5):
            errors.add("received_at", _("Het tijdstip ligt in de toekomst."))
        elif manual and details.received_at < now - MAX_BACKDATING:
            errors.add(
                "received_at",
                _("Een contact registreert u binnen een maand; dit tijdstip is te lang geleden."),
            )
    errors.raise_if_any()


def _require(user: User, action: Action, obj: Any) -> None:
    if not may(user, action, obj):
        raise AccessDenied(action=action, obj=obj)


def _event(
    dossier: AdviceDossier, kind: str, by: User | None, note: str = "", at: datetime | None = None
) -> None:
    DossierEvent.objects.create(
        dossier=dossier, kind=kind, by=by, note=note[:300], at=at or timezone.now()
    )


def open_dossier(
    *, region: Region, by: User, title: str = "", audit: AuditContext | None = None
) -> AdviceDossier:
    """A new, anonymous advice dossier owned by `by`. Callers check the policy."""
    dossier = AdviceDossier(region=region, owner=by, title=title.strip())
    try:
        dossier.full_clean()
    except ValidationError as error:
        raise ContactError(" ".join(error.messages)) from error
    with transaction.atomic():
        dossier.save()
        _event(dossier, DossierEvent.Kind.OPENED, by)
    return dossier


def note_contact_in_dossier(*, contact: Contact, by: User | None) -> None:
    """History entry for a contact that joined its dossier (also for chats and handovers)."""
    if contact.dossier_id is not None:
        _event(
            contact.dossier,  # type: ignore[arg-type]  # dossier_id is set
            DossierEvent.Kind.CONTACT_ADDED,
            by,
            note=contact.get_channel_display(),
        )


def _locked_open_dossier(dossier: AdviceDossier, region: Region) -> AdviceDossier:
    locked = AdviceDossier.objects.select_for_update().get(pk=dossier.pk)
    if locked.region_id != region.pk:
        raise ContactError(errors={"dossier": [_("Dit adviesdossier hoort bij een andere regio.")]})
    if not locked.is_open:
        raise ContactError(
            errors={
                "dossier": [
                    _("Dit adviesdossier is gesloten. Heropen het eerst of kies een ander.")
                ]
            }
        )
    return locked


def file_contact(
    *,
    region: Region,
    dossier: AdviceDossier,
    details: ContactDetails,
    by: User,
    roles: Sequence[str],
    audit: AuditContext | None = None,
) -> Contact:
    """Write one contact into `dossier` (locked and open, in the caller's transaction): the
    only place a contact is built. The desk's registration, a chat's close, a phone handover
    and a meldcode call-back all come here, so they share its checks and its log entry."""
    _check_contact(details, manual=False)
    contact = Contact(
        region=region,
        channel=details.channel,
        duration_minutes=details.duration_minutes,
        asker_type=details.asker_type,
        asker_sector=details.asker_sector,
        is_anonymous=details.is_anonymous,
        asker_name="" if details.is_anonymous else details.asker_name.strip(),
        asker_organisation=details.asker_organisation.strip(),
        asker_phone="" if details.is_anonymous else details.asker_phone.strip(),
        summary=details.question.strip(),
        forms_of_violence=sorted(set(details.forms_of_violence)),
        advice_given=details.advice_given.strip(),
        referral=details.referral.strip(),
        agreements=details.agreements.strip(),
        advised_to_report=details.advised_to_report,
        participants=details.participants.strip(),
        received_at=details.received_at or timezone.now(),
        registered_by=by,
        dossier=dossier,
    )
    try:
        contact.full_clean()
    except ValidationError as error:
        raise ContactError(errors=error.message_dict) from error
    contact.save()
    note_contact_in_dossier(contact=contact, by=by)
    record_access(user=by, action=AccessLogAction.CREATE, obj=contact, roles=roles, audit=audit)
    return contact


def register_contact(
    *,
    by: User,
    region: Region,
    details: ContactDetails,
    dossier: AdviceDossier | None = None,
    title: str = "",
    audit: AuditContext | None = None,
) -> Contact:
    """Register a phone, written or in-person contact, in `dossier` or in a new one."""
    _require(by, Action.REGISTER_CONTACT, region)
    _check_contact(details, manual=True)
    with transaction.atomic():
        if dossier is not None:
            target = _locked_open_dossier(dossier, region)
            _require(by, Action.REGISTER_CONTACT, target)
        else:
            target = open_dossier(region=region, by=by, title=title, audit=audit)
        contact = file_contact(
            region=region,
            dossier=target,
            details=details,
            by=by,
            roles=roles_for(by, Action.REGISTER_CONTACT, region),
            audit=audit,
        )
    return contact


def _locked_for_change(dossier: AdviceDossier, by: User) -> AdviceDossier:
    locked = AdviceDossier.objects.select_for_update().get(pk=dossier.pk)
    _require(by, Action.MANAGE_DOSSIER, locked)
    return locked


def _log_change(by: User, obj: Any, audit: AuditContext | None) -> None:
    record_access(
        user=by,
        action=AccessLogAction.CHANGE,
        obj=obj,
        roles=roles_for(by, Action.MANAGE_DOSSIER, obj),
        audit=audit,
    )


def _check_person(person: PersonDetails) -> None:
    errors = _Errors()
    if not person.name.strip():
        errors.add("name", _("Vul de naam van de persoon in."))
    if person.relation not in PersonRelation.values:
        errors.add("relation", _("Kies wie de persoon is."))
    if person.date_of_birth is not None:
        today = timezone.localdate()
        if person.date_of_birth > today:
            errors.add("date_of_birth", _("De geboortedatum ligt in de toekomst."))
        elif person.date_of_birth.year < today.year - 120:
            errors.add("date_of_birth", _("Controleer de geboortedatum: die is te lang geleden."))
    errors.raise_if_any()


def name_dossier(
    *,
    dossier: AdviceDossier,
    by: User,
    persons: Sequence[PersonDetails],
    audit: AuditContext | None = None,
) -> AdviceDossier:
    """The asker chooses to name the persons: the dossier stops being anonymous."""
    if not persons:
        raise ContactError(errors={"name": [_("Noem minstens één persoon.")]})
    for person in persons:
        _check_person(person)
    with transaction.atomic():
        locked = _locked_for_change(dossier, by)
        if not locked.is_open:
            raise ContactError(_("Een gesloten dossier kan niet worden aangevuld."))
        if locked.is_anonymous:
            locked.is_anonymous = False
            locked.save(update_fields=["is_anonymous"])
            _event(locked, DossierEvent.Kind.NAMED, by)
        for person in persons:
            created = DossierPerson.objects.create(
                dossier=locked,
                relation=person.relation,
                name=person.name.strip(),
                date_of_birth=person.date_of_birth,
                address=person.address.strip(),
            )
            _event(locked, DossierEvent.Kind.PERSON_ADDED, by, note=created.get_relation_display())
        _log_change(by, locked, audit)
    return locked


def remove_dossier_person(
    *, person: DossierPerson, by: User, audit: AuditContext | None = None
) -> AdviceDossier:
    with transaction.atomic():
        locked = _locked_for_change(person.dossier, by)
        if not locked.is_open:
            raise ContactError(_("Een gesloten dossier kan niet worden gewijzigd."))
        relation = person.get_relation_display()
        DossierPerson.objects.filter(pk=person.pk, dossier=locked).delete()
        _event(locked, DossierEvent.Kind.PERSON_REMOVED, by, note=relation)
        _log_change(by, locked, audit)
    return locked


def close_dossier(
    *, dossier: AdviceDossier, by: User, reason: str = "", audit: AuditContext | None = None
) -> AdviceDossier:
    with transaction.atomic():
        locked = _locked_for_change(dossier, by)
        if not locked.is_open:
            raise ContactError(_("Dit dossier is al gesloten."))
        locked.closed_at = timezone.now()
        locked.save(update_fields=["closed_at"])
        _event(locked, DossierEvent.Kind.CLOSED, by, note=reason.strip())
        _log_change(by, locked, audit)
    return locked


def reopen_dossier(
    *, dossier: AdviceDossier, by: User, reason: str, audit: AuditContext | None = None
) -> AdviceDossier:
    if not reason.strip():
        raise ContactError(errors={"reason": [_("Geef aan waarom het dossier heropend wordt.")]})
    with transaction.atomic():
        locked = _locked_for_change(dossier, by)
        if locked.is_open:
            raise ContactError(_("Dit dossier is niet gesloten."))
        if locked.events.filter(kind=DossierEvent.Kind.CONVERTED).exists():
            raise ContactError(
                _("Dit dossier is omgezet in een melding; verder gaat het in de melding.")
            )
        locked.closed_at = None
        locked.save(update_fields=["closed_at"])
        _event(locked, DossierEvent.Kind.REOPENED, by, note=reason.strip())
        _log_change(by, locked, audit)
    return locked


def change_dossier_owner(
    *, dossier: AdviceDossier, by: User, owner: User, audit: AuditContext | None = None
) -> AdviceDossier:
    """Give the dossier to a colleague who may register contacts in its region."""
    with transaction.atomic():
        locked = _locked_for_change(dossier, by)
        if not may(owner, Action.REGISTER_CONTACT, locked):
            raise ContactError(
                errors={"owner": [_("Deze collega werkt niet met adviesdossiers in deze regio.")]}
            )
        if locked.owner_id == owner.pk:
            return locked  # nothing changes; asking twice is not an error
        locked.owner = owner
        locked.save(update_fields=["owner"])
        _event(locked, DossierEvent.Kind.OWNER_CHANGED, by, note=owner.display_name)
        _log_change(by, locked, audit)
    return locked


def may_become_report(dossier: AdviceDossier) -> bool:
    """DOMAIN.md: no report can be made through the chat. A dossier becomes a report only when
    someone spoke with Veilig Thuis another way (phone, in person, in writing)."""
    return dossier.contacts.exclude(channel=Channel.CHAT).exists()


def refuse_chat_only_report(dossier: AdviceDossier) -> None:
    if not may_become_report(dossier):
        raise ContactError(
            _(
                "Via de chat kan geen melding worden gedaan. Leg vast dat de vrager is uitgelegd "
                "hoe te melden, en registreer de melding wanneer de vrager belt."
            )
        )


def convert_dossier(*, dossier: AdviceDossier, by: User, report_reference: str) -> None:
    """The dossier became a report (called by `reports.services.receive_report`, which checks
    that this may happen): it is closed and says which report it became."""
    with transaction.atomic():
        locked = AdviceDossier.objects.select_for_update().get(pk=dossier.pk)
        locked.closed_at = timezone.now()
        locked.save(update_fields=["closed_at"])
        _event(locked, DossierEvent.Kind.CONVERTED, by, note=report_reference)


# --- Rights of the people involved: correction, own statement, destruction (ADR 0032) -------
# The decision is taken in rights (HANDLE_SUBJECT_REQUEST, which the caller checks); these
# carry it out in the dossier, as reports.services does for a report.

CORRECTABLE_DOSSIER_PERSON_FIELDS = ("name", "address")
CORRECTABLE_CONTACT_FIELDS = ("summary", "advice_given", "agreements")


def correct_dossier(
    *,
    dossier: AdviceDossier,
    by: User,
    field_name: str,
    new_text: str,
    grounds: str,
    person: DossierPerson | None = None,
    contact_id: int | None = None,
    audit: AuditContext | None = None,
) -> AdviceDossier:
    """Correct the person's own details or a contact's text in the dossier. The old text stays
    in the dossier's corrections (shown in its history); later copies show the new one."""
    allowed = (
        CORRECTABLE_DOSSIER_PERSON_FIELDS if person is not None else CORRECTABLE_CONTACT_FIELDS
    )
    if field_name not in allowed or (person is None and contact_id is None):
        raise ContactError(
            errors={"field_name": [_("Dit deel van het dossier kan niet worden gecorrigeerd.")]}
        )
    if not new_text.strip():
        raise ContactError(errors={"new_text": [_("Schrijf de gecorrigeerde tekst.")]})
    with transaction.atomic():
        locked = AdviceDossier.objects.select_for_update().get(pk=dossier.pk)
        target: DossierPerson | Contact
        if person is not None:
            target = DossierPerson.objects.select_for_update().get(pk=person.pk, dossier=locked)
        else:
            found = (
                Contact.objects.select_for_update()
                .filter(pk=contact_id or 0, dossier=locked)
                .first()
            )
            if found is None:
                raise ContactError(
                    errors={"field_name": [_("Dit contact hoort niet bij dit dossier.")]}
                )
            target = found
        label = str(getattr(target._meta.get_field(field_name), "verbose_name", field_name))
        if isinstance(target, Contact):
            label = _("%(field)s van het contact van %(day)s") % {
                "field": label,
                "day": timezone.localtime(target.received_at).strftime("%d-%m-%Y"),
            }
        old = getattr(target, field_name) or ""
        setattr(target, field_name, new_text.strip())
        try:
            target.full_clean()
        except ValidationError as error:
            raise ContactError(errors={"new_text": error.messages}) from error
        target.save(update_fields=[field_name])
        DossierCorrection.objects.create(
            dossier=locked, what=label[:200], old_text=old, grounds=grounds.strip()[:300], by=by
        )
        _event(locked, DossierEvent.Kind.CORRECTED, by, note=label)
        record_access(
            user=by,
            action=AccessLogAction.CHANGE,
            obj=target,
            audit=audit,
            reason="correctie op verzoek van betrokkene",
        )
    return locked


def add_dossier_statement(
    *,
    dossier: AdviceDossier,
    person: DossierPerson,
    by: User,
    text: str,
    audit: AuditContext | None = None,
) -> DossierStatement:
    """Add a person's own statement to the dossier; it goes with every later copy."""
    if not text.strip():
        raise ContactError(errors={"text": [_("Schrijf de verklaring van de betrokkene op.")]})
    with transaction.atomic():
        locked = AdviceDossier.objects.select_for_update().get(pk=dossier.pk)
        if person.dossier_id != locked.pk:
            raise ContactError(errors={"person": [_("Deze persoon hoort niet bij dit dossier.")]})
        statement = DossierStatement.objects.create(
            dossier=locked, person=person, text=text.strip(), added_by=by
        )
        _event(locked, DossierEvent.Kind.STATEMENT, by, note=person.get_relation_display())
        record_access(
            user=by,
            action=AccessLogAction.CREATE,
            obj=statement,
            audit=audit,
            reason="eigen verklaring van betrokkene",
        )
    return statement


def destroy_dossier_on_request(
    *, dossier: AdviceDossier, by: User, audit: AuditContext | None = None
) -> int:
    """Destroy an advice dossier with its contacts, chats and call-back requests on a person's
    request (the decision, and the legal-hold check, are rights'). Logged by id only."""
    with transaction.atomic():
        locked = AdviceDossier.objects.select_for_update().get(pk=dossier.pk)
        dossier_id = locked.pk
        locked.advice_requests.all().delete()
        for contact in list(locked.contacts.all()):
            contact_id = contact.pk
            _destroy_contact(contact)
            log_destroyed(
                "contacts.contact",
                contact_id,
                by=by,
                audit=audit,
                reason="vernietigd op verzoek van betrokkene",
            )
        locked.conversations.all().delete()
        locked.delete()
        log_destroyed(
            "contacts.advicedossier",
            dossier_id,
            by=by,
            audit=audit,
            reason="vernietigd op verzoek van betrokkene",
        )
    return dossier_id


# --- Retention ------------------------------------------------------------------------------
# DOMAIN.md: advice records are kept 2 years (ADVICE_RETENTION_YEARS). The daily retention
# (rights.retention) decides the moment and which records are held; these remove them.


def _destroy_contact(contact: Contact) -> None:
    # A call-back request that led to this contact is part of the same advice.
    request = getattr(contact, "advice_request", None)
    if request is not None:
        request.delete()
    contact.delete()


def delete_expired_advice(
    *, closed_before: datetime, keep_dossiers: set[int], keep_contacts: set[int]
) -> tuple[int, int]:
    """Destroy advice dossiers closed before `closed_before` with their contacts, chats and
    call-back requests, and contacts outside a dossier received before it. Held records (and
    a dossier with a held contact) stay. Returns (dossiers, contacts) destroyed."""
    dossiers = contacts = 0
    due = AdviceDossier.objects.filter(closed_at__lt=closed_before).exclude(pk__in=keep_dossiers)
    for dossier_id in list(due.values_list("pk", flat=True)):
        with transaction.atomic():
            dossier = AdviceDossier.objects.select_for_update().filter(pk=dossier_id).first()
            if dossier is None or dossier.closed_at is None or dossier.closed_at >= closed_before:
                continue
            inside = list(dossier.contacts.all())
            if any(c.pk in keep_contacts for c in inside):
                continue
            dossier.advice_requests.all().delete()
            for contact in inside:
                _destroy_contact(contact)
                log_destroyed("contacts.contact", contact.pk, reason="Bewaartermijn verstreken")
                contacts += 1
            dossier.conversations.all().delete()
            dossier.delete()
            log_destroyed("contacts.advicedossier", dossier_id, reason="Bewaartermijn verstreken")
            dossiers += 1
    loose = Contact.objects.filter(dossier__isnull=True, received_at__lt=closed_before).exclude(
        pk__in=keep_contacts
    )
    for contact_id in list(loose.values_list("pk", flat=True)):
        with transaction.atomic():
            loose_contact = Contact.objects.select_for_update().filter(pk=contact_id).first()
            if loose_contact is None or loose_contact.dossier_id is not None:
                continue
            _destroy_contact(loose_contact)
            log_destroyed("contacts.contact", contact_id, reason="Bewaartermijn verstreken")
            contacts += 1
    return dossiers, contacts
