"""The steps of a report (melding), one function each, in the order of the protocol.

Each step locks the report, asks `workflow.check_step` whether the step is allowed in the
report's state and the policy whether this user may take it, validates, writes, adds a
journal line and an access-log entry — all in one transaction — and schedules what follows
(feedback to the reporter, reminders) on commit. A refused step raises `ReportError` (or
`workflow.IllegalStep`, `AccessDenied`) and leaves the report as it was.
"""

from __future__ import annotations

import calendar
import hashlib
import logging
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from vangnet.accounts.models import Role, User
from vangnet.accounts.policy import AccessDenied, Action, may, require, roles_for
from vangnet.audit.models import AccessLogAction
from vangnet.audit.services import record_access
from vangnet.contacts.models import AdviceDossier, Channel, Sector, ViolenceForm
from vangnet.core.crypto import search_hash
from vangnet.core.workdays import add_working_days
from vangnet.regions.models import PartnerOrganisation, Region

from .models import (
    Feedback,
    JournalEntry,
    MonitoringMoment,
    PersonRole,
    Report,
    Reporter,
    ReportPerson,
    SafetyCondition,
    Transfer,
    TriageDecision,
)
from .workflow import OUTCOME_STATE, ReportState, Step, TriageOutcome, check_step

logger = logging.getLogger(__name__)

# Handelingsprotocol Veilig Thuis (2019): safety assessment including triage within 5 working
# days of receipt; acute → action within 24 hours; investigation at most 10 weeks.
TRIAGE_WORKING_DAYS = 5
ACUTE_HOURS = 24
INVESTIGATION_WEEKS = 10
TRANSFER_KINDS = (PartnerOrganisation.Kind.LOCAL_TEAM, PartnerOrganisation.Kind.SAVE_TEAM)


class ReportError(Exception):
    """A refused step; the message says what to do. `errors` maps form fields to messages."""

    def __init__(self, message: str = "", *, errors: dict[str, list[str]] | None = None):
        self.errors = errors or {}
        if not message:
            message = " ".join(m for messages in self.errors.values() for m in messages)
        super().__init__(message)


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
    # The reporter's status page with its secret; only its hash is stored, so this is the
    # one moment it exists: give it to the reporter (read aloud, or in the receipt e-mail).
    status_url: str


# --- validation --------------------------------------------------------------------------


def is_valid_bsn(value: str) -> bool:
    """The 11-check (elfproef) of a citizen service number: 9 digits, weighted 9..2 and -1."""
    digits = value.strip().replace(".", "").replace(" ", "")
    if len(digits) == 8:
        digits = "0" + digits
    if len(digits) != 9 or not digits.isdigit() or digits == "000000000":
        return False
    total = sum(int(d) * w for d, w in zip(digits[:8], range(9, 1, -1), strict=True))
    total -= int(digits[8])
    return total % 11 == 0


def normal_bsn(value: str) -> str:
    digits = value.strip().replace(".", "").replace(" ", "")
    return digits.zfill(9) if digits else ""


class _Errors:
    def __init__(self) -> None:
        self.by_field: dict[str, list[str]] = {}

    def add(self, name: str, message: str) -> None:
        self.by_field.setdefault(name, []).append(message)

    def raise_if_any(self) -> None:
        if self.by_field:
            raise ReportError(errors=self.by_field)


