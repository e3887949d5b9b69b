"""Writes of the meldcode assistant: one business action per function.

Each runs in one transaction, locks the record it changes, checks the policy, validates,
writes, adds a timeline entry (what the professional reads back) and an access-log entry
(who changed what). A refused or invalid action changes nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from vangnet.accounts.models import User
from vangnet.accounts.policy import (
    AccessDenied,
    Action,
    may,
    may_edit_meldcode_record,
    roles_for,
)
from vangnet.audit.context import AuditContext
from vangnet.audit.models import AccessLogAction
from vangnet.audit.services import log_destroyed, record_access
from vangnet.contacts.models import AdviceDossier, AskerType, Channel, Contact, ViolenceForm
from vangnet.contacts.services import ContactDetails, ContactError, file_contact, may_become_report
from vangnet.errors import DomainError
from vangnet.regions.models import PartnerOrganisation, Region
from vangnet.regions.selectors import InvalidPostcode, route_postcode
from vangnet.reports.models import PersonRole
from vangnet.reports.services import PersonDetails, ReporterDetails, ReportError, receive_report

from . import framework
from .models import (
    REPORTING_DECISIONS,
    AdviceRequest,
    AdviceRequestStatus,
    Answer,
    ClientConversation,
    Consultation,
    Decision,
    MeldcodeRecord,
    ParentsInformed,
    RecordStatus,
    Reminder,
    ReportChannel,
    Signal,
    TimelineEntry,
)
from .reporting import prepared_report, region_accepts_online_reports
from .signals import ALL_SIGNALS, signal_label
from .tasks import fire_reminder

# DOMAIN.md: honour-based violence, forced marriage and FGM → consult Veilig Thuis at once.
CONSULT_VEILIG_THUIS_AT_ONCE = frozenset(
    {ViolenceForm.HONOUR_BASED, ViolenceForm.FORCED_MARRIAGE, ViolenceForm.FGM}
)

# Reminders fire at this local time on the day the professional chose.
REMINDER_TIME = time(8, 0)


class MeldcodeError(DomainError):
    """Input the professional can correct; the message says how (Dutch, for the page)."""


def _check_text(value: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise MeldcodeError(message)
    return value


def _not_in_future(day: date) -> None:
    if day > timezone.localdate():
        raise MeldcodeError(_("Deze datum ligt in de toekomst. Kies vandaag of eerder."))


def _lock_for_edit(record: MeldcodeRecord, by: User) -> MeldcodeRecord:
    locked = MeldcodeRecord.objects.select_for_update().get(pk=record.pk)
    if not may_edit_meldcode_record(by, locked):
        raise AccessDenied(action=Action.USE_MELDCODE, obj=locked)
    return locked


def _lock_open_for_edit(record: MeldcodeRecord, by: User) -> MeldcodeRecord:
    locked = _lock_for_edit(record, by)
    if not locked.is_open and locked.status != RecordStatus.REPORTED:
        raise MeldcodeError(
            _("Dit dossier is afgesloten. Open een nieuw dossier als er weer zorgen zijn.")
        )
    return locked


def _audit(
    *,
    by: User,
    action: AccessLogAction,
    obj: object,
    record: MeldcodeRecord,
    audit: AuditContext | None,
) -> None:
    record_access(
        user=by,
        action=action,
        obj=obj,  # type: ignore[arg-type]  # a record of the meldcode app: a Model
        roles=roles_for(by, Action.USE_MELDCODE, record),
        audit=audit,
    )


def _timeline(record: MeldcodeRecord, *, by: User | None, kind: str, text: str) -> TimelineEntry:
    entry = TimelineEntry(record=record, by=by, kind=kind, text=text)
    entry.full_clean()
    entry.save()
    MeldcodeRecord.objects.filter(pk=record.pk).update(updated_at=timezone.now())
    return entry


def _valid_forms(forms_of_violence: Sequence[str]) -> list[str]:
    unknown = set(forms_of_violence) - set(ViolenceForm.values)
    if unknown:
        raise MeldcodeError(_("Kies de vormen van geweld uit de lijst."))
    return [f for f in ViolenceForm.values if f in set(forms_of_violence)]


def consult_veilig_thuis_at_once(record: MeldcodeRecord) -> bool:
    """Honour-based violence, forced marriage or FGM: step 2 is Veilig Thuis, straight away."""
    return bool(CONSULT_VEILIG_THUIS_AT_ONCE & set(record.forms_of_violence))


# --- opening ---------------------------------------------------------------------------


def open_record(
    *,
    by: User,
    sector: str,
    pseudonym: str,
    concern: str,
    forms_of_violence: Sequence[str] = (),
    audit: AuditContext | None = None,
) -> MeldcodeRecord:
    organisation: PartnerOrganisation | None = by.organisation
    if organisation is None or not may(by, Action.USE_MELDCODE, organisation):
        raise AccessDenied(
            _("Uw account hoort niet bij een organisatie die met de meldcode werkt."),
            action=Action.USE_MELDCODE,
        )
    with transaction.atomic():
        record = MeldcodeRecord(
            professional=by,
            organisation=organisation,
            region=organisation.region,
            sector=sector,
            pseudonym=_check_text(
                pseudonym,
                _("Beschrijf om wie het gaat, zonder naam: bijvoorbeeld 'leerling groep 5'."),
            ),
            concern=_check_text(concern, _("Beschrijf in een paar zinnen wat u ongerust maakt.")),
            forms_of_violence=_valid_forms(forms_of_violence),
        )
        try:
            record.full_clean()
        except ValidationError as error:
            raise MeldcodeError(" ".join(error.messages)) from error
        record.save()
        _timeline(
            record,
            by=by,
            kind=TimelineEntry.Kind.OPENED,
            text=_("Dossier geopend: %(concern)s") % {"concern": record.concern},
        )
        _audit(by=by, action=AccessLogAction.CREATE, obj=record, record=record, audit=audit)
    return record


# --- step 1: signals ---------------------------------------------------------------------


def add_signals(
    *,
    record: MeldcodeRecord,
    by: User,
    codes: Sequence[str],
    description: str,
    observed_on: date,
    audit: AuditContext | None = None,
) -> list[Signal]:
    """Record what the professional noticed on one day: ticked signals and/or free text."""
    description = (description or "").strip()
    if not codes and not description:
        raise MeldcodeError(_("Kies een of meer signalen uit de lijst of beschrijf wat u zag."))
    if set(codes) - set(ALL_SIGNALS):
        raise MeldcodeError(_("Kies de signalen uit de lijst."))
    _not_in_future(observed_on)
    with transaction.atomic():
        locked = _lock_open_for_edit(record, by)
        created = [Signal(record=locked, code=code, observed_on=observed_on) for code in codes]
        if description:
            created.append(Signal(record=locked, description=description, observed_on=observed_on))
        for signal in created:
            signal.full_clean()
            signal.save()
        labels = [signal_label(code) for code in codes] + ([description] if description else [])
        _timeline(
            locked,
            by=by,
            kind=TimelineEntry.Kind.SIGNAL,
            text=_("Signalen van %(day)s: %(signals)s")
            % {"day": observed_on.strftime("%d-%m-%Y"), "signals": "; ".join(labels)},
        )
        _audit(by=by, action=AccessLogAction.CHANGE, obj=locked, record=locked, audit=audit)
    return created


# --- step 2: consultation and advice ----------------------------------------------------------


def add_consultation(
    *,
    record: MeldcodeRecord,
    by: User,
    consulted: str,
    held_on: date,
    notes: str,
    audit: AuditContext | None = None,
) -> Consultation:
    _not_in_future(held_on)
    with transaction.atomic():
        locked = _lock_open_for_edit(record, by)
        consultation = Consultation(
            record=locked,
            consulted=consulted,
            held_on=held_on,
            notes=_check_text(notes, _("Schrijf op wat er uit het overleg kwam.")),
        )
        try:
            consultation.full_clean()
        except ValidationError as error:
            raise MeldcodeError(" ".join(error.messages)) from error
        consultation.save()
        _timeline(
            locked,
            by=by,
            kind=TimelineEntry.Kind.CONSULTATION,
            text=_("Overleg met %(with)s op %(day)s: %(notes)s")
            % {
                "with": consultation.get_consulted_display().lower(),
                "day": held_on.strftime("%d-%m-%Y"),
                "notes": consultation.notes,
            },
        )
        _audit(by=by, action=AccessLogAction.CHANGE, obj=locked, record=locked, audit=audit)
    return consultation


def _advice_region(record: MeldcodeRecord, postcode: str) -> Region:
    if not (postcode or "").strip():
        return record.region
    try:
        return route_postcode(postcode).region
    except InvalidPostcode as error:
        raise MeldcodeError(str(error)) from error


def request_advice(
    *,
    record: MeldcodeRecord,
    by: User,
    summary: str,
    callback_phone: str,
    callback_when: str = "",
    postcode: str = "",
    is_urgent: bool = False,
    audit: AuditContext | None = None,
) -> AdviceRequest:
    """Ask Veilig Thuis to call back for advice, without naming the family.

    The request lands in the call-back queue of the organisation's region (or that of the
    postcode given) and opens an advice dossier there.
    """
    summary = _check_text(
        summary, _("Schrijf kort waar u advies over wilt, zonder de naam van het gezin.")
    )
    callback_phone = _check_text(
        callback_phone, _("Vul een telefoonnummer in waarop Veilig Thuis u kan terugbellen.")
    )
    region = _advice_region(record, postcode)
    with transaction.atomic():
        locked = _lock_open_for_edit(record, by)
        dossier = AdviceDossier.objects.create(region=region)
        advice_request = AdviceRequest(
            record=locked,
            region=region,
            requested_by=by,
            sector=locked.sector,
            summary=summary,
            callback_phone=callback_phone,
            callback_when=(callback_when or "").strip(),
            is_urgent=is_urgent,
            dossier=dossier,
        )
        try:
            advice_request.full_clean()
        except ValidationError as error:
            raise MeldcodeError(" ".join(error.messages)) from error
        advice_request.save()
        _timeline(
            locked,
            by=by,
            kind=TimelineEntry.Kind.ADVICE_REQUEST,
            text=_(
                "Terugbelverzoek %(ref)s naar %(region)s, zonder de naam van het gezin: %(summary)s"
            )
            % {"ref": advice_request.reference, "region": region.display_name, "summary": summary},
        )
        _audit(
            by=by,
            action=AccessLogAction.CREATE,
            obj=advice_request,
            record=locked,
            audit=audit,
        )
    return advice_request


# --- step 3: conversation -------------------------------------------------------------------


def add_conversation(
    *,
    record: MeldcodeRecord,
    by: User,
    held_on: date,
    participants: str,
    with_second_professional: bool,
    summary: str,
    audit: AuditContext | None = None,
) -> ClientConversation:
    _not_in_future(held_on)
    with transaction.atomic():
        locked = _lock_open_for_edit(record, by)
        conversation = ClientConversation(
            record=locked,
            held_on=held_on,
            participants=_check_text(participants, _("Schrijf op wie er bij het gesprek waren.")),
            with_second_professional=with_second_professional,
            summary=_check_text(
                summary, _("Schrijf op wat er besproken is en hoe zij reageerden.")
            ),
        )
        try:
            conversation.full_clean()
        except ValidationError as error:
            raise MeldcodeError(" ".join(error.messages)) from error
        conversation.save()
        _timeline(
            locked,
            by=by,
            kind=TimelineEntry.Kind.CONVERSATION,
            text=_("Gesprek op %(day)s met %(who)s: %(summary)s")
            % {
                "day": held_on.strftime("%d-%m-%Y"),
                "who": conversation.participants,
                "summary": conversation.summary,
            },
        )
        _audit(by=by, action=AccessLogAction.CHANGE, obj=locked, record=locked, audit=audit)
    return conversation


# --- step 4: the decision framework -------------------------------------------------------------


def answers_of(record: MeldcodeRecord) -> dict[int, bool]:
    return dict(record.answers.values_list("question", "answer"))


def answer_question(
    *,
    record: MeldcodeRecord,
    by: User,
    question: int,
    answer: bool,
    reasoning: str,
    audit: AuditContext | None = None,
) -> framework.Result:
    """Record the answer to one question, in the framework's order.

    Changing an earlier answer removes the answers after it: they were given on another path.
    """
    if question not in framework.QUESTIONS_BY_NUMBER:
        raise MeldcodeError(_("Het afwegingskader heeft vijf vragen."))
    reasoning = _check_text(reasoning, _("Schrijf op waarom u dit antwoord geeft."))
    with transaction.atomic():
        locked = _lock_open_for_edit(record, by)
        current = framework.prescribed_outcome(answers_of(locked))
        if question not in current.path:
            raise MeldcodeError(
                _("Beantwoord de vragen op volgorde. Nu is vraag %(n)s aan de beurt.")
                % {"n": current.next_question or current.path[-1]}
            )
        later = current.path[current.path.index(question) + 1 :]
        removed = locked.answers.filter(question__in=later).delete()[0]
        Answer.objects.update_or_create(
            record=locked,
            question=question,
            defaults={"answer": answer, "reasoning": reasoning, "answered_at": timezone.now()},
        )
        result = framework.prescribed_outcome(answers_of(locked))
        text = _("Vraag %(n)s: %(answer)s. %(reasoning)s") % {
            "n": question,
            "answer": _("ja") if answer else _("nee"),
            "reasoning": reasoning,
        }
        if removed:
            text += " " + _("De antwoorden op de vragen daarna zijn vervallen.")
        if result.outcome is not None:
            text += " " + _("Uitkomst van het afwegingskader: %(outcome)s.") % {
                "outcome": result.outcome.label
            }
        _timeline(locked, by=by, kind=TimelineEntry.Kind.ANSWER, text=text)
        _audit(by=by, action=AccessLogAction.CHANGE, obj=locked, record=locked, audit=audit)
    return result


# --- step 5: the decision -------------------------------------------------------------------

_DECISION_STATUS = {
    Decision.ORGANISE_HELP: RecordStatus.HELP,
    Decision.CLOSE: RecordStatus.CLOSED,
    Decision.REPORT: RecordStatus.OPEN,  # until the report is made
    Decision.HELP_AND_REPORT: RecordStatus.OPEN,
}

# Which decisions follow the framework's outcome (the professional may decide otherwise,
# but then the record says so, next to the reasons).
_FOLLOWS_OUTCOME = {
    framework.FrameworkOutcome.CLOSE: {Decision.CLOSE},
    framework.FrameworkOutcome.REPORT: {Decision.REPORT, Decision.HELP_AND_REPORT},
    framework.FrameworkOutcome.CLOSE_WITH_FOLLOW_UP: {Decision.CLOSE, Decision.ORGANISE_HELP},
}


def decision_deviates(decision: str, outcome: framework.FrameworkOutcome | None) -> bool:
    if outcome is None:
        # Question 5 still open: organising help and following it is what the framework asks.
        return decision not in (Decision.ORGANISE_HELP, *REPORTING_DECISIONS)
    return decision not in _FOLLOWS_OUTCOME[outcome]


def record_decision(
    *,
    record: MeldcodeRecord,
    by: User,
    decision: str,
    reasoning: str,
    help_plan: str = "",
    audit: AuditContext | None = None,
) -> MeldcodeRecord:
    """Record the professional's decision at step 5. The tool records; it does not decide."""
    if decision not in Decision.values:
        raise MeldcodeError(_("Kies uw besluit."))
    reasoning = _check_text(reasoning, _("Schrijf op waarom u zo besluit."))
    help_plan = (help_plan or "").strip()
    if decision in (Decision.ORGANISE_HELP, Decision.HELP_AND_REPORT) and not help_plan:
        raise MeldcodeError(_("Schrijf op welke hulp er komt, wie die biedt en hoe u die volgt."))
    with transaction.atomic():
        locked = _lock_for_edit(record, by)
        if locked.status in (RecordStatus.CLOSED, RecordStatus.REPORTED):
            raise MeldcodeError(_("Over dit dossier is al besloten."))
        result = framework.prescribed_outcome(answers_of(locked))
        if result.path == (1,) and result.outcome is None:
            raise MeldcodeError(_("Beantwoord eerst de vragen van het afwegingskader (stap 4)."))
        locked.decision = decision
        locked.decision_reasoning = reasoning
        locked.help_plan = help_plan
        locked.decided_at = timezone.now()
        locked.prescribed_outcome = result.outcome or ""
        locked.status = _DECISION_STATUS[Decision(decision)]
        if locked.status == RecordStatus.CLOSED:
            locked.closed_at = timezone.now()
        locked.full_clean()
        locked.save()
        text = _("Besluit: %(decision)s. %(reasoning)s") % {
            "decision": locked.get_decision_display(),
            "reasoning": reasoning,
        }
        if help_plan:
            text += " " + _("Hulp: %(plan)s") % {"plan": help_plan}
        if decision_deviates(decision, result.outcome):
            text += " " + _("Dit besluit wijkt af van de uitkomst van het afwegingskader.")
        _timeline(locked, by=by, kind=TimelineEntry.Kind.DECISION, text=text)
        _audit(by=by, action=AccessLogAction.CHANGE, obj=locked, record=locked, audit=audit)
    return locked


