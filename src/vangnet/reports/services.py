"""Writes of the reports register: one function per step of the workflow (workflow.py).

Each function locks the report, asks `workflow.enforce` whether the step is allowed (state,
target, who), validates, writes, adds a journal entry and an access-log entry in the same
transaction, and schedules feedback to the reporter and deadline reminders after commit. A
refused step raises `ReportError`, `WorkflowError` or `AccessDenied` and changes nothing.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from vangnet.accounts.models import User
from vangnet.accounts.policy import AccessDenied, Action, is_transferred_to, may, roles_for
from vangnet.accounts.services import break_glass
from vangnet.audit.context import AuditContext
from vangnet.audit.models import AccessLogAction
from vangnet.audit.services import log_destroyed, record_access
from vangnet.contacts.models import AdviceDossier, Channel, DossierEvent, Sector, ViolenceForm
from vangnet.contacts.services import convert_dossier, may_become_report
from vangnet.core.crypto import search_hash
from vangnet.core.workdays import add_working_days
from vangnet.errors import DomainError
from vangnet.regions.models import PartnerOrganisation, Region

from . import notifications
from .models import (
    JournalEntry,
    MonitoringMoment,
    OwnStatement,
    PersonRole,
    Report,
    Reporter,
    ReporterFeedback,
    ReportPerson,
    SafetyCondition,
)
from .selectors import earlier_history_count
from .workflow import ReportState, TriageOutcome, WorkflowError, enforce, enforce_state

TRANSFER_KINDS = frozenset(
    {PartnerOrganisation.Kind.LOCAL_TEAM, PartnerOrganisation.Kind.SAVE_TEAM}
)


class ReportError(DomainError):
    """Input the report cannot take; `errors` maps form fields to messages."""


@dataclass
class _Errors:
    by_field: dict[str, list[str]] = field(default_factory=dict)

    def add(self, name: str, message: str) -> None:
        self.by_field.setdefault(name, []).append(message)

    def raise_if_any(self) -> None:
        if self.by_field:
            raise ReportError(errors=self.by_field)


# --- The contract for receipt (the meldcode assistant calls it too) ---------------------


@dataclass(frozen=True)
class ReporterDetails:
    name: str
    is_professional: bool
    organisation: str = ""
    sector: str = ""
    phone: str = ""
    email: str = ""
    anonymous_to_family: bool = False


@dataclass(frozen=True)
class PersonDetails:
    role: str
    name: str = ""
    date_of_birth: date | None = None
    bsn: str = ""
    address: str = ""
    is_victim: bool = False
    is_alleged_perpetrator: bool = False


@dataclass(frozen=True)
class ReceivedReport:
    report: Report
    # The reporter's secret status link, shown once; only a hash of its secret is kept.
    status_url: str


@dataclass(frozen=True)
class ConditionDetails:
    description: str
    responsible: str
    due_on: date


def is_valid_bsn(value: str) -> bool:
    """The 11-check of a citizen service number (9 digits, weights 9..2 and -1)."""
    if len(value) != 9 or not (value.isascii() and value.isdigit()) or value == "000000000":
        return False
    digits = [int(ch) for ch in value]
    total = sum(d * w for d, w in zip(digits[:8], range(9, 1, -1), strict=True)) - digits[8]
    return total % 11 == 0


def normalise_bsn(value: str) -> str:
    # Spaces and dots people type between the digits go; anything else stays and fails the check.
    return "".join(ch for ch in value if ch not in " .-") if value.strip() else ""


def _check_reporter(reporter: ReporterDetails, errors: _Errors) -> None:
    # Handelingsprotocol: a report requires the reporter's name and contact details.
    if not reporter.name.strip():
        errors.add("reporter_name", _("Vul de naam van de melder in: een melding vraagt die."))
    if not reporter.phone.strip() and not reporter.email.strip():
        errors.add(
            "reporter_phone",
            _("Vul een telefoonnummer of e-mailadres van de melder in, voor de terugkoppeling."),
        )
    if reporter.phone.strip():
        digits = "".join(ch for ch in reporter.phone if ch.isdigit())
        if not 10 <= len(digits) <= 15:
            errors.add("reporter_phone", _("Vul een telefoonnummer van 10 tot 15 cijfers in."))
    if reporter.email.strip() and "@" not in reporter.email:
        errors.add("reporter_email", _("Vul een geldig e-mailadres in."))
    if reporter.is_professional:
        if not reporter.organisation.strip():
            errors.add("reporter_organisation", _("Vul de organisatie van de professional in."))
        if reporter.sector not in Sector.values:
            errors.add("reporter_sector", _("Kies de sector van de professional."))
    elif reporter.sector:
        errors.add("reporter_sector", _("Een sector hoort alleen bij een professional."))


def _check_person(person: PersonDetails, errors: _Errors, index: int) -> None:
    prefix = f"persons-{index}-"
    if person.role not in PersonRole.values:
        errors.add(prefix + "role", _("Kies de rol van de betrokkene."))
    if not person.name.strip() and person.date_of_birth is None and not person.address.strip():
        errors.add(
            prefix + "name",
            _("Vul ten minste een naam, geboortedatum of adres van de betrokkene in."),
        )
    if person.bsn.strip() and not is_valid_bsn(normalise_bsn(person.bsn)):
        errors.add(
            prefix + "bsn",
            _("Dit burgerservicenummer klopt niet (11-proef). Controleer de 9 cijfers."),
        )
    if person.date_of_birth is not None:
        today = timezone.localdate()
        if person.date_of_birth > today:
            errors.add(prefix + "date_of_birth", _("De geboortedatum ligt in de toekomst."))
        elif person.date_of_birth.year < today.year - 120:
            errors.add(prefix + "date_of_birth", _("Controleer de geboortedatum."))


def _status_digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def status_token_matches(report: Report, secret: str) -> bool:
    return bool(report.status_token_digest) and hmac.compare_digest(
        report.status_token_digest, _status_digest(secret)
    )


def status_link_generation(report: Report) -> str:
    """Which status link a reporter's session was bought with: a hash of the stored digest
    (never the digest itself). A new link changes it, so the old link's session ends at once
    (ADR 0032), not only when its minutes run out."""
    if not report.status_token_digest:
        return ""
    return hashlib.sha256(f"status-session:{report.status_token_digest}".encode()).hexdigest()[:32]


def _journal(
    report: Report, *, by: User | None, step: str, before: str, text: str = ""
) -> JournalEntry:
    return JournalEntry.objects.create(
        report=report,
        by=by,
        step=step,
        state_before=before,
        state_after=report.state,
        text=text,
    )


def _log(
    by: User, report: Report, action: Action, audit: AuditContext | None, *, create: bool = False
) -> None:
    record_access(
        user=by,
        action=AccessLogAction.CREATE if create else AccessLogAction.CHANGE,
        obj=report,
        roles=roles_for(by, action, report),
        audit=audit,
    )


def _save(report: Report) -> None:
    try:
        report.full_clean(exclude=["reference"])
    except ValidationError as error:
        raise ReportError(errors=error.message_dict) from error
    report.save()


def _locked(report: Report) -> Report:
    return Report.objects.select_for_update().select_related("region").get(pk=report.pk)


def _feedback(report: Report, kind: str) -> None:
    feedback = ReporterFeedback.objects.create(report=report, kind=kind)
    if kind == ReporterFeedback.Kind.RECEIVED:
        return  # the receipt goes with the status link (notifications.send_receipt)
    # The worker sends it, with retries; a down mail server never turns a step into an error.
    transaction.on_commit(lambda: notifications.send_feedback(feedback.pk), robust=True)


def four_eyes_required(region: Region) -> bool:
    return region.code not in settings.REPORT_TRIAGE_FOUR_EYES_EXEMPT_REGIONS


# --- Receipt ----------------------------------------------------------------------------


def receive_report(
    *,
    region: Region,
    by: User,
    channel: str,
    reporter: ReporterDetails,
    persons: Sequence[PersonDetails],
    forms_of_violence: Sequence[str],
    concerns: str,
    actions_taken: str = "",
    source_dossier: AdviceDossier | None = None,
    audit: AuditContext | None = None,
    signals: str = "",
    is_acute: bool = False,
    received_at: datetime | None = None,
) -> ReceivedReport:
    """Register a report: reporter, persons, concerns; deadlines start; the reporter is told."""
    if not may(by, Action.SUBMIT_REPORT, region):
        raise AccessDenied(action=Action.SUBMIT_REPORT, obj=region)
    errors = _Errors()
    # DOMAIN.md: no report can be made through the chat.
    if channel == Channel.CHAT:
        errors.add("channel", _("Via de chat kan geen melding worden gedaan."))
    elif channel not in Channel.values:
        errors.add("channel", _("Kies hoe de melding binnenkwam."))
    _check_reporter(reporter, errors)
    if not persons:
        errors.add("persons", _("Noem ten minste één betrokkene, bijvoorbeeld het kind."))
    for index, person in enumerate(persons):
        _check_person(person, errors, index)
    codes = list(forms_of_violence)
    if not codes:
        errors.add(
            "forms_of_violence",
            _("Kies minstens één vorm van geweld; twijfelt u, kies 'Anders of nog onduidelijk'."),
        )
    elif any(code not in ViolenceForm.values for code in codes):
        errors.add("forms_of_violence", _("Kies vormen van geweld uit de lijst."))
    if not concerns.strip():
        errors.add("concerns", _("Beschrijf de zorgen van de melder."))
    errors.raise_if_any()

    received = received_at or timezone.now()
    secret = secrets.token_urlsafe(24)
    with transaction.atomic():
        dossier = None
        if source_dossier is not None:
            dossier = AdviceDossier.objects.select_for_update().get(pk=source_dossier.pk)
            if dossier.region_id != region.pk:
                raise ReportError(_("Dit adviesdossier hoort bij een andere regio."))
            if not may_become_report(dossier):
                raise ReportError(
                    _(
                        "Via de chat kan geen melding worden gedaan: dit adviesdossier heeft "
                        "alleen chatcontacten. Neem de melding op wanneer de melder belt."
                    )
                )
            if dossier.events.filter(kind=DossierEvent.Kind.CONVERTED).exists():
                raise ReportError(_("Dit adviesdossier is al omgezet in een melding."))
        report = Report(
            region=region,
            channel=channel,
            received_at=received,
            received_by=by,
            owner=by if may(by, Action.HANDLE_REPORT, region) else None,
            forms_of_violence=sorted(set(codes)),
            concerns=concerns.strip(),
            signals=signals.strip(),
            actions_taken=actions_taken.strip(),
            source_dossier=dossier,
            is_acute=is_acute,
            # Handelingsprotocol: acute → action within 24 hours; safety assessment including
            # triage within 5 working days of receipt.
            urgency_due_at=received + timedelta(hours=settings.REPORT_URGENCY_HOURS)
            if is_acute
            else None,
            assessment_due_on=add_working_days(
                timezone.localtime(received).date(), settings.REPORT_ASSESSMENT_WORKING_DAYS
            ),
            status_token_digest=_status_digest(secret),
        )
        _save(report)
        Reporter.objects.create(
            report=report,
            is_professional=reporter.is_professional,
            name=reporter.name.strip(),
            organisation=reporter.organisation.strip(),
            sector=reporter.sector if reporter.is_professional else "",
            phone=reporter.phone.strip(),
            email=reporter.email.strip(),
            anonymous_to_family=reporter.anonymous_to_family,
        )
        for person in persons:
            bsn = normalise_bsn(person.bsn)
            ReportPerson.objects.create(
                report=report,
                role=person.role,
                name=person.name.strip(),
                date_of_birth=person.date_of_birth,
                bsn=bsn,
                bsn_hash=search_hash(bsn),
                address=person.address.strip(),
                is_victim=person.is_victim,
                is_alleged_perpetrator=person.is_alleged_perpetrator,
            )

        found = earlier_history_count(report)
        _journal(
            report,
            by=by,
            step="receive_report",
            before="",
            text=_("Eerdere meldingen of adviesdossiers gevonden: %(n)s.") % {"n": found},
        )
        if dossier is not None:
            convert_dossier(dossier=dossier, by=by, report_reference=report.reference)
        _log(by, report, Action.SUBMIT_REPORT, audit, create=True)
        _feedback(report, ReporterFeedback.Kind.RECEIVED)
        report_id = report.pk
        transaction.on_commit(lambda: notifications.schedule_reminders(report_id), robust=True)
    status_url = _status_url(report, secret)
    # Also without an address: the receipt then shows "no e-mail address" on the report.
    transaction.on_commit(lambda: notifications.send_receipt(report_id, status_url), robust=True)
    return ReceivedReport(report=report, status_url=status_url)


def _status_url(report: Report, secret: str) -> str:
    path = reverse("report_status_link", kwargs={"reference": report.reference, "token": secret})
    return str(settings.PUBLIC_BASE_URL).rstrip("/") + path


def reissue_status_link(
    *, report: Report, by: User, identified_how: str, audit: AuditContext | None = None
) -> str:
    """A reporter who lost the status link gets a new one, after identifying themselves to an
    employee who may see who reported (ADR 0013, 0032). The old link stops working at once;
    the new one is shown once to the employee and mailed to the known address."""
    if not identified_how.strip():
        raise ReportError(
            errors={
                "identified_how": [
                    _(
                        "Schrijf op hoe de melder zich heeft geïdentificeerd (bijvoorbeeld: "
                        "teruggebeld op het bekende nummer)."
                    )
                ]
            }
        )
    secret = secrets.token_urlsafe(24)
    with transaction.atomic():
        locked = _locked(report)
        if not may(by, Action.VIEW_REPORTER_IDENTITY, locked):
            raise AccessDenied(action=Action.VIEW_REPORTER_IDENTITY, obj=locked)
        locked.status_token_digest = _status_digest(secret)
        _save(locked)
        _journal(
            locked,
            by=by,
            step="reissue_status_link",
            before=locked.state,
            text=identified_how.strip(),
        )
        record_access(
            user=by,
            action=AccessLogAction.CHANGE,
            obj=locked,
            roles=roles_for(by, Action.VIEW_REPORTER_IDENTITY, locked),
            audit=audit,
            reason=str(_("Nieuwe statuslink: %(how)s") % {"how": identified_how.strip()}),
        )
        status_url = _status_url(locked, secret)
        report_id = locked.pk
        transaction.on_commit(
            lambda: notifications.send_status_link(report_id, status_url, new_link=True),
            robust=True,
        )
    return status_url


def break_the_glass_for_report(
    *, user: User, report_id: int, reason: str, audit: AuditContext | None = None
) -> Report:
    """One hour of reading a report of another region, for a stated reason, logged and seen by
    that region's privacy officer — as for advice dossiers (ADR 0008, 0032). Reading only:
    handling the report and the reporter's identity stay with its own region."""
    report = Report.objects.get(pk=report_id)
    break_glass(user=user, action=Action.VIEW_REPORT, obj=report, reason=reason, audit=audit)
    return report