def _check_intake(
    reporter: ReporterDetails,
    persons: Sequence[PersonDetails],
    forms_of_violence: Sequence[str],
    concerns: str,
    channel: str,
) -> None:
    errors = _Errors()
    # Handelingsprotocol: a report requires the reporter's name and contact details.
    if not reporter.name.strip():
        errors.add("reporter_name", _("Een melding vraagt de naam van de melder."))
    if not (reporter.phone.strip() or reporter.email.strip()):
        errors.add(
            "reporter_phone",
            _("Vul een telefoonnummer of e-mailadres van de melder in, voor de terugkoppeling."),
        )
    if reporter.email.strip() and "@" not in reporter.email:
        errors.add("reporter_email", _("Vul een geldig e-mailadres in."))
    if reporter.is_professional and not reporter.sector:
        errors.add("reporter_sector", _("Kies de sector van de professional."))
    if reporter.sector and reporter.sector not in Sector.values:
        errors.add("reporter_sector", _("Kies een sector uit de lijst."))
    if reporter.is_professional and not reporter.organisation.strip():
        errors.add("reporter_organisation", _("Vul de organisatie van de professional in."))
    if channel not in Channel.values or channel == Channel.CHAT:
        errors.add(
            "channel",
            _(
                "Een melding komt binnen per telefoon, schriftelijk of persoonlijk; "
                "niet via de chat."
            ),
        )
    if not persons:
        errors.add("persons", _("Noem minstens één betrokkene (bijvoorbeeld het kind)."))
    for index, person in enumerate(persons, start=1):
        if not person.name.strip():
            errors.add("persons", _("Betrokkene %(n)s: vul een naam in.") % {"n": index})
        if person.role not in PersonRole.values:
            errors.add("persons", _("Betrokkene %(n)s: kies een rol.") % {"n": index})
        if person.bsn.strip() and not is_valid_bsn(person.bsn):
            errors.add(
                "persons",
                _("Betrokkene %(n)s: dit BSN klopt niet (de elfproef faalt).") % {"n": index},
            )
        if person.date_of_birth and person.date_of_birth > timezone.localdate():
            errors.add(
                "persons",
                _("Betrokkene %(n)s: de geboortedatum ligt in de toekomst.") % {"n": index},
            )
    if not forms_of_violence:
        errors.add("forms_of_violence", _("Kies minstens één vorm van geweld."))
    elif any(code not in ViolenceForm.values for code in forms_of_violence):
        errors.add("forms_of_violence", _("Kies vormen van geweld uit de lijst."))
    if not concerns.strip():
        errors.add("concerns", _("Beschrijf de zorgen en de signalen."))
    errors.raise_if_any()


# --- helpers -----------------------------------------------------------------------------


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _journal(report: Report, by: User | None, step: str, text: str) -> None:
    JournalEntry.objects.create(report=report, by=by, step=step, text=text)


def _log(by: User, action: AccessLogAction, report: Report, request: Any, granted: Action) -> None:
    record_access(
        user=by, action=action, obj=report, roles=roles_for(by, granted, report), request=request
    )


def _step(report: Report, by: User, step: str, target: str) -> tuple[Report, Action]:
    """Lock the report and check the step against the workflow table and the policy."""
    locked = Report.objects.select_for_update().get(pk=report.pk)
    transition = check_step(locked.state, step, target)
    if not may(by, transition.action, locked):
        raise AccessDenied(action=transition.action, obj=locked)
    return locked, transition.action


def _end_of_day(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(23, 59)))


def add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _persons_rows(report: Report, persons: Sequence[PersonDetails]) -> list[ReportPerson]:
    rows = []
    for person in persons:
        bsn = normal_bsn(person.bsn)
        name = person.name.strip()
        dob = person.date_of_birth.isoformat() if person.date_of_birth else ""
        rows.append(
            ReportPerson(
                report=report,
                role=person.role,
                is_victim=person.is_victim,
                is_alleged_perpetrator=person.is_alleged_perpetrator,
                name=name,
                date_of_birth=person.date_of_birth,
                bsn=bsn,
                address=person.address.strip(),
                bsn_hash=search_hash("bsn", bsn),
                name_dob_hash=search_hash("name_dob", f"{name}|{dob}") if dob else "",
                address_hash=search_hash("address", person.address),
            )
        )
    return rows


# --- feedback to the reporter -------------------------------------------------------------


def _feedback(report: Report, moment: str, text: str, status_url: str = "") -> None:
    """Record what the reporter is told and e-mail it (after commit) when we have an address.

    Wmo 2015 art. 4.1.1 and DOMAIN.md: whether a follow-up started and to whom the case went,
    never findings about the family.
    """
    reporter = Reporter.objects.filter(report=report).first()
    email = reporter.email if reporter else ""
    feedback = Feedback.objects.create(report=report, moment=moment, text=text, emailed=bool(email))
    if not email:
        return
    body = text
    if status_url:
        body += "\n\n" + _(
            "Hoe het verder gaat leest u op uw statuspagina: %(url)s (met kenmerk %(ref)s)."
        ) % {"url": status_url, "ref": report.reference}

    def send() -> None:
        try:
            send_mail(
                _("Uw melding bij Veilig Thuis (%(ref)s)") % {"ref": report.reference},
                body,
                None,
                [email],
            )
        except OSError:
            # The feedback stays on the status page; the failure is logged without the address.
            logger.warning("feedback e-mail for report %s could not be sent", report.pk)
            Feedback.objects.filter(pk=feedback.pk).update(emailed=False)

    transaction.on_commit(send)