def record_phone_report(
    *,
    record: MeldcodeRecord,
    by: User,
    parents_informed: str,
    report_reference: str = "",
    audit: AuditContext | None = None,
) -> MeldcodeRecord:
    """The professional phoned Veilig Thuis and made the report: note it in the record."""
    if parents_informed not in ParentsInformed.values:
        raise MeldcodeError(_("Geef aan of de ouders weten dat u meldt."))
    with transaction.atomic():
        locked = _lock_for_edit(record, by)
        _check_may_report(locked)
        locked.parents_informed = parents_informed
        locked.report_channel = ReportChannel.PHONE
        locked.report_reference = (report_reference or "").strip()[:40]
        locked.reported_at = timezone.now()
        locked.status = RecordStatus.REPORTED
        locked.full_clean()
        locked.save()
        text = _("Telefonisch gemeld bij Veilig Thuis (%(region)s). Ouders: %(parents)s.") % {
            "region": locked.region.display_name,
            "parents": locked.get_parents_informed_display().lower(),
        }
        if locked.report_reference:
            text += " " + _("Kenmerk: %(ref)s.") % {"ref": locked.report_reference}
        _timeline(locked, by=by, kind=TimelineEntry.Kind.REPORT, text=text)
        _audit(by=by, action=AccessLogAction.CHANGE, obj=locked, record=locked, audit=audit)
    return locked