# --- Safety assessment and triage -------------------------------------------------------


def record_safety_assessment(
    *,
    report: Report,
    by: User,
    acute_unsafety: bool,
    structural_unsafety: bool,
    assessment: str,
    immediate_action: str = "",
    audit: AuditContext | None = None,
) -> Report:
    """Is there acute and/or structural unsafety? Acute → the immediate action is recorded."""
    errors = _Errors()
    if not assessment.strip():
        errors.add("assessment", _("Beschrijf de veiligheidsbeoordeling."))
    if acute_unsafety and not immediate_action.strip():
        errors.add(
            "immediate_action",
            _("Bij acute onveiligheid legt u vast welke directe actie is genomen."),
        )
    with transaction.atomic():
        locked = _locked(report)
        enforce(locked, "record_safety_assessment", target=ReportState.SAFETY_ASSESSED, by=by)
        errors.raise_if_any()
        before = locked.state
        locked.acute_unsafety = acute_unsafety
        locked.structural_unsafety = structural_unsafety
        locked.assessment = assessment.strip()
        locked.immediate_action = immediate_action.strip()
        locked.is_acute = locked.is_acute or acute_unsafety
        locked.assessed_at = timezone.now()
        locked.assessed_by = by
        locked.state = ReportState.SAFETY_ASSESSED
        _save(locked)
        _journal(locked, by=by, step="record_safety_assessment", before=before)
        _log(by, locked, Action.HANDLE_REPORT, audit)
    return locked


