"""Reads of the reports register. Every read of personal data: policy first, then the log."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.paginator import Page
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest
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
from vangnet.audit.models import AccessLogAction
from vangnet.audit.services import logged_page, record_access, refuse
from vangnet.contacts.models import DossierPerson
from vangnet.regions.models import Region

from .deadlines import Deadline, current_deadline, overdue_filter
from .models import JournalEntry, Report, Reporter, ReportPerson
from .workflow import OPEN_STATES, ReportState

PAGE_SIZE = 25


def report_page(
    *,
    user: User,
    region: Region,
    page: str | int | None,
    state: str = "",
    overdue_only: bool = False,
    request: HttpRequest,
) -> Page:
    if not may(user, Action.VIEW_REPORT, region):
        raise refuse(user=user, action=Action.VIEW_REPORT, obj=region, request=request)
    queryset = Report.objects.filter(region=region).select_related("owner", "transferred_to")
    if state in ReportState.values:
        queryset = queryset.filter(state=state)
    elif state == "open":
        queryset = queryset.filter(state__in=OPEN_STATES)
    if overdue_only:
        queryset = queryset.filter(overdue_filter())
    return logged_page(
        queryset,
        size=PAGE_SIZE,
        page=page,
        user=user,
        roles=roles_for(user, Action.VIEW_REPORT, region),
        request=request,
    )


def report_for_reporter(reference: str) -> Report | None:
    """The report behind a reporter's status link. The adapter shows it only after the link's
    secret matched (or while the session it bought lasts), and only what `status` allows."""
    return (
        Report.objects.select_related("region", "transferred_to")
        .filter(reference=reference)
        .first()
    )


def report_detail(*, user: User, report_id: int, request: HttpRequest | None) -> Report:
    """One report with its persons and journal, when the user may see it. Logged."""
    report = (
        Report.objects.select_related(
            "region", "owner", "transferred_to", "triage_by", "triage_approved_by"
        )
        .prefetch_related("persons", "journal__by", "conditions", "monitoring_moments")
        .get(pk=report_id)
    )
    if not may(user, Action.VIEW_REPORT, report):
        raise refuse(user=user, action=Action.VIEW_REPORT, obj=report, request=request)
    record_access(
        user=user,
        action=AccessLogAction.VIEW,
        obj=report,
        # Empty: the user reads through break-the-glass (ADR 0032).
        roles=roles_for(user, Action.VIEW_REPORT, report) or ["break_glass"],
        request=request,
    )
    return report


def reporter_identity(
    *, user: User, report: Report, reason: str, request: HttpRequest | None
) -> Reporter:
    """The reporter's identity, only for roles that need it and with a stated reason; the
    access log says who saw it and why (DOMAIN.md: the identity is never shown otherwise)."""
    if not may(user, Action.VIEW_REPORTER_IDENTITY, report):
        raise refuse(user=user, action=Action.VIEW_REPORTER_IDENTITY, obj=report, request=request)
    reporter = Reporter.objects.get(report=report)
    record_access(
        user=user,
        action=AccessLogAction.VIEW,
        obj=reporter,
        roles=roles_for(user, Action.VIEW_REPORTER_IDENTITY, report),
        request=request,
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


def _person_matches(report: Report) -> list[tuple[ReportPerson, str, Q, Q]]:
    """Per person: the questions to ask of reports and of dossier persons."""
    out = []
    for person in report.persons.all():
        if person.bsn_hash:
            out.append((person, "bsn", Q(bsn_hash=person.bsn_hash), Q(pk__in=[])))
        if person.name and person.date_of_birth:
            out.append(
                (
                    person,
                    "name_dob",
                    Q(name__iexact=person.name, date_of_birth=person.date_of_birth),
                    Q(name__iexact=person.name, date_of_birth=person.date_of_birth),
                )
            )
        if person.address:
            out.append(
                (
                    person,
                    "address",
                    Q(address__iexact=person.address),
                    Q(address__iexact=person.address),
                )
            )
    return out


def _find_earlier_history(report: Report) -> list[HistoryMatch]:
    """Earlier reports and named advice dossiers about the same persons (seed 002: look at
    earlier situations of unsafety and the decisions taken then). All regions: a family may
    have moved, and the national register is checked on receipt (Handelingsprotocol)."""
    found: dict[tuple[str, int], HistoryMatch] = {}
    for person, matched_on, report_q, dossier_q in _person_matches(report):
        for other in (
            ReportPerson.objects.filter(report_q)
            .exclude(report=report)
            .select_related("report__region")
        ):
            key = ("report", other.report_id)
            found.setdefault(
                key,
                HistoryMatch(
                    kind="report",
                    reference=other.report.reference,
                    pk=other.report_id,
                    region_name=other.report.region.name,
                    at=timezone.localtime(other.report.received_at).date(),
                    matched_on=matched_on,
                    person_role=person.get_role_display(),
                ),
            )
        for dossier_person in DossierPerson.objects.filter(dossier_q).select_related(
            "dossier__region"
        ):
            if report.source_dossier_id == dossier_person.dossier_id:
                continue
            key = ("dossier", dossier_person.dossier_id)
            found.setdefault(
                key,
                HistoryMatch(
                    kind="dossier",
                    reference=dossier_person.dossier.reference,
                    pk=dossier_person.dossier_id,
                    region_name=dossier_person.dossier.region.name,
                    at=timezone.localtime(dossier_person.dossier.opened_at).date(),
                    matched_on=matched_on,
                    person_role=person.get_role_display(),
                ),
            )
    return sorted(found.values(), key=lambda m: m.at, reverse=True)


def earlier_history_count(report: Report) -> int:
    """For the journal at receipt: a number, no personal data."""
    return len(_find_earlier_history(report))


def earlier_history(
    *, user: User, report: Report, request: HttpRequest | None
) -> list[HistoryMatch]:
    """What the employee sees on the report page; each display is logged."""
    if not may(user, Action.VIEW_REPORT, report):
        raise refuse(user=user, action=Action.VIEW_REPORT, obj=report, request=request)
    matches = _find_earlier_history(report)
    if matches:
        record_access(
            user=user,
            action=AccessLogAction.VIEW,
            object_type="reports.history",
            records=[(_HISTORY_TYPES[m.kind], str(m.pk)) for m in matches],
            roles=roles_for(user, Action.VIEW_REPORT, report),
            request=request,
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


def deadline_overview(*, user: User, region: Region, request: HttpRequest) -> list[DeadlineRow]:
    """The team's open deadlines, soonest first (a team = the region's Veilig Thuis)."""
    if not may(user, Action.VIEW_REPORT, region):
        raise refuse(user=user, action=Action.VIEW_REPORT, obj=region, request=request)
    now = timezone.now()
    rows = []
    for report in Report.objects.filter(region=region, state__in=OPEN_STATES).select_related(
        "owner"
    ):
        deadline = current_deadline(report)
        if deadline is None:
            continue
        rows.append(
            DeadlineRow(
                report=report,
                deadline=deadline,
                overdue=deadline.is_overdue(now),
                due_soon=deadline.is_due_soon(now),
            )
        )
    rows.sort(key=lambda r: (r.deadline.due_on, r.deadline.due_at is None, r.report.pk))
    if rows:
        record_access(
            user=user,
            action=AccessLogAction.VIEW,
            objects=[r.report for r in rows],
            roles=roles_for(user, Action.VIEW_REPORT, region),
            request=request,
        )
    return rows


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
