"""Requests of the people involved: register, review a copy, correct, add a statement, decide.

Registered by the privacy officer or a team lead (HANDLE_SUBJECT_REQUEST in the file's
region) on the report or advice dossier they concern, with who asked and for whom: parents
exercise the rights of a child under 16, and a child over 12 is consulted first (DOMAIN.md).
The legal deadline is RIGHTS_REQUEST_WEEKS (4) weeks, extendable once with a reason. Every
change is logged (ADR 0032).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from vangnet.accounts.models import User
from vangnet.accounts.policy import AccessDenied, Action, may, roles_for
from vangnet.audit.context import AuditContext
from vangnet.audit.models import AccessLogAction
from vangnet.audit.services import record_access
from vangnet.contacts import services as contact_services
from vangnet.contacts.models import AdviceDossier, DossierPerson
from vangnet.errors import DomainError
from vangnet.reports import services as report_services
from vangnet.reports.models import Report, ReportPerson

from . import copy, holds
from .models import (
    CopyPassage,
    FileKind,
    HeldKind,
    LegalHold,
    RefusalGround,
    Release,
    Requester,
    RequestKind,
    RequestState,
    SubjectRequest,
)

# DOMAIN.md: parents exercise the rights of children under 16; a child over 12 is consulted.
PARENTS_DECIDE_UNDER = 16
CHILD_CONSULTED_FROM = 12


class RequestError(DomainError):
    """A refused request action, with messages per field the user can act on (ADR 0028)."""


def _age_on(born: date, day: date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def _require(by: User, obj: Any) -> None:
    if not may(by, Action.HANDLE_SUBJECT_REQUEST, obj):
        raise AccessDenied(action=Action.HANDLE_SUBJECT_REQUEST, obj=obj)


def _log(
    by: User, obj: Any, action: AccessLogAction, audit: AuditContext | None, reason: str
) -> None:
    record_access(
        user=by,
        action=action,
        obj=obj,
        roles=roles_for(by, Action.HANDLE_SUBJECT_REQUEST, obj),
        audit=audit,
        reason=reason,
    )


@dataclass(frozen=True)
class NewRequest:
    kind: str
    person: ReportPerson | DossierPerson
    requester: str
    requester_name: str
    received_on: date
    child_consulted: str = ""
    details: str = ""


def _check_new(new: NewRequest, *, of_this_file: bool) -> None:
    """The rules of every request, whatever the file: a person of it, who asks, the age."""
    errors: dict[str, list[str]] = {}
    if not of_this_file:
        errors["person"] = [_("Kies een betrokkene van dit dossier.")]
    if not new.requester_name.strip():
        errors["requester_name"] = [_("Wie vraagt het? Schrijf de naam op.")]
    today = timezone.localdate()
    if new.received_on > today:
        errors["received_on"] = [_("De ontvangstdatum ligt in de toekomst.")]
    born = new.person.date_of_birth
    if born is not None:
        age = _age_on(born, new.received_on)
        if age < PARENTS_DECIDE_UNDER and new.requester == Requester.SELF:
            errors["requester"] = [
                _("Voor een kind onder de 16 oefenen de ouders met gezag of de voogd dit uit.")
            ]
        if age >= PARENTS_DECIDE_UNDER and new.requester == Requester.PARENT:
            errors["requester"] = [
                _("Vanaf 16 jaar oefent de betrokkene dit recht zelf uit (of een gemachtigde).")
            ]
        if CHILD_CONSULTED_FROM <= age < PARENTS_DECIDE_UNDER and not new.child_consulted.strip():
            errors["child_consulted"] = [
                _("Het kind is ouder dan 12: vraag eerst wat het ervan vindt en schrijf dat op.")
            ]
    if errors:
        raise RequestError(errors=errors)


def _new_request(new: NewRequest, by: User, **file: Any) -> SubjectRequest:
    return SubjectRequest.objects.create(
        kind=new.kind,
        requester=new.requester,
        requester_name=new.requester_name.strip(),
        child_consulted=new.child_consulted.strip(),
        received_on=new.received_on,
        due_on=new.received_on + timedelta(weeks=settings.RIGHTS_REQUEST_WEEKS),
        details=new.details.strip(),
        registered_by=by,
        **file,
    )


def register_request(
    *, report: Report, by: User, new: NewRequest, audit: AuditContext | None = None
) -> SubjectRequest:
    _require(by, report)
    person = new.person
    _check_new(new, of_this_file=isinstance(person, ReportPerson) and person.report_id == report.pk)
    assert isinstance(person, ReportPerson)
    with transaction.atomic():
        subject_request = _new_request(
            new,
            by,
            region=report.region,
            file_kind=FileKind.REPORT,
            report=report,
            report_reference=report.reference,
            person=person,
            person_label=str(person.get_role_display()),
        )
        if new.kind in (RequestKind.COPY, RequestKind.INSPECTION):
            # What the file holds now (not what the caller's copy of the report held).
            copy.snapshot_report(subject_request, Report.objects.get(pk=report.pk), person)
        _log(by, report, AccessLogAction.CREATE, audit, f"verzoek betrokkene: {new.kind}")
    return subject_request


def register_dossier_request(
    *, dossier: AdviceDossier, by: User, new: NewRequest, audit: AuditContext | None = None
) -> SubjectRequest:
    """The same request about an advice dossier, for a person named in it (ADR 0032)."""
    _require(by, dossier)
    person = new.person
    _check_new(
        new, of_this_file=isinstance(person, DossierPerson) and person.dossier_id == dossier.pk
    )
    assert isinstance(person, DossierPerson)
    with transaction.atomic():
        subject_request = _new_request(
            new,
            by,
            region=dossier.region,
            file_kind=FileKind.DOSSIER,
            dossier=dossier,
            report_reference=dossier.reference,
            dossier_person=person,
            person_label=str(person.get_relation_display()),
        )
        if new.kind in (RequestKind.COPY, RequestKind.INSPECTION):
            copy.snapshot_dossier(subject_request, AdviceDossier.objects.get(pk=dossier.pk), person)
        _log(by, dossier, AccessLogAction.CREATE, audit, f"verzoek betrokkene: {new.kind}")
    return subject_request


def _locked(subject_request: SubjectRequest, by: User) -> SubjectRequest:
    locked = SubjectRequest.objects.select_for_update().get(pk=subject_request.pk)
    _require(by, locked.file if locked.file is not None else locked.region)
    if not locked.is_open:
        raise RequestError(_("Over dit verzoek is al besloten."))
    return locked


def extend_deadline(
    *, subject_request: SubjectRequest, by: User, because: str, audit: AuditContext | None = None
) -> SubjectRequest:
    if not because.strip():
        raise RequestError(errors={"because": [_("Geef de reden van de verlenging.")]})
    with transaction.atomic():
        locked = _locked(subject_request, by)
        if locked.extended_because:
            raise RequestError(_("De termijn is al eens verlengd."))
        locked.due_on += timedelta(weeks=settings.RIGHTS_REQUEST_EXTENSION_WEEKS)
        locked.extended_because = because.strip()
        locked.save(update_fields=["due_on", "extended_because"])
        _log(by, locked, AccessLogAction.CHANGE, audit, "termijn verlengd")
    return locked


def review_passages(
    *,
    subject_request: SubjectRequest,
    by: User,
    decisions: Mapping[int, tuple[str, str]],
    audit: AuditContext | None = None,
) -> SubjectRequest:
    """Record, per passage, release or withhold and why. A passage that could reveal the
    reporter is never released; another person's data only when marked shareable (a release
    with its reason)."""
    errors: dict[str, list[str]] = {}
    with transaction.atomic():
        locked = _locked(subject_request, by)
        passages = {p.pk: p for p in locked.passages.select_for_update()}
        for pk, (decision, reason) in decisions.items():
            passage = passages.get(pk)
            if passage is None or decision not in Release.values:
                continue
            key = f"passage-{pk}"
            if decision == Release.RELEASE and passage.reveals_reporter:
                errors[key] = [_("Deze passage kan de melder onthullen en wordt nooit verstrekt.")]
                continue
            if decision == Release.WITHHOLD and not reason.strip():
                errors[key] = [_("Geef de reden waarom deze passage niet wordt verstrekt.")]
                continue
            if decision == Release.RELEASE and passage.about_other and not reason.strip():
                errors[key] = [
                    _("Dit gaat over een ander: geef aan waarom het gedeeld mag worden.")
                ]
                continue
            passage.decision = decision
            passage.reason = reason.strip()[:300]
            passage.save(update_fields=["decision", "reason"])
        if errors:
            raise RequestError(errors=errors)
        _log(by, locked, AccessLogAction.CHANGE, audit, "afschrift beoordeeld")
    return locked


def release_copy(
    *, subject_request: SubjectRequest, by: User, audit: AuditContext | None = None
) -> SubjectRequest:
    """Decide the copy once every passage is reviewed; the PDF can then be downloaded."""
    with transaction.atomic():
        locked = _locked(subject_request, by)
        if locked.kind not in (RequestKind.COPY, RequestKind.INSPECTION):
            raise RequestError(_("Dit verzoek is geen inzage of afschrift."))
        if locked.passages.filter(decision=Release.PENDING).exists():
            raise RequestError(_("Beoordeel eerst elke passage: verstrekken of niet, en waarom."))
        withheld = locked.passages.filter(decision=Release.WITHHOLD).count()
        locked.state = RequestState.PARTLY if withheld else RequestState.DONE
        locked.decision = _(
            "Verstrekt. %(n)s passage(s) niet verstrekt; de redenen staan per passage."
        ) % {"n": withheld}
        locked.decided_at = timezone.now()
        locked.decided_by = by
        locked.save(update_fields=["state", "decision", "decided_at", "decided_by"])
        _log(by, locked, AccessLogAction.CHANGE, audit, "afschrift vrijgegeven")
    return locked


def correct(
    *,
    subject_request: SubjectRequest,
    by: User,
    field_name: str,
    new_text: str,
    audit: AuditContext | None = None,
) -> SubjectRequest:
    """Carry out a correction: the file changes, the old text stays in its history."""
    with transaction.atomic():
        locked = _locked(subject_request, by)
        if locked.kind != RequestKind.CORRECTION or locked.file is None:
            raise RequestError(_("Dit verzoek is geen correctie."))
        grounds = _("verzoek van betrokkene %(id)s") % {"id": locked.pk}
        if locked.dossier is not None:
            _correct_dossier(locked, by, field_name, new_text, grounds, audit)
            done = _("Gecorrigeerd; de oude tekst staat in de geschiedenis van het adviesdossier.")
        else:
            _correct_report(locked, by, field_name, new_text, grounds, audit)
            done = _("Gecorrigeerd; de oude tekst staat in het journaal van de melding.")
        locked.state = RequestState.DONE
        locked.decision = done
        locked.decided_at, locked.decided_by = timezone.now(), by
        locked.save(update_fields=["state", "decision", "decided_at", "decided_by"])
    return locked


def _correct_report(
    locked: SubjectRequest,
    by: User,
    field_name: str,
    new_text: str,
    grounds: str,
    audit: AuditContext | None,
) -> None:
    assert locked.report is not None
    person = None
    if field_name.startswith("person."):
        person, field_name = locked.person, field_name.removeprefix("person.")
    try:
        report_services.correct_file(
            report=locked.report,
            by=by,
            field_name=field_name,
            new_text=new_text,
            person=person,
            grounds=grounds,
            audit=audit,
        )
    except report_services.ReportError as error:
        raise RequestError(errors=error.errors) from error


def _correct_dossier(
    locked: SubjectRequest,
    by: User,
    field_name: str,
    new_text: str,
    grounds: str,
    audit: AuditContext | None,
) -> None:
    """`person.<field>`: the person's own details; `contact.<id>.<field>`: a contact's text."""
    assert locked.dossier is not None
    person, contact_id = None, None
    if field_name.startswith("person."):
        person, field_name = locked.dossier_person, field_name.removeprefix("person.")
    elif field_name.startswith("contact."):
        _prefix, number, field_name = [*field_name.split(".", 2), "", ""][:3]
        contact_id = int(number) if number.isdigit() else None
    try:
        contact_services.correct_dossier(
            dossier=locked.dossier,
            by=by,
            field_name=field_name,
            new_text=new_text,
            grounds=grounds,
            person=person,
            contact_id=contact_id,
            audit=audit,
        )
    except contact_services.ContactError as error:
        raise RequestError(errors=error.errors) from error


def add_statement(
    *, subject_request: SubjectRequest, by: User, text: str, audit: AuditContext | None = None
) -> SubjectRequest:
    with transaction.atomic():
        locked = _locked(subject_request, by)
        if locked.kind != RequestKind.STATEMENT or locked.file_person is None:
            raise RequestError(_("Dit verzoek is geen eigen verklaring."))
        try:
            if locked.dossier is not None and locked.dossier_person is not None:
                contact_services.add_dossier_statement(
                    dossier=locked.dossier,
                    person=locked.dossier_person,
                    by=by,
                    text=text,
                    audit=audit,
                )
            elif locked.report is not None and locked.person is not None:
                report_services.add_own_statement(
                    report=locked.report, person=locked.person, by=by, text=text, audit=audit
                )
        except (report_services.ReportError, contact_services.ContactError) as error:
            raise RequestError(errors=error.errors) from error
        locked.state = RequestState.DONE
        locked.decision = _("Eigen verklaring toegevoegd aan het dossier.")
        locked.decided_at, locked.decided_by = timezone.now(), by
        locked.save(update_fields=["state", "decision", "decided_at", "decided_by"])
    return locked


def decide(
    *,
    subject_request: SubjectRequest,
    by: User,
    grant: bool,
    ground: str,
    grounds_text: str,
    audit: AuditContext | None = None,
) -> SubjectRequest:
    """Grant or refuse. A refusal names its legal ground and explains it; a destruction that
    is granted destroys the file (logged by id only); a legal hold always refuses it."""
    errors: dict[str, list[str]] = {}
    if not grounds_text.strip():
        errors["grounds_text"] = [_("Onderbouw het besluit.")]
    if not grant and ground not in RefusalGround.values:
        errors["ground"] = [_("Kies de grond waarop het verzoek wordt geweigerd.")]
    if errors:
        raise RequestError(errors=errors)
    with transaction.atomic():
        locked = _locked(subject_request, by)
        report = locked.report
        if grant and locked.kind == RequestKind.DESTRUCTION and report is not None:
            if report.legal_hold:
                raise RequestError(
                    errors={
                        "ground": [
                            _("Deze melding staat op niet vernietigen: weiger op die grond.")
                        ]
                    }
                )
            report_services.destroy_report_on_request(report=report, by=by, audit=audit)
            CopyPassage.objects.filter(request__report_reference=locked.report_reference).delete()
            locked.report = None
            locked.person = None
        elif grant and locked.kind == RequestKind.DESTRUCTION and locked.dossier is not None:
            _destroy_dossier(locked, by, audit)
        elif grant and locked.kind in (
            RequestKind.COPY,
            RequestKind.CORRECTION,
            RequestKind.STATEMENT,
        ):
            raise RequestError(_("Voer dit verzoek uit met de knop bij het verzoek."))
        locked.state = RequestState.DONE if grant else RequestState.REFUSED
        locked.refusal_ground = "" if grant else ground
        locked.decision = grounds_text.strip()
        locked.decided_at, locked.decided_by = timezone.now(), by
        locked.save()
        _log(
            by,
            locked,
            AccessLogAction.CHANGE,
            audit,
            "verzoek ingewilligd" if grant else f"verzoek geweigerd: {ground}",
        )
    return locked


def _destroy_dossier(locked: SubjectRequest, by: User, audit: AuditContext | None) -> None:
    """Granted destruction of an advice dossier: refused while it, or one of its contacts, is
    held; carried out by the contacts app, logged by id; the request keeps the reference."""
    dossier = locked.dossier
    assert dossier is not None
    contact_ids = {str(pk) for pk in dossier.contacts.values_list("pk", flat=True)}
    if is_held(HeldKind.ADVICE_DOSSIER, dossier.pk) or (
        LegalHold.objects.filter(
            object_type=HeldKind.CONTACT, object_id__in=contact_ids, lifted_at__isnull=True
        ).exists()
    ):
        raise RequestError(
            errors={
                "ground": [_("Dit adviesdossier staat op niet vernietigen: weiger op die grond.")]
            }
        )
    CopyPassage.objects.filter(request__report_reference=locked.report_reference).delete()
    contact_services.destroy_dossier_on_request(dossier=dossier, by=by, audit=audit)
    locked.dossier = None
    locked.dossier_person = None


def is_held(kind: str, object_id: int) -> bool:
    return LegalHold.objects.filter(
        object_type=kind, object_id=str(object_id), lifted_at__isnull=True
    ).exists()


# --- Legal holds ------------------------------------------------------------------------------


def place_legal_hold(
    *, by: User, kind: str, object_id: int, reason: str, audit: AuditContext | None = None
) -> None:
    """Stop the retention for one record, with the reason (a court case, a measure): from the
    team lead's list of what goes soon. A report keeps its own flag (ADR 15); an advice dossier
    gets a `LegalHold` row (ADR 0031). Logged as a change of that record."""
    if not reason.strip():
        raise RequestError(errors={"reason": [_("Geef de reden (bijvoorbeeld de rechtszaak).")]})
    if kind == "report":
        report = Report.objects.get(pk=object_id)
        if not may(by, Action.VIEW_RETENTION, report):
            raise AccessDenied(action=Action.VIEW_RETENTION, obj=report)
        report_services.set_legal_hold(
            report=report, by=by, legal_hold=True, reason=reason, audit=audit
        )
        return
    if kind != "dossier":
        raise AdviceDossier.DoesNotExist
    dossier = AdviceDossier.objects.get(pk=object_id)
    try:
        holds.place_hold(by=by, record=dossier, reason=reason, audit=audit)
    except holds.HoldError as error:
        raise RequestError(errors=error.errors) from error