def record_triage_decision(
    *, report: Report, by: User, outcome: str, rationale: str, audit: AuditContext | None = None
) -> Report:
    """The triage decision; where four eyes apply it waits for the behavioural scientist."""
    errors = _Errors()
    if outcome not in TriageOutcome.values:
        errors.add("outcome", _("Kies een triagebesluit."))
    if not rationale.strip():
        errors.add("rationale", _("Onderbouw het triagebesluit."))
    with transaction.atomic():
        locked = _locked(report)
        target = (
            ReportState.TRIAGE_PROPOSED
            if four_eyes_required(locked.region)
            else ReportState.TRIAGED
        )
        enforce(locked, "record_triage_decision", target=target, by=by)
        errors.raise_if_any()
        before = locked.state
        locked.triage_outcome = outcome
        locked.triage_rationale = rationale.strip()
        locked.triage_by = by
        locked.triage_at = timezone.now()
        locked.triage_approved_by = None
        locked.triage_approved_at = None
        locked.state = target
        _save(locked)
        _journal(
            locked,
            by=by,
            step="record_triage_decision",
            before=before,
            text=str(TriageOutcome(outcome).label),
        )
        _log(by, locked, Action.HANDLE_REPORT, audit)
        if target == ReportState.TRIAGED:
            _feedback(locked, ReporterFeedback.Kind.TRIAGE)
    return locked