@dataclass(frozen=True)
class FamilyDetails:
    """Who the report is about: given only at the moment of reporting, never kept in the
    (pseudonymous) meldcode record — they go to Veilig Thuis' report alone."""

    child_name: str
    child_date_of_birth: date | None = None
    address: str = ""
    parent_names: Sequence[str] = ()


def submit_online_report(
    *,
    record: MeldcodeRecord,
    by: User,
    family: FamilyDetails,
    parents_informed: str,
    anonymous_to_family: bool = False,
    is_acute: bool = False,
    audit: AuditContext | None = None,
) -> MeldcodeRecord:
    """Send the prepared report to the region's Veilig Thuis intake, where it arrives as a new
    report with the professional as reporter. Only where the region accepts online reports."""

    if parents_informed not in ParentsInformed.values:
        raise MeldcodeError(_("Geef aan of de ouders weten dat u meldt."))
    child_name = _check_text(family.child_name, _("Vul de naam van het kind in."))
    persons = [
        PersonDetails(
            role=PersonRole.CHILD,
            name=child_name,
            date_of_birth=family.child_date_of_birth,
            address=family.address.strip(),
            is_victim=True,
        )
    ] + [
        PersonDetails(role=PersonRole.PARENT, name=name.strip(), address=family.address.strip())
        for name in family.parent_names
        if name.strip()
    ]
    with transaction.atomic():
        locked = _lock_for_edit(record, by)
        _check_may_report(locked)
        if not region_accepts_online_reports(locked.region):
            raise MeldcodeError(
                _("%(region)s ontvangt nog geen meldingen via Vangnet. Meld telefonisch.")
                % {"region": locked.region.display_name}
            )
        prepared = prepared_report(locked)
        organisation = locked.organisation
        try:
            received = receive_report(
                region=locked.region,
                by=by,
                # The report arrives in writing, through the system (never through the chat).
                channel=Channel.WRITTEN,
                reporter=ReporterDetails(
                    name=by.display_name,
                    is_professional=True,
                    organisation=organisation.name,
                    sector=locked.sector,
                    phone=by.phone_number,
                    email=by.email,
                    anonymous_to_family=anonymous_to_family,
                ),
                persons=persons,
                forms_of_violence=locked.forms_of_violence or [ViolenceForm.OTHER],
                concerns=prepared.as_text(),
                signals=_signals_text(locked),
                actions_taken=_actions_taken(locked),
                source_dossier=_dossier_to_continue(locked),
                audit=audit,
                is_acute=is_acute,
            )
        except ReportError as error:
            raise MeldcodeError(str(error)) from error
        now = timezone.now()
        locked.parents_informed = parents_informed
        locked.report_channel = ReportChannel.ONLINE
        locked.report = received.report
        locked.report_reference = received.report.reference[:40]
        locked.report_status_url = received.status_url[:300]
        locked.reported_at = now
        locked.status = RecordStatus.REPORTED
        locked.full_clean()
        locked.save()
        _timeline(
            locked,
            by=by,
            kind=TimelineEntry.Kind.REPORT,
            text=_(
                "Gemeld via Vangnet bij %(region)s: melding %(ref)s. Ouders: %(parents)s. De "
                "status van de melding staat op de statuspagina."
            )
            % {
                "region": locked.region.display_name,
                "ref": received.report.reference,
                "parents": locked.get_parents_informed_display().lower(),
            },
        )
        _audit(by=by, action=AccessLogAction.CHANGE, obj=locked, record=locked, audit=audit)
    return locked