def _region_name(report: Report) -> str:
    return report.region.name


# --- receipt -----------------------------------------------------------------------------


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
    is_acute: bool = False,
    source_dossier: AdviceDossier | None = None,
    request: Any = None,
) -> ReceivedReport:
    """Receipt: the reporter's details, the persons and the concerns; deadlines start."""
    require(by, Action.RECEIVE_REPORT, region)
    _check_intake(reporter, persons, forms_of_violence, concerns, channel)
    token = secrets.token_urlsafe(24)
    with transaction.atomic():
        if source_dossier is not None:
            from vangnet.contacts.services import ContactError, refuse_chat_only_report

            dossier = AdviceDossier.objects.select_for_update().get(pk=source_dossier.pk)
            if dossier.region_id != region.pk:
                raise ReportError(_("Het adviesdossier hoort bij een andere regio."))
            if not dossier.is_open:
                raise ReportError(_("Het adviesdossier is gesloten of al omgezet in een melding."))
            try:
                refuse_chat_only_report(dossier)
            except ContactError as error:
                raise ReportError(str(error)) from error
        now = timezone.now()
        triage_due = add_working_days(timezone.localdate(now), TRIAGE_WORKING_DAYS)
        report = Report(
            region=region,
            channel=channel,
            owner=by,
            received_at=now,
            received_by=by,
            is_acute=is_acute,
            forms_of_violence=sorted(set(forms_of_violence)),
            concerns=concerns.strip(),
            actions_taken=actions_taken.strip(),
            source_dossier=source_dossier,
            triage_due=triage_due,
            safety_assessment_due=(
                now + timedelta(hours=ACUTE_HOURS) if is_acute else _end_of_day(triage_due)
            ),
            status_token_hash=token_hash(token),
        )
        try:
            report.full_clean()
        except ValidationError as error:
            raise ReportError(errors=error.message_dict) from error
        report.save()
        Reporter.objects.create(
            report=report,
            is_professional=reporter.is_professional,
            sector=reporter.sector,
            name=reporter.name.strip(),
            organisation=reporter.organisation.strip(),
            phone=reporter.phone.strip(),
            email=reporter.email.strip(),
            anonymous_to_family=reporter.anonymous_to_family,
        )
        ReportPerson.objects.bulk_create(_persons_rows(report, persons))
        _journal(
            report,
            by,
            "received",
            _("Melding ontvangen (%(channel)s).") % {"channel": Channel(channel).label}
            + (" " + _("Acuut: veiligheidsbeoordeling binnen 24 uur.") if is_acute else ""),
        )
        if source_dossier is not None:
            from vangnet.contacts.services import convert_dossier

            convert_dossier(dossier=source_dossier, by=by, report_reference=report.reference)
        _log(by, AccessLogAction.CREATE, report, request, Action.RECEIVE_REPORT)
        status_url = reverse("report_status:status", args=[token])
        _feedback(
            report,
            Feedback.Moment.RECEIVED,
            _(
                "Veilig Thuis %(region)s heeft uw melding ontvangen op %(date)s. Binnen "
                "%(days)s werkdagen beoordelen wij de veiligheid en besluiten wij wie de melding "
                "oppakt. Dat hoort u van ons."
            )
            % {
                "region": _region_name(report),
                "date": timezone.localtime(now).strftime("%d-%m-%Y"),
                "days": TRIAGE_WORKING_DAYS,
            },
            status_url=_absolute(status_url),
        )
        _schedule_reminder(report)
    return ReceivedReport(report=report, status_url=status_url)


def _absolute(path: str) -> str:
    return settings.VANGNET_BASE_URL.rstrip("/") + path


def _schedule_reminder(report: Report) -> None:
    """A reminder to the owner and the team leads before the current phase's deadline."""
    from .tasks import remind_deadline

    deadline = report.current_deadline()
    if deadline is None:
        return
    if isinstance(deadline, datetime):
        run_after = deadline - timedelta(hours=4 if report.is_acute else 24)
    else:
        run_after = _end_of_day(deadline) - timedelta(days=1)
    report_id, state = report.pk, report.state
    transaction.on_commit(
        lambda: remind_deadline.using(run_after=max(run_after, timezone.now())).enqueue(
            report_id, state
        )
    )