def approve_triage(*, report: Report, by: User, audit: AuditContext | None = None) -> Report:
    """Four eyes: a second professional, the behavioural scientist, approves the decision."""
    with transaction.atomic():
        locked = _locked(report)
        enforce(locked, "approve_triage", target=ReportState.TRIAGED, by=by)
        if locked.triage_by_id == by.pk:
            raise WorkflowError(
                _(
                    "Vier ogen: wie het triagebesluit nam, keurt het niet zelf goed. "
                    "Vraag een gedragswetenschapper."
                )
            )
        before = locked.state
        locked.triage_approved_by = by
        locked.triage_approved_at = timezone.now()
        locked.state = ReportState.TRIAGED
        _save(locked)
        _journal(locked, by=by, step="approve_triage", before=before)
        _log(by, locked, Action.APPROVE_TRIAGE, audit)
        _feedback(locked, ReporterFeedback.Kind.TRIAGE)
    return locked


def reject_triage(
    *, report: Report, by: User, reason: str, audit: AuditContext | None = None
) -> Report:
    if not reason.strip():
        raise ReportError(errors={"reason": [_("Geef aan waarom het besluit terug gaat.")]})
    with transaction.atomic():
        locked = _locked(report)
        enforce(locked, "reject_triage", target=ReportState.SAFETY_ASSESSED, by=by)
        before = locked.state
        locked.state = ReportState.SAFETY_ASSESSED
        _save(locked)
        _journal(locked, by=by, step="reject_triage", before=before, text=reason.strip())
        _log(by, locked, Action.APPROVE_TRIAGE, audit)
    return locked


# --- Investigation ----------------------------------------------------------------------