def _signals_text(record: MeldcodeRecord) -> str:
    return "\n".join(
        f"{s.observed_on:%d-%m-%Y}: {s.label}" + (f" ({s.description})" if s.description else "")
        for s in record.signals.all()
    )


def _actions_taken(record: MeldcodeRecord) -> str:
    lines = [
        f"{c.held_on:%d-%m-%Y} {c.get_consulted_display()}: {c.notes}"
        for c in record.consultations.all()
    ]
    lines += [
        f"{c.held_on:%d-%m-%Y} {c.participants}: {c.summary}" for c in record.conversations.all()
    ]
    if record.help_plan:
        lines.append(record.help_plan)
    return "\n".join(lines)


def _dossier_to_continue(record: MeldcodeRecord) -> AdviceDossier | None:
    """The advice dossier of an answered call-back in the same region: the report continues it."""

    advice = (
        record.advice_requests.filter(status=AdviceRequestStatus.DONE, region=record.region)
        .select_related("dossier")
        .order_by("-completed_at")
        .first()
    )
    if advice is None or not may_become_report(advice.dossier):
        return None
    return advice.dossier


def _check_may_report(record: MeldcodeRecord) -> None:
    if not record.decided_to_report:
        raise MeldcodeError(_("U heeft (nog) niet besloten te melden (stap 5)."))
    if record.status == RecordStatus.REPORTED:
        raise MeldcodeError(_("U heeft deze melding al gedaan."))