# --- safety assessment and triage ---------------------------------------------------------


def record_safety_assessment(
    *,
    report: Report,
    by: User,
    acute: bool,
    structural: bool,
    immediate_action: str = "",
    request: Any = None,
) -> Report:
    locked, action = _step(report, by, Step.RECORD_SAFETY_ASSESSMENT, ReportState.TRIAGE)
    if acute and not immediate_action.strip():
        raise ReportError(
            errors={
                "immediate_action": [
                    _("Bij acute onveiligheid: leg vast welke directe actie is genomen.")
                ]
            }
        )
    with transaction.atomic():
        locked.acute_unsafety = acute
        locked.structural_unsafety = structural
        locked.immediate_action = immediate_action.strip()
        locked.safety_assessed_at = timezone.now()
        locked.safety_assessed_by = by
        locked.state = ReportState.TRIAGE
        locked.save()
        verdict = []
        if acute:
            verdict.append(_("acute onveiligheid"))
        if structural:
            verdict.append(_("structurele onveiligheid"))
        _journal(
            locked,
            by,
            Step.RECORD_SAFETY_ASSESSMENT,
            _("Veiligheidsbeoordeling: %(verdict)s.")
            % {"verdict": ", ".join(verdict) or _("geen acute of structurele onveiligheid")}
            + (f" {_('Directe actie')}: {immediate_action.strip()}" if acute else ""),
        )
        _log(by, AccessLogAction.CHANGE, locked, request, action)
    return locked


def propose_triage(
    *, report: Report, by: User, outcome: str, reasoning: str, request: Any = None
) -> TriageDecision:
    locked, action = _step(report, by, Step.PROPOSE_TRIAGE, ReportState.TRIAGE_APPROVAL)
    errors = _Errors()
    if outcome not in TriageOutcome.values:
        errors.add("outcome", _("Kies een uitkomst van de triage."))
    if not reasoning.strip():
        errors.add("reasoning", _("Onderbouw het triagebesluit."))
    if (outcome == TriageOutcome.NO_FURTHER_ACTION and locked.acute_unsafety) or (
        outcome == TriageOutcome.NO_FURTHER_ACTION and locked.structural_unsafety
    ):
        # The meldnorm: acute or structural unsafety always gets a follow-up.
        errors.add(
            "outcome",
            _("Bij acute of structurele onveiligheid kan de melding niet zonder vervolg."),
        )
    errors.raise_if_any()
    with transaction.atomic():
        decision = TriageDecision.objects.create(
            report=locked, outcome=outcome, reasoning=reasoning.strip(), proposed_by=by
        )
        locked.state = ReportState.TRIAGE_APPROVAL
        locked.save(update_fields=["state"])
        _journal(
            locked,
            by,
            Step.PROPOSE_TRIAGE,
            _("Triagebesluit voorgesteld: %(outcome)s. %(reasoning)s")
            % {"outcome": TriageOutcome(outcome).label, "reasoning": reasoning.strip()},
        )
        _log(by, AccessLogAction.CHANGE, locked, request, action)
    return decision


def pending_decision(report: Report) -> TriageDecision | None:
    return report.triage_decisions.filter(reviewed_at__isnull=True).order_by("-pk").first()