def start_investigation(*, report: Report, by: User, audit: AuditContext | None = None) -> Report:
    with transaction.atomic():
        locked = _locked(report)
        enforce(locked, "start_investigation", target=ReportState.INVESTIGATING, by=by)
        before = locked.state
        locked.investigation_started_at = timezone.now()
        # Handelingsprotocol: an investigation takes at most 10 weeks.
        locked.investigation_due_on = timezone.localdate() + timedelta(
            weeks=settings.REPORT_INVESTIGATION_WEEKS
        )
        locked.owner = by
        locked.state = ReportState.INVESTIGATING
        _save(locked)
        _journal(locked, by=by, step="start_investigation", before=before)
        _log(by, locked, Action.HANDLE_REPORT, audit)
        report_id = locked.pk
        transaction.on_commit(lambda: notifications.schedule_reminders(report_id), robust=True)
    return locked


def record_investigation_conclusion(
    *, report: Report, by: User, conclusion: str, audit: AuditContext | None = None
) -> Report:
    if not conclusion.strip():
        raise ReportError(errors={"conclusion": [_("Beschrijf de conclusie van het onderzoek.")]})
    with transaction.atomic():
        locked = _locked(report)
        enforce(locked, "record_investigation_conclusion", target=ReportState.INVESTIGATED, by=by)
        before = locked.state
        locked.investigation_conclusion = conclusion.strip()
        locked.investigation_concluded_at = timezone.now()
        locked.state = ReportState.INVESTIGATED
        _save(locked)
        _journal(locked, by=by, step="record_investigation_conclusion", before=before)
        _log(by, locked, Action.HANDLE_REPORT, audit)
        # Wmo 2015 art. 4.1.1: the reporter hears back after an investigation too.
        _feedback(locked, ReporterFeedback.Kind.TRIAGE)
    return locked


# --- Safety conditions, transfer, monitoring --------------------------------------------


def set_safety_conditions(
    *,
    report: Report,
    by: User,
    conditions: Sequence[ConditionDetails],
    audit: AuditContext | None = None,
) -> Report:
    """Conditions say what must be achieved, as observable behaviour; who; by when."""
    errors = _Errors()
    if not conditions:
        errors.add("description", _("Leg ten minste één veiligheidsvoorwaarde vast."))
    for condition in conditions:
        if not condition.description.strip():
            errors.add("description", _("Beschrijf wat bereikt moet worden."))
        if not condition.responsible.strip():
            errors.add("responsible", _("Vul in wie verantwoordelijk is."))
        if condition.due_on < timezone.localdate():
            errors.add("due_on", _("De datum ligt in het verleden."))
    with transaction.atomic():
        locked = _locked(report)
        enforce(locked, "set_safety_conditions", target=locked.state, by=by)
        errors.raise_if_any()
        for condition in conditions:
            SafetyCondition.objects.create(
                report=locked,
                description=condition.description.strip(),
                responsible=condition.responsible.strip(),
                due_on=condition.due_on,
                set_by=by,
            )
        _journal(
            locked,
            by=by,
            step="set_safety_conditions",
            before=locked.state,
            text=_("%(n)s veiligheidsvoorwaarde(n) vastgelegd.") % {"n": len(conditions)},
        )
        _log(by, locked, Action.HANDLE_REPORT, audit)
    return locked


def transfer_report(
    *,
    report: Report,
    to_team: PartnerOrganisation,
    by: User,
    summary: str,
    audit: AuditContext | None = None,
) -> Report:
    """Hand the case to a local team or SAVE team of the region; it waits for acceptance."""
    errors = _Errors()
    if to_team.kind not in TRANSFER_KINDS:
        errors.add("to_team", _("Een melding gaat alleen naar een lokaal team of SAVE-team."))
    if not summary.strip():
        errors.add("summary", _("Schrijf op wat het ontvangende team moet weten."))
    with transaction.atomic():
        locked = _locked(report)
        enforce(locked, "transfer_report", target=ReportState.TRANSFER_PENDING, by=by)
        if to_team.region_id != locked.region_id:
            errors.add("to_team", _("Kies een team uit de regio van de melding."))
        errors.raise_if_any()
        before = locked.state
        locked.transferred_to = to_team
        locked.transfer_summary = summary.strip()
        locked.transferred_at = timezone.now()
        locked.transfer_accepted_at = None
        locked.transfer_accepted_by = None
        locked.transfer_accepted_via = ""
        locked.state = ReportState.TRANSFER_PENDING
        _save(locked)
        _journal(locked, by=by, step="transfer_report", before=before, text=to_team.name)
        _log(by, locked, Action.HANDLE_REPORT, audit)
    return locked


def withdraw_transfer(
    *, report: Report, by: User, reason: str, audit: AuditContext | None = None
) -> Report:
    if not reason.strip():
        raise ReportError(
            errors={"reason": [_("Geef aan waarom de overdracht wordt ingetrokken.")]}
        )
    with transaction.atomic():
        locked = _locked(report)
        target = (
            ReportState.INVESTIGATED if locked.investigation_concluded_at else ReportState.TRIAGED
        )
        enforce(locked, "withdraw_transfer", target=target, by=by)
        before = locked.state
        locked.transferred_to = None
        locked.transferred_at = None
        locked.state = target
        _save(locked)
        _journal(locked, by=by, step="withdraw_transfer", before=before, text=reason.strip())
        _log(by, locked, Action.HANDLE_REPORT, audit)
    return locked


