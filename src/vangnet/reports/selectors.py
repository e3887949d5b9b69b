"""Reads of the reports register. Every read of personal data: policy first, then the log."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from functools import reduce
from operator import or_

from django.db.models import Count, Q, QuerySet, Value
from django.db.models.functions import Upper
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from vangnet.accounts.models import User
from vangnet.accounts.policy import (
    AccessDenied,
    Action,
    PartnerSystem,
    is_veilig_thuis_staff,
    may,
    owns_transfer,
    roles_for,
    scope_own_transfers,
)
from vangnet.audit.context import AuditContext
from vangnet.audit.models import AccessLogAction
from vangnet.audit.services import log_page_shown, record_access, refuse
from vangnet.contacts.models import DossierPerson
from vangnet.pagination import NEWEST_FIRST, Key, KeysetPage, keyset_page, parse_date_key
from vangnet.regions.models import Region

from .deadlines import (
    Deadline,
    current_deadline,
    due_soon_filter,
    overdue_filter,
    with_current_deadline,
)
from .models import JournalEntry, Report, Reporter, ReportPerson
from .workflow import OPEN_STATES, ReportState

PAGE_SIZE = 25


def report_page(
    *,
    user: User,
    region: Region,
    params: Mapping[str, str],
    state: str = "",
    overdue_only: bool = False,
    audit: AuditContext | None,
) -> KeysetPage[Report]:
    """One page of the region's register, newest first; `params` holds the request's
    `after`/`before`/`last` (vangnet.pagination). The shown reports are logged as seen."""
    if not may(user, Action.VIEW_REPORT, region):
        raise refuse(user=user, action=Action.VIEW_REPORT, obj=region, audit=audit)
    queryset = Report.objects.filter(region=region).select_related("owner", "transferred_to")
    if state in ReportState.values:
        queryset = queryset.filter(state=state)
    elif state == "open":
        queryset = queryset.filter(state__in=OPEN_STATES)
    if overdue_only:
        queryset = queryset.filter(overdue_filter())
    page_obj = keyset_page(queryset, keys=NEWEST_FIRST, size=PAGE_SIZE, params=params)
    log_page_shown(
        page_obj.object_list,
        user=user,
        roles=roles_for(user, Action.VIEW_REPORT, region),
        audit=audit,
    )
    return page_obj


def report_for_reporter(reference: str) -> Report | None:
    """The report behind a reporter's status link. The adapter shows it only after the link's
    secret matched (or while the session it bought lasts), and only what `status` allows."""
    return (
        Report.objects.select_related("region", "transferred_to")
        .filter(reference=reference)
        .first()
    )


def report_detail(*, user: User, report_id: int, audit: AuditContext | None) -> Report:
    """One report with its persons and journal, when the user may see it. Logged."""
    report = (
        Report.objects.select_related(
            "region", "owner", "transferred_to", "triage_by", "triage_approved_by"
        )
        .prefetch_related("persons", "journal__by", "conditions", "monitoring_moments")
        .get(pk=report_id)
    )
    if not may(user, Action.VIEW_REPORT, report):
        raise refuse(user=user, action=Action.VIEW_REPORT, obj=report, audit=audit)
    record_access(
        user=user,
        action=AccessLogAction.VIEW,
        obj=report,
        # Empty: the user reads through break-the-glass (ADR 0032).
        roles=roles_for(user, Action.VIEW_REPORT, report) or ["break_glass"],
        audit=audit,
    )
    return report


def reporter_identity(
    *, user: User, report: Report, reason: str, audit: AuditContext | None
) -> Reporter:
    """The reporter's identity, only for roles that need it and with a stated reason; the
    access log says who saw it and why (DOMAIN.md: the identity is never shown otherwise)."""
    if not may(user, Action.VIEW_REPORTER_IDENTITY, report):
        raise refuse(user=user, action=Action.VIEW_REPORTER_IDENTITY, obj=report, audit=audit)
    reporter = Reporter.objects.get(report=report)
    record_access(
        user=user,
        action=AccessLogAction.VIEW,
        obj=reporter,
        roles=roles_for(user, Action.VIEW_REPORTER_IDENTITY, report),
        audit=audit,
        reason=reason.strip(),
    )
    return reporter


# --- Who did what: names of Veilig Thuis staff only ---------------------------------------


@dataclass(frozen=True)
class JournalLine:
    entry: JournalEntry
    actor: str


def actor_label(report: Report, user: User | None) -> str:
    """Who took a step on the report, as it is shown anywhere (page, PDF, API, mail).

    Veilig Thuis employees by name. Anyone else by role, never by name: the account that
    submitted the report (a professional reporting online) is the reporter, whose identity
    shows only through the logged reveal; a partner by their organisation."""
    if user is None:
        return str(_("partnersysteem"))
    if is_veilig_thuis_staff(user):
        return user.display_name
    if user.pk == report.received_by_id:
        return report.reporter.role_label
    if user.organisation_id is not None:
        return user.organisation.name  # type: ignore[union-attr]  # checked above
    return str(_("partner"))


def journal_lines(report: Report) -> list[JournalLine]:
    """The report's journal with each step's actor named as `actor_label` allows."""
    labels: dict[int | None, str] = {}
    lines = []
    for entry in report.journal.all():
        if entry.by_id not in labels:
            labels[entry.by_id] = actor_label(report, entry.by)
        lines.append(JournalLine(entry=entry, actor=labels[entry.by_id]))
    return lines


# --- Earlier history ------------------------------------------------------------------


@dataclass(frozen=True)
class HistoryMatch:
    kind: str  # "report" or "dossier"
    reference: str
    pk: int
    region_name: str
    at: date
    matched_on: str  # "bsn", "name_dob", "address"
    person_role: str


def _same_text(field: str, value: str) -> Q:
    """`field` equals `value` ignoring case, in the form the expression indexes on
    UPPER(name) and UPPER(address) answer (ADR 0030); `iexact` would scan on SQLite."""
    return Q(**{f"{field}_key": Upper(Value(value))})


@dataclass(frozen=True)
class _Question:
    """One thing to look for: a person of the report, what is compared, the filter for
    report persons and for dossier persons (None: dossiers do not hold it), and the same
    comparison in Python, to tell which question found a row."""

    person: ReportPerson
    matched_on: str
    report_q: Q
    dossier_q: Q | None

    def matches(self, row: ReportPerson | DossierPerson) -> bool:
        person = self.person
        if self.matched_on == "bsn":
            return getattr(row, "bsn_hash", "") == person.bsn_hash
        if self.matched_on == "name_dob":
            return _same(row.name, person.name) and row.date_of_birth == person.date_of_birth
        return _same(row.address, person.address)


def _same(a: str, b: str) -> bool:
    return a.upper() == b.upper()


def _person_matches(report: Report) -> list[_Question]:
    """Per person, in order: the questions to ask of reports and of dossier persons."""
    out = []
    for person in report.persons.all():
        if person.bsn_hash:
            out.append(_Question(person, "bsn", Q(bsn_hash=person.bsn_hash), None))
        if person.name and person.date_of_birth:
            same = _same_text("name", person.name) & Q(date_of_birth=person.date_of_birth)
            out.append(_Question(person, "name_dob", same, same))
        if person.address:
            same = _same_text("address", person.address)
            out.append(_Question(person, "address", same, same))
    return out


def _first_question(
    questions: list[_Question], rows: Sequence[ReportPerson | DossierPerson]
) -> list[tuple[_Question, ReportPerson | DossierPerson]]:
    """Each row with the first question that finds it (questions in order, then rows), as
    asking them one by one would; a row no Python comparison claims (a database whose UPPER
    differs from Python's) goes with the first question."""
    pairs: list[tuple[_Question, ReportPerson | DossierPerson]] = []
    claimed: set[int] = set()
    for question in questions:
        for row in rows:
            if row.pk not in claimed and question.matches(row):
                claimed.add(row.pk)
                pairs.append((question, row))
    pairs += [(questions[0], row) for row in rows if row.pk not in claimed]
    return pairs


def _find_earlier_history(report: Report) -> list[HistoryMatch]:
    """Earlier reports and named advice dossiers about the same persons (seed 002: look at
    earlier situations of unsafety and the decisions taken then). All regions: a family may
    have moved, and the national register is checked on receipt (Handelingsprotocol).

    All questions go in one query for reports and one for dossiers; each is answered from an
    index (bsn_hash, and the expression indexes on name + date of birth and on address)."""
    questions = _person_matches(report)
    if not questions:
        return []
    found: dict[tuple[str, int], HistoryMatch] = {}
    report_rows = list(
        ReportPerson.objects.alias(name_key=Upper("name"), address_key=Upper("address"))
        .filter(reduce(or_, (q.report_q for q in questions)))
        .exclude(report=report)
        .select_related("report__region")
        .order_by("id")
    )
    for question, row in _first_question(questions, report_rows):
        assert isinstance(row, ReportPerson)
        found.setdefault(
            ("report", row.report_id),
            HistoryMatch(
                kind="report",
                reference=row.report.reference,
                pk=row.report_id,
                region_name=row.report.region.name,
                at=timezone.localtime(row.report.received_at).date(),
                matched_on=question.matched_on,
                person_role=question.person.get_role_display(),
            ),
        )
    dossier_questions = [q for q in questions if q.dossier_q is not None]
    dossier_rows: list[DossierPerson] = []
    if dossier_questions:
        dossier_rows = list(
            DossierPerson.objects.alias(name_key=Upper("name"), address_key=Upper("address"))
            .filter(reduce(or_, (q.dossier_q for q in dossier_questions if q.dossier_q)))
            .select_related("dossier__region")
            .order_by("added_at", "id")
        )
    for question, row in _first_question(dossier_questions, dossier_rows):
        assert isinstance(row, DossierPerson)
        if report.source_dossier_id == row.dossier_id:
            continue
        found.setdefault(
            ("dossier", row.dossier_id),
            HistoryMatch(
                kind="dossier",
                reference=row.dossier.reference,
                pk=row.dossier_id,
                region_name=row.dossier.region.name,
                at=timezone.localtime(row.dossier.opened_at).date(),
                matched_on=question.matched_on,
                person_role=question.person.get_role_display(),
            ),
        )
    return sorted(found.values(), key=lambda m: m.at, reverse=True)


def earlier_history_count(report: Report) -> int:
    """For the journal at receipt: a number, no personal data."""
    return len(_find_earlier_history(report))


def earlier_history(
    *, user: User, report: Report, audit: AuditContext | None
) -> list[HistoryMatch]:
    """What the employee sees on the report page; each display is logged."""
    if not may(user, Action.VIEW_REPORT, report):
        raise refuse(user=user, action=Action.VIEW_REPORT, obj=report, audit=audit)
    matches = _find_earlier_history(report)
    if matches:
        record_access(
            user=user,
            action=AccessLogAction.VIEW,
            object_type="reports.history",
            records=[(_HISTORY_TYPES[m.kind], str(m.pk)) for m in matches],
            roles=roles_for(user, Action.VIEW_REPORT, report),
            audit=audit,
            reason=f"eerdere geschiedenis bij melding {report.reference}",
        )
    return matches


_HISTORY_TYPES = {"report": "reports.report", "dossier": "contacts.advicedossier"}


# --- Deadlines overview ---------------------------------------------------------------


@dataclass(frozen=True)
class DeadlineRow:
    report: Report
    deadline: Deadline
    overdue: bool
    due_soon: bool


@dataclass(frozen=True)
class DeadlineOverview:
    """One page of the team's running deadlines, soonest first, and how many there are."""

    rows: list[DeadlineRow]
    page: KeysetPage[Report]
    overdue_count: int
    due_soon_count: int
    total_count: int


DEADLINE_PAGE_SIZE = 50
SOONEST_FIRST = (
    Key("deadline_on", parse=parse_date_key),
    Key("deadline_by_day"),
    Key("id"),
)


def deadline_overview(
    *, user: User, region: Region, params: Mapping[str, str], audit: AuditContext | None
) -> DeadlineOverview:
    """The team's open deadlines, soonest first (a team = the region's Veilig Thuis), a page
    at a time: the database sorts and counts them (`deadlines.with_current_deadline`), only
    the shown page is loaded and logged."""
    if not may(user, Action.VIEW_REPORT, region):
        raise refuse(user=user, action=Action.VIEW_REPORT, obj=region, audit=audit)
    now = timezone.now()
    running = with_current_deadline(Report.objects.filter(region=region, state__in=OPEN_STATES))
    # The owners are read for the shown page only (prefetched): joined, they would be joined
    # to every open report before the sort (ADR 0030).
    page = keyset_page(
        running.prefetch_related("owner"),
        keys=SOONEST_FIRST,
        size=DEADLINE_PAGE_SIZE,
        params=params,
    )
    rows = []
    for report in page.object_list:
        deadline = current_deadline(report)
        assert deadline is not None  # with_current_deadline leaves out reports without one
        rows.append(
            DeadlineRow(
                report=report,
                deadline=deadline,
                overdue=deadline.is_overdue(now),
                due_soon=deadline.is_due_soon(now),
            )
        )
    log_page_shown(
        page.object_list,
        user=user,
        roles=roles_for(user, Action.VIEW_REPORT, region),
        audit=audit,
    )
    counts = running.aggregate(
        total=Count("id"),
        overdue=Count("id", filter=overdue_filter(now)),
        due_soon=Count("id", filter=due_soon_filter(now)),
    )
    return DeadlineOverview(
        rows=rows,
        page=page,
        overdue_count=counts["overdue"],
        due_soon_count=counts["due_soon"],
        total_count=counts["total"],
    )


def report_counts(*, user: User, region: Region) -> tuple[int, int] | None:
    """Open and overdue reports of the region, for the home page. Numbers: not logged."""
    if not may(user, Action.VIEW_REPORT, region):
        return None
    open_reports = Report.objects.filter(region=region, state__in=OPEN_STATES)
    return open_reports.count(), open_reports.filter(overdue_filter()).count()


# --- Partner side ---------------------------------------------------------------------


def transfers_for(*, principal: User | PartnerSystem) -> QuerySet[Report]:
    """The reports transferred to the organisation of a team member or of the team's system."""
    return scope_own_transfers(Report.objects.all(), principal)


def partner_transfer(*, principal: User | PartnerSystem, report_id: int) -> Report:
    """A report transferred to the partner's own organisation (accounts.policy.owns_transfer).
    Http404 when there is no such transfer; AccessDenied, unlogged, when it is another's: each
    transport's refusal handler logs it once."""
    report = (
        Report.objects.select_related("region", "transferred_to")
        .filter(pk=report_id)
        .exclude(transferred_at=None)
        .first()
    )
    if report is None:
        raise Http404
    if not owns_transfer(principal, report):
        raise AccessDenied(action=Action.ACCEPT_TRANSFER, obj=report)
    return report