def approve_triage(*, report: Report, by: User, note: str = "", request: Any = None) -> Report:
    """Four eyes: a second professional (the behavioural scientist) approves the decision."""
    decision = pending_decision(report)
    if decision is None:
        raise ReportError(_("Er is geen triagebesluit om goed te keuren."))
    target = OUTCOME_STATE[decision.outcome]
    locked, action = _step(report, by, Step.APPROVE_TRIAGE, target)
    if decision.proposed_by_id == by.pk:
        raise ReportError(
            _("Vier ogen: een ander dan wie het besluit voorstelde, moet het goedkeuren.")
        )
    with transaction.atomic():
        now = timezone.now()
        decision.reviewed_by, decision.reviewed_at = by, now
        decision.approved, decision.review_note = True, note.strip()
        decision.save()
        locked.state = target
        locked.monitors_conditions = decision.outcome == TriageOutcome.CONDITIONS
        if target == ReportState.INVESTIGATION:
            locked.investigation_due = timezone.localdate(now) + timedelta(
                weeks=INVESTIGATION_WEEKS
            )
        if target == ReportState.CLOSED:
            _close(locked, by, note or decision.reasoning)
        locked.save()
        _journal(
            locked,
            by,
            Step.APPROVE_TRIAGE,
            _("Triagebesluit goedgekeurd: %(outcome)s.")
            % {"outcome": decision.get_outcome_display()}
            + (f" {note.strip()}" if note.strip() else ""),
        )
        _log(by, AccessLogAction.CHANGE, locked, request, action)
        _feedback(locked, Feedback.Moment.DECISION, _decision_text(locked, decision.outcome))
        _schedule_reminder(locked)
    return locked


def _decision_text(report: Report, outcome: str) -> str:
    region = _region_name(report)
    texts = {
        TriageOutcome.INVESTIGATION: _(
            "Veilig Thuis %(region)s heeft de veiligheid beoordeeld en pakt de melding zelf op: "
            "Veilig Thuis onderzoekt de situatie."
        ),
        TriageOutcome.ACUTE_INTERVENTION: _(
            "Veilig Thuis %(region)s heeft de veiligheid beoordeeld, direct actie ondernomen en "
            "pakt de melding zelf op."
        ),
        TriageOutcome.TRANSFER: _(
            "Veilig Thuis %(region)s heeft de veiligheid beoordeeld en draagt de melding over aan "
            "een team voor hulp dichtbij. U hoort aan wie."
        ),
        TriageOutcome.CONDITIONS: _(
            "Veilig Thuis %(region)s heeft de veiligheid beoordeeld, stelt voorwaarden voor de "
            "veiligheid en draagt de hulp over aan een team dichtbij. U hoort aan wie."
        ),
        TriageOutcome.NO_FURTHER_ACTION: _(
            "Veilig Thuis %(region)s heeft de veiligheid beoordeeld en start geen vervolg. De "
            "melding is afgesloten."
        ),
    }
    return texts[TriageOutcome(outcome)] % {"region": region}


def reject_triage(*, report: Report, by: User, note: str, request: Any = None) -> Report:
    decision = pending_decision(report)
    if decision is None:
        raise ReportError(_("Er is geen triagebesluit om terug te sturen."))
    locked, action = _step(report, by, Step.REJECT_TRIAGE, ReportState.TRIAGE)
    if decision.proposed_by_id == by.pk:
        raise ReportError(_("Vier ogen: een ander dan wie het besluit voorstelde, beoordeelt het."))
    if not note.strip():
        raise ReportError(errors={"note": [_("Zeg waarom het besluit terug gaat.")]})
    with transaction.atomic():
        decision.reviewed_by, decision.reviewed_at = by, timezone.now()
        decision.approved, decision.review_note = False, note.strip()
        decision.save()
        locked.state = ReportState.TRIAGE
        locked.save(update_fields=["state"])
        _journal(
            locked,
            by,
            Step.REJECT_TRIAGE,
            _("Triagebesluit teruggestuurd: %(note)s") % {"note": note.strip()},
        )
        _log(by, AccessLogAction.CHANGE, locked, request, action)
    return locked


# --- investigation and intervention --------------------------------------------------------


class FollowUp:
    TRANSFER = "transfer"
    CONDITIONS = "conditions"
    CLOSE = "close"
    CHOICES = (TRANSFER, CONDITIONS, CLOSE)


def _follow(
    *, report: Report, by: User, step: str, follow_up: str, text: str, request: Any
) -> Report:
    if follow_up not in FollowUp.CHOICES:
        raise ReportError(errors={"follow_up": [_("Kies hoe het verder gaat.")]})
    target = ReportState.CLOSED if follow_up == FollowUp.CLOSE else ReportState.TRANSFER
    locked, action = _step(report, by, step, target)
    if not text.strip():
        raise ReportError(errors={"text": [_("Leg de conclusie vast.")]})
    with transaction.atomic():
        locked.state = target
        locked.monitors_conditions = follow_up == FollowUp.CONDITIONS
        if step == Step.CONCLUDE_INVESTIGATION:
            locked.investigation_conclusion = text.strip()
        if target == ReportState.CLOSED:
            _close(locked, by, text)
        locked.save()
        _journal(locked, by, step, text.strip())
        _log(by, AccessLogAction.CHANGE, locked, request, action)
        if target == ReportState.CLOSED:
            _feedback(locked, Feedback.Moment.CLOSED, _closed_text(locked))
    return locked