def _add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for candidate in (31, 30, 29, 28):
        try:
            return date(year, month, min(day.day, candidate))
        except ValueError:
            continue
    raise ValueError(day)  # pragma: no cover


def accept_transfer(
    *,
    report: Report,
    by: User | None = None,
    organisation: PartnerOrganisation | None = None,
    via: str = "",
    audit: AuditContext | None = None,
) -> Report:
    """The receiving team accepts: from now on it has the lead. With safety conditions,
    Veilig Thuis monitors them (DOMAIN.md: default 3, 6 and 12 months after transfer).

    A team member accepts as `by`; the team's own system (API token) as `organisation`, `via`.
    """
    with transaction.atomic():
        locked = _locked(report)
        has_conditions = locked.conditions.exists()
        target = ReportState.MONITORING if has_conditions else ReportState.TRANSFERRED
        if by is not None:
            enforce(locked, "accept_transfer", target=target, by=by)
            accepting_organisation_id = by.organisation_id
        else:
            enforce_state(locked, "accept_transfer", target=target)
            accepting_organisation_id = organisation.pk if organisation is not None else None
        if not is_transferred_to(locked, organisation_id=accepting_organisation_id):
            raise AccessDenied(
                _("Alleen het team waaraan de melding is overgedragen, kan haar accepteren."),
                action=Action.ACCEPT_TRANSFER,
                obj=locked,
            )
        before = locked.state
        locked.transfer_accepted_at = timezone.now()
        locked.transfer_accepted_by = by
        locked.transfer_accepted_via = "" if by is not None else via[:150]
        locked.state = target
        _save(locked)
        if has_conditions:
            locked.monitoring_moments.filter(recorded_at__isnull=True).delete()
            start = timezone.localdate()
            for months in settings.REPORT_MONITORING_MONTHS:
                MonitoringMoment.objects.create(
                    report=locked, planned_on=_add_months(start, months)
                )
        _journal(
            locked,
            by=by,
            step="accept_transfer",
            before=before,
            text=locked.transferred_to.name,  # type: ignore[union-attr]  # transferred in this state (workflow)
        )
        record_access(
            user=by,
            username=via,
            action=AccessLogAction.CHANGE,
            obj=locked,
            roles=roles_for(by, Action.ACCEPT_TRANSFER, locked) if by is not None else (),
            audit=audit,
        )
        _feedback(locked, ReporterFeedback.Kind.TRANSFER)
    return locked


def plan_monitoring(
    *, report: Report, by: User, dates: Sequence[date], audit: AuditContext | None = None
) -> Report:
    """The employee sets this case's own monitoring moments (replacing those still to come)."""
    if not dates:
        raise ReportError(errors={"dates": [_("Plan ten minste één monitoringmoment.")]})
    if any(day < timezone.localdate() for day in dates):
        raise ReportError(errors={"dates": [_("Een monitoringmoment ligt niet in het verleden.")]})
    with transaction.atomic():
        locked = _locked(report)
        enforce(locked, "plan_monitoring", target=locked.state, by=by)
        locked.monitoring_moments.filter(recorded_at__isnull=True).delete()
        for day in sorted(set(dates)):
            MonitoringMoment.objects.create(report=locked, planned_on=day)
        _journal(locked, by=by, step="plan_monitoring", before=locked.state)
        _log(by, locked, Action.HANDLE_REPORT, audit)
    return locked


def record_monitoring(
    *,
    report: Report,
    moment_id: int,
    by: User,
    conditions_met: bool,
    notes: str,
    audit: AuditContext | None = None,
) -> Report:
    """At a monitoring moment: are the conditions met? Not met → back to triage."""
    if not notes.strip():
        raise ReportError(
            errors={"notes": [_("Beschrijf wat u met gezin en hulpverleners besprak.")]}
        )
    with transaction.atomic():
        locked = _locked(report)
        target = ReportState.MONITORING if conditions_met else ReportState.SAFETY_ASSESSED
        enforce(locked, "record_monitoring", target=target, by=by)
        current = (
            MonitoringMoment.objects.select_for_update()
            .filter(pk=moment_id, report=locked, recorded_at__isnull=True)
            .first()
        )
        if current is None:
            raise ReportError(
                _("Dit monitoringmoment is al vastgelegd of hoort niet bij deze melding.")
            )
        current.recorded_at = timezone.now()
        current.recorded_by = by
        current.conditions_met = conditions_met
        current.notes = notes.strip()
        current.save()
        before = locked.state
        if not conditions_met:
            # Back to triage: a new decision (with four eyes) is needed; the lead returns
            # to Veilig Thuis until a team accepts a new transfer.
            locked.monitoring_moments.filter(recorded_at__isnull=True).delete()
            locked.triage_outcome = ""
            locked.triage_approved_by = None
            locked.triage_approved_at = None
            locked.transfer_accepted_at = None
            locked.transfer_accepted_by = None
            locked.transfer_accepted_via = ""
            locked.state = target
            _save(locked)
        _journal(
            locked,
            by=by,
            step="record_monitoring",
            before=before,
            text=str(_("Voorwaarden nageleefd."))
            if conditions_met
            else _("Voorwaarden niet nageleefd: terug naar triage."),
        )
        _log(by, locked, Action.HANDLE_REPORT, audit)
    return locked