# --- reminders --------------------------------------------------------------------------------


def reminder_moment(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, REMINDER_TIME))


def set_reminder(
    *,
    record: MeldcodeRecord,
    by: User,
    due_on: date,
    note: str,
    audit: AuditContext | None = None,
) -> Reminder:
    """A reminder at the date the professional chose: a task shows it on the overview then."""

    if due_on <= timezone.localdate():
        raise MeldcodeError(_("Kies een datum na vandaag."))
    note = _check_text(note, _("Schrijf op waaraan u herinnerd wilt worden."))
    with transaction.atomic():
        locked = _lock_for_edit(record, by)
        reminder = Reminder(record=locked, professional=by, due_on=due_on, note=note[:200])
        reminder.full_clean()
        reminder.save()
        # The database task backend writes the task in this same transaction: both or neither.
        result = fire_reminder.using(run_after=reminder_moment(due_on)).enqueue(
            reminder_id=reminder.pk
        )
        reminder.task_id = str(result.id)[:64]
        reminder.save(update_fields=["task_id"])
        _timeline(
            locked,
            by=by,
            kind=TimelineEntry.Kind.REMINDER,
            text=_("Herinnering gezet voor %(day)s: %(note)s")
            % {"day": due_on.strftime("%d-%m-%Y"), "note": reminder.note},
        )
        _audit(by=by, action=AccessLogAction.CHANGE, obj=locked, record=locked, audit=audit)
    return reminder