def conclude_investigation(
    *, report: Report, by: User, conclusion: str, follow_up: str, request: Any = None
) -> Report:
    return _follow(
        report=report,
        by=by,
        step=Step.CONCLUDE_INVESTIGATION,
        follow_up=follow_up,
        text=conclusion,
        request=request,
    )


def end_intervention(
    *, report: Report, by: User, note: str, follow_up: str, request: Any = None
) -> Report:
    return _follow(
        report=report,
        by=by,
        step=Step.END_INTERVENTION,
        follow_up=follow_up,
        text=note,
        request=request,
    )


# --- transfer --------------------------------------------------------------------------


def offer_transfer(
    *,
    report: Report,
    by: User,
    organisation: PartnerOrganisation,
    handover_note: str,
    request: Any = None,
) -> Transfer:
    locked, action = _step(report, by, Step.OFFER_TRANSFER, ReportState.TRANSFER)
    errors = _Errors()
    if organisation.kind not in TRANSFER_KINDS or organisation.region_id != locked.region_id:
        errors.add(
            "organisation", _("Kies een lokaal team of SAVE-team in de regio van de melding.")
        )
    if not handover_note.strip():
        errors.add("handover_note", _("Schrijf wat het ontvangende team moet weten."))
    if locked.transfers.filter(status=Transfer.Status.OFFERED).exists():
        errors.add("organisation", _("Er staat al een overdracht open; wacht op het antwoord."))
    if locked.monitors_conditions and not locked.conditions.exists():
        errors.add(
            "organisation",
            _("Voorwaarden en vervolg: leg eerst de veiligheidsvoorwaarden vast."),
        )
    errors.raise_if_any()
    with transaction.atomic():
        transfer = Transfer.objects.create(
            report=locked,
            organisation=organisation,
            handover_note=handover_note.strip(),
            offered_by=by,
        )
        _journal(
            locked,
            by,
            Step.OFFER_TRANSFER,
            _("Overdracht aangeboden aan %(team)s.") % {"team": organisation.name},
        )
        _log(by, AccessLogAction.CHANGE, locked, request, action)
    return transfer


def _answer_transfer(transfer: Transfer, by: User, step: str, target: str) -> tuple[Report, Action]:
    locked, action = _step(transfer.report, by, step, target)
    current = Transfer.objects.select_for_update().get(pk=transfer.pk)
    if current.status != Transfer.Status.OFFERED:
        raise ReportError(_("Deze overdracht is al beantwoord."))
    if by.organisation_id != current.organisation_id:
        raise AccessDenied(action=action, obj=locked)
    return locked, action


def accept_transfer(
    *, transfer: Transfer, by: User, note: str = "", request: Any = None
) -> Transfer:
    """The receiving team takes the lead; with safety conditions, monitoring starts."""
    target = (
        ReportState.MONITORING if transfer.report.monitors_conditions else ReportState.TRANSFERRED
    )
    locked, action = _answer_transfer(transfer, by, Step.ACCEPT_TRANSFER, target)
    with transaction.atomic():
        now = timezone.now()
        Transfer.objects.filter(pk=transfer.pk).update(
            status=Transfer.Status.ACCEPTED, answered_by=by, answered_at=now, answer_note=note
        )
        locked.state = target
        locked.lead_organisation = transfer.organisation
        locked.save(update_fields=["state", "lead_organisation"])
        if target == ReportState.MONITORING:
            start = timezone.localdate(now)
            MonitoringMoment.objects.bulk_create(
                MonitoringMoment(report=locked, due=add_months(start, months))
                for months in settings.REPORT_MONITORING_MONTHS
            )
        _journal(
            locked,
            by,
            Step.ACCEPT_TRANSFER,
            _("Overdracht geaccepteerd door %(team)s; zij hebben nu de regie.")
            % {"team": transfer.organisation.name},
        )
        _log(by, AccessLogAction.CHANGE, locked, request, action)
        text = _("De melding is overgedragen aan %(team)s. Zij pakken de melding nu op.") % {
            "team": transfer.organisation.name
        }
        if target == ReportState.MONITORING:
            text += " " + _(
                "Veilig Thuis %(region)s blijft volgen of de afspraken over de veiligheid worden "
                "nagekomen."
            ) % {"region": _region_name(locked)}
        _feedback(locked, Feedback.Moment.DECISION, text)
        _schedule_reminder(locked)
    transfer.refresh_from_db()
    return transfer