# --- Closure and retention --------------------------------------------------------------


def retention_end(closed: date) -> date:
    years = settings.REPORT_RETENTION_YEARS
    try:
        return closed.replace(year=closed.year + years)
    except ValueError:  # 29 February
        return closed.replace(year=closed.year + years, day=28)


def close_report(
    *, report: Report, by: User, reason: str, audit: AuditContext | None = None
) -> Report:
    if not reason.strip():
        raise ReportError(errors={"reason": [_("Geef aan waarom de melding wordt afgesloten.")]})
    with transaction.atomic():
        locked = _locked(report)
        enforce(locked, "close_report", target=ReportState.CLOSED, by=by)
        before = locked.state
        locked.closed_at = timezone.now()
        locked.closure_reason = reason.strip()
        # DOMAIN.md: report files are kept 20 years (configurable), longer under a legal hold.
        locked.retention_until = retention_end(timezone.localdate())
        locked.state = ReportState.CLOSED
        _save(locked)
        _journal(locked, by=by, step="close_report", before=before, text=reason.strip())
        _log(by, locked, Action.HANDLE_REPORT, audit)
        _feedback(locked, ReporterFeedback.Kind.CLOSED)
    return locked


def set_legal_hold(
    *, report: Report, by: User, legal_hold: bool, reason: str, audit: AuditContext | None = None
) -> Report:
    if not reason.strip():
        raise ReportError(errors={"reason": [_("Geef de reden (bijvoorbeeld de maatregel).")]})
    with transaction.atomic():
        locked = _locked(report)
        if not may(by, Action.HANDLE_REPORT, locked):
            raise AccessDenied(action=Action.HANDLE_REPORT, obj=locked)
        locked.legal_hold = legal_hold
        _save(locked)
        _journal(locked, by=by, step="set_legal_hold", before=locked.state, text=reason.strip())
        _log(by, locked, Action.HANDLE_REPORT, audit)
    return locked


def _open_for_work(report: Report, by: User) -> Report:
    locked = _locked(report)
    if not may(by, Action.HANDLE_REPORT, locked):
        raise AccessDenied(action=Action.HANDLE_REPORT, obj=locked)
    if not locked.is_open:
        raise WorkflowError(_("Deze melding is afgesloten; er kan niets meer bij."))
    return locked


def add_journal_note(
    *, report: Report, by: User, text: str, audit: AuditContext | None = None
) -> Report:
    """A note in the journal: a conversation with the family, a call with a helper."""
    if not text.strip():
        raise ReportError(errors={"text": [_("Schrijf op wat u wilt vastleggen.")]})
    with transaction.atomic():
        locked = _open_for_work(report, by)
        _journal(locked, by=by, step="note", before=locked.state, text=text.strip())
        _log(by, locked, Action.HANDLE_REPORT, audit)
    return locked


def add_report_person(
    *, report: Report, by: User, person: PersonDetails, audit: AuditContext | None = None
) -> ReportPerson:
    """Someone else turns out to be involved (a sibling, a new partner)."""
    errors = _Errors()
    _check_person(person, errors, 0)
    if errors.by_field:
        raise ReportError(
            errors={k.removeprefix("persons-0-"): v for k, v in errors.by_field.items()}
        )
    with transaction.atomic():
        locked = _open_for_work(report, by)
        bsn = normalise_bsn(person.bsn)
        created = ReportPerson.objects.create(
            report=locked,
            role=person.role,
            name=person.name.strip(),
            date_of_birth=person.date_of_birth,
            bsn=bsn,
            bsn_hash=search_hash(bsn),
            address=person.address.strip(),
            is_victim=person.is_victim,
            is_alleged_perpetrator=person.is_alleged_perpetrator,
        )
        _journal(
            locked, by=by, step="add_person", before=locked.state, text=created.get_role_display()
        )
        _log(by, locked, Action.HANDLE_REPORT, audit)
    return created