def dismiss_reminder(*, reminder: Reminder, by: User) -> Reminder:
    with transaction.atomic():
        locked = Reminder.objects.select_for_update().select_related("record").get(pk=reminder.pk)
        if locked.professional_id != by.pk:
            raise AccessDenied(action=Action.USE_MELDCODE, obj=locked.record)
        if locked.dismissed_at is None:
            locked.dismissed_at = timezone.now()
            locked.save(update_fields=["dismissed_at"])
    return locked


# --- the advice desk's side: the call-back queue ------------------------------------------------


def _lock_request(advice_request: AdviceRequest, by: User) -> AdviceRequest:
    locked = AdviceRequest.objects.select_for_update().get(pk=advice_request.pk)
    if not may(by, Action.HANDLE_ADVICE_REQUEST, locked):
        raise AccessDenied(action=Action.HANDLE_ADVICE_REQUEST, obj=locked)
    return locked


def take_advice_request(
    *, advice_request: AdviceRequest, by: User, audit: AuditContext | None = None
) -> AdviceRequest:
    """An advice-desk employee takes the call-back; a colleague a moment later is told."""
    with transaction.atomic():
        locked = _lock_request(advice_request, by)
        if locked.status != AdviceRequestStatus.WAITING:
            if locked.taken_by_id == by.pk:
                return locked
            raise MeldcodeError(_("Een collega heeft dit terugbelverzoek al opgepakt."))
        locked.status = AdviceRequestStatus.TAKEN
        locked.taken_by = by
        locked.taken_at = timezone.now()
        locked.save(update_fields=["status", "taken_by", "taken_at"])
        if locked.dossier.owner_id is None:
            AdviceDossier.objects.filter(pk=locked.dossier_id).update(owner=by)
        record_access(
            user=by,
            action=AccessLogAction.CHANGE,
            obj=locked,
            roles=roles_for(by, Action.HANDLE_ADVICE_REQUEST, locked),
            audit=audit,
        )
    return locked