def decline_transfer(*, transfer: Transfer, by: User, note: str, request: Any = None) -> Transfer:
    if not note.strip():
        raise ReportError(errors={"note": [_("Zeg waarom het team de overdracht niet aanneemt.")]})
    locked, action = _answer_transfer(transfer, by, Step.DECLINE_TRANSFER, ReportState.TRANSFER)
    with transaction.atomic():
        Transfer.objects.filter(pk=transfer.pk).update(
            status=Transfer.Status.DECLINED,
            answered_by=by,
            answered_at=timezone.now(),
            answer_note=note.strip(),
        )
        _journal(
            locked,
            by,
            Step.DECLINE_TRANSFER,
            _("Overdracht geweigerd door %(team)s: %(note)s")
            % {"team": transfer.organisation.name, "note": note.strip()},
        )
        _log(by, AccessLogAction.CHANGE, locked, request, action)
    transfer.refresh_from_db()
    return transfer


# --- safety conditions and monitoring ---------------------------------------------------------


def add_safety_condition(
    *,
    report: Report,
    by: User,
    description: str,
    responsible: str,
    due: date | None,
    request: Any = None,
) -> SafetyCondition:
    with transaction.atomic():
        locked = Report.objects.select_for_update().get(pk=report.pk)
        allowed = {ReportState.TRANSFER, ReportState.MONITORING}
        if locked.state not in allowed or not locked.monitors_conditions:
            raise ReportError(
                _(
                    "Veiligheidsvoorwaarden horen bij 'Voorwaarden en vervolg', "
                    "vóór of na de overdracht."
                )
            )
        action = (
            Action.TRANSFER_REPORT
            if locked.state == ReportState.TRANSFER
            else Action.MONITOR_REPORT
        )
        if not (may(by, action, locked) or may(by, Action.MONITOR_REPORT, locked)):
            raise AccessDenied(action=action, obj=locked)
        errors = _Errors()
        if not description.strip():
            errors.add("description", _("Beschrijf de voorwaarde als gedrag dat te zien is."))
        if not responsible.strip():
            errors.add("responsible", _("Zeg wie verantwoordelijk is."))
        if due is None:
            errors.add("due", _("Vul een datum in."))
        elif due < timezone.localdate():
            errors.add("due", _("De datum ligt in het verleden."))
        errors.raise_if_any()
        condition = SafetyCondition.objects.create(
            report=locked,
            description=description.strip(),
            responsible=responsible.strip(),
            due=due,
            created_by=by,
        )
        _journal(
            locked,
            by,
            "condition",
            _("Veiligheidsvoorwaarde: %(text)s (%(who)s, uiterlijk %(due)s)")
            % {
                "text": description.strip(),
                "who": responsible.strip(),
                "due": due.strftime("%d-%m-%Y"),  # type: ignore[union-attr]  # checked above
            },
        )
        _log(by, AccessLogAction.CHANGE, locked, request, action)
    return condition