def assign_report(
    *, report: Report, by: User, owner: User, audit: AuditContext | None = None
) -> Report:
    """Give the report to a colleague who handles reports in its region."""
    with transaction.atomic():
        locked = _locked(report)
        if not may(by, Action.HANDLE_REPORT, locked):
            raise AccessDenied(action=Action.HANDLE_REPORT, obj=locked)
        if not locked.is_open:
            raise WorkflowError(_("Een afgesloten melding krijgt geen nieuwe behandelaar."))
        if not may(owner, Action.HANDLE_REPORT, locked):
            raise ReportError(
                errors={"owner": [_("Deze collega behandelt geen meldingen in deze regio.")]}
            )
        if locked.owner_id == owner.pk:
            return locked
        locked.owner = owner
        _save(locked)
        _journal(locked, by=by, step="assign_report", before=locked.state, text=owner.display_name)
        _log(by, locked, Action.HANDLE_REPORT, audit)
    return locked


def delete_expired_reports(*, today: date | None = None) -> int:
    """Destroy closed reports past their retention end, unless under a legal hold. The access
    log records each deletion by id only: nothing of the deleted data stays behind."""
    today = today or timezone.localdate()
    deleted = 0
    expired = Report.objects.filter(
        state=ReportState.CLOSED, retention_until__lt=today, legal_hold=False
    ).values_list("pk", flat=True)
    for report_id in list(expired):
        with transaction.atomic():
            report = (
                Report.objects.select_for_update()
                .filter(pk=report_id, legal_hold=False, retention_until__lt=today)
                .first()
            )
            if report is None:
                continue
            report.delete()
            log_destroyed("reports.report", report_id, reason=_("Bewaartermijn verstreken"))
            deleted += 1
    return deleted


# --- Rights of the people involved: correction and own statement (ADR 0032) ----------------

# What a person may have corrected: the report's texts about the family and their own details.
CORRECTABLE_REPORT_FIELDS = (
    "concerns",
    "signals",
    "assessment",
    "triage_rationale",
    "investigation_conclusion",
    "transfer_summary",
)
CORRECTABLE_PERSON_FIELDS = ("name", "address")


def correct_file(
    *,
    report: Report,
    by: User,
    field_name: str,
    new_text: str,
    person: ReportPerson | None = None,
    grounds: str,
    audit: AuditContext | None = None,
) -> Report:
    """Correct a text of the file on a person's request. The old text stays in the report's
    journal (the file's history); every later copy and transfer document shows the new one.
    The caller (rights.services) checked that `by` handles requests of the people involved."""
    allowed = CORRECTABLE_PERSON_FIELDS if person is not None else CORRECTABLE_REPORT_FIELDS
    if field_name not in allowed:
        raise ReportError(
            errors={"field_name": [_("Dit deel van het dossier kan niet worden gecorrigeerd.")]}
        )
    if not new_text.strip():
        raise ReportError(errors={"new_text": [_("Schrijf de gecorrigeerde tekst.")]})
    with transaction.atomic():
        locked = _locked(report)
        target: Any = locked
        if person is not None:
            target = ReportPerson.objects.select_for_update().get(pk=person.pk, report=locked)
        label = str(target._meta.get_field(field_name).verbose_name)
        old = getattr(target, field_name) or ""
        setattr(target, field_name, new_text.strip())
        if person is not None:
            target.full_clean()
            target.save(update_fields=[field_name])
        else:
            _save(locked)
        _journal(
            locked,
            by=by,
            step="correct_file",
            before=locked.state,
            text=_("%(field)s gecorrigeerd (%(grounds)s). Oude tekst: %(old)s")
            % {"field": label, "grounds": grounds.strip(), "old": old},
        )
        record_access(
            user=by,
            action=AccessLogAction.CHANGE,
            obj=target,
            audit=audit,
            reason="correctie op verzoek van betrokkene",
        )
    return locked


def add_own_statement(
    *, report: Report, person: ReportPerson, by: User, text: str, audit: AuditContext | None = None
) -> OwnStatement:
    """Add a person's own statement to the file; it goes with every later copy and transfer."""
    if not text.strip():
        raise ReportError(errors={"text": [_("Schrijf de verklaring van de betrokkene op.")]})
    with transaction.atomic():
        locked = _locked(report)
        if person.report_id != locked.pk:
            raise ReportError(errors={"person": [_("Deze persoon hoort niet bij deze melding.")]})
        statement = OwnStatement.objects.create(
            report=locked, person=person, text=text.strip(), added_by=by
        )
        _journal(
            locked, by=by, step="own_statement", before=locked.state, text=person.get_role_display()
        )
        record_access(
            user=by,
            action=AccessLogAction.CREATE,
            obj=statement,
            audit=audit,
            reason="eigen verklaring van betrokkene",
        )
    return statement


def destroy_report_on_request(
    *, report: Report, by: User, audit: AuditContext | None = None
) -> int:
    """Destroy a report file on a person's request (the decision was taken in rights). Logged by
    id only, as the retention does: nothing of the destroyed data stays behind."""
    with transaction.atomic():
        locked = _locked(report)
        if locked.legal_hold:
            raise ReportError(_("Deze melding staat op niet vernietigen."))
        report_id = locked.pk
        locked.delete()
        log_destroyed(
            "reports.report",
            report_id,
            by=by,
            audit=audit,
            reason="vernietigd op verzoek van betrokkene",
        )
    return report_id