def complete_advice_request(
    *,
    advice_request: AdviceRequest,
    by: User,
    summary: str,
    advice_given: str,
    audit: AuditContext | None = None,
) -> Contact:
    """Called back: register the advice as a phone contact in the advice dossier."""
    summary = _check_text(summary, _("Vat het gesprek kort samen."))
    advice_given = _check_text(advice_given, _("Schrijf op welk advies u gaf."))
    with transaction.atomic():
        locked = _lock_request(advice_request, by)
        if locked.status == AdviceRequestStatus.DONE:
            raise MeldcodeError(_("Dit terugbelverzoek is al afgerond."))
        if locked.status == AdviceRequestStatus.TAKEN and locked.taken_by_id != by.pk:
            raise MeldcodeError(_("Een collega heeft dit terugbelverzoek opgepakt."))
        record = MeldcodeRecord.objects.select_for_update().get(pk=locked.record_id)
        professional = locked.requested_by
        try:
            contact = file_contact(
                region=locked.region,
                dossier=locked.dossier,
                details=ContactDetails(
                    channel=Channel.PHONE,
                    asker_type=AskerType.PROFESSIONAL,
                    asker_sector=record.sector,
                    # The professional is known to Veilig Thuis; the family is not named.
                    is_anonymous=False,
                    asker_name=professional.display_name[:200],
                    asker_organisation=record.organisation.name[:200],
                    asker_phone=locked.callback_phone[:20],
                    question=summary,
                    advice_given=advice_given,
                    forms_of_violence=list(record.forms_of_violence) or [ViolenceForm.OTHER],
                ),
                by=by,
                roles=roles_for(by, Action.HANDLE_ADVICE_REQUEST, locked),
                audit=audit,
            )
        except ContactError as error:
            raise MeldcodeError(str(error)) from error
        now = timezone.now()
        locked.status = AdviceRequestStatus.DONE
        locked.taken_by = locked.taken_by or by
        locked.taken_at = locked.taken_at or now
        locked.completed_at = now
        locked.contact = contact
        locked.save(update_fields=["status", "taken_by", "taken_at", "completed_at", "contact"])
        _timeline(
            record,
            by=None,
            kind=TimelineEntry.Kind.ADVICE_CALLBACK,
            text=_(
                "Veilig Thuis (%(region)s) heeft u teruggebeld op het terugbelverzoek %(ref)s. "
                "Noem bij een volgend contact het kenmerk %(dossier)s."
            )
            % {
                "region": locked.region.display_name,
                "ref": locked.reference,
                "dossier": locked.dossier.reference,
            },
        )
    return contact


# --- Retention ------------------------------------------------------------------------------


def delete_expired_meldcode_records(
    *,
    closed_before: datetime,
    organisation_ids: Sequence[int] | None,
    except_organisation_ids: Sequence[int] = (),
    keep: set[int],
) -> int:
    """Destroy closed meldcode records of these organisations (None: of every organisation
    but the excepted ones) closed before `closed_before`, unless held. A record whose advice
    request Veilig Thuis still keeps waits until that advice is destroyed (its own
    retention). Logged by id only."""
    due = MeldcodeRecord.objects.filter(closed_at__lt=closed_before, advice_requests__isnull=True)
    if organisation_ids is not None:
        due = due.filter(organisation_id__in=organisation_ids)
    due = due.exclude(organisation_id__in=except_organisation_ids)
    destroyed = 0
    for record_id in list(due.exclude(pk__in=keep).values_list("pk", flat=True)):
        with transaction.atomic():
            record = MeldcodeRecord.objects.select_for_update().filter(pk=record_id).first()
            if record is None or record.advice_requests.exists():
                continue
            record.delete()
            log_destroyed("meldcode.meldcoderecord", record_id, reason="Bewaartermijn verstreken")
            destroyed += 1
    return destroyed