def record_monitoring(
    *,
    moment: MonitoringMoment,
    by: User,
    conditions_met: bool | None,
    spoke_with: str,
    findings: str,
    request: Any = None,
) -> Report:
    """At a monitoring moment: with the family and the helpers, are the conditions met?
    Not met → back to triage (DOMAIN.md)."""
    if conditions_met is None:
        raise ReportError(errors={"conditions_met": [_("Kies of de voorwaarden zijn nagekomen.")]})
    target = ReportState.MONITORING if conditions_met else ReportState.TRIAGE
    locked, action = _step(moment.report, by, Step.RECORD_MONITORING, target)
    current = MonitoringMoment.objects.select_for_update().get(pk=moment.pk)
    if current.recorded_at is not None:
        raise ReportError(_("Dit monitoringsmoment is al vastgelegd."))
    errors = _Errors()
    if not spoke_with.strip():
        errors.add("spoke_with", _("Zeg met wie is gesproken (gezin, hulpverleners)."))
    if not findings.strip():
        errors.add("findings", _("Leg vast wat is gezien en gehoord."))
    errors.raise_if_any()
    with transaction.atomic():
        current.recorded_at, current.recorded_by = timezone.now(), by
        current.conditions_met = conditions_met
        current.spoke_with, current.findings = spoke_with.strip(), findings.strip()
        current.save()
        locked.state = target
        if not conditions_met:
            # Back to triage: a new decision within the protocol's term, from today.
            locked.triage_due = add_working_days(timezone.localdate(), TRIAGE_WORKING_DAYS)
            locked.monitoring_moments.filter(recorded_at__isnull=True).delete()
        locked.save()
        _journal(
            locked,
            by,
            Step.RECORD_MONITORING,
            (
                _("Monitoring: voorwaarden nagekomen.")
                if conditions_met
                else _("Monitoring: voorwaarden niet nagekomen; terug naar triage.")
            )
            + f" {findings.strip()}",
        )
        _log(by, AccessLogAction.CHANGE, locked, request, action)
        _schedule_reminder(locked)
    return locked


# --- closure and retention -------------------------------------------------------------------


def _closed_text(report: Report) -> str:
    return _("Veilig Thuis %(region)s heeft de melding afgesloten.") % {
        "region": _region_name(report)
    }


def _close(report: Report, by: User, note: str) -> None:
    now = timezone.now()
    report.closed_at = now
    report.closing_note = note.strip()
    report.retention_until = add_months(
        timezone.localdate(now), 12 * settings.REPORT_RETENTION_YEARS
    )


def close_report(*, report: Report, by: User, note: str, request: Any = None) -> Report:
    locked, action = _step(report, by, Step.CLOSE, ReportState.CLOSED)
    if not note.strip():
        raise ReportError(errors={"note": [_("Zeg waarom de melding wordt afgesloten.")]})
    with transaction.atomic():
        locked.state = ReportState.CLOSED
        _close(locked, by, note)
        locked.save()
        _journal(locked, by, Step.CLOSE, _("Melding afgesloten: %(note)s") % {"note": note.strip()})
        _log(by, AccessLogAction.CHANGE, locked, request, action)
        _feedback(locked, Feedback.Moment.CLOSED, _closed_text(locked))
    return locked


def set_legal_hold(
    *, report: Report, by: User, hold: bool, reason: str, request: Any = None
) -> Report:
    with transaction.atomic():
        locked = Report.objects.select_for_update().get(pk=report.pk)
        require(by, Action.TRANSFER_REPORT, locked)
        if not reason.strip():
            raise ReportError(errors={"reason": [_("Zeg waarom.")]})
        locked.legal_hold = hold
        locked.save(update_fields=["legal_hold"])
        _journal(
            locked,
            by,
            "legal_hold",
            (
                _("Niet vernietigen: %(reason)s")
                if hold
                else _("Vernietigen weer toegestaan: %(reason)s")
            )
            % {"reason": reason.strip()},
        )
        _log(by, AccessLogAction.CHANGE, locked, request, Action.TRANSFER_REPORT)
    return locked


def purge_expired_reports(*, today: date | None = None) -> int:
    """Delete closed reports past their retention date, unless on legal hold.

    The deletion is in the access log with the report's id only: what was deleted is gone.
    """
    day = today or timezone.localdate()
    expired = Report.objects.filter(
        state=ReportState.CLOSED, retention_until__lt=day, legal_hold=False
    )
    count = 0
    for report_id in list(expired.values_list("pk", flat=True)):
        with transaction.atomic():
            report = Report.objects.select_for_update().filter(pk=report_id).first()
            if report is None or report.legal_hold:
                continue
            report.delete()
            record_access(
                user=None,
                action=AccessLogAction.DELETE,
                object_type="reports.report",
                object_id=str(report_id),
                reason="bewaartermijn verstreken",
                username="system",
            )
            count += 1
    return count


def team_leads(region: Region) -> list[User]:
    return list(
        User.objects.filter(
            memberships__region=region, memberships__role=Role.TEAM_LEAD, is_active=True
        ).distinct()
    )
