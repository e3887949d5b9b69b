"""Reads of the reports register. Every read of personal data: policy first, then the log."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.paginator import Page, Paginator
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest
from django.utils import timezone

from vangnet.accounts.models import User
from vangnet.accounts.policy import (
    AccessDenied,
    Action,
    PartnerSystem,
    may,
    owns_transfer,
    roles_for,
    scope_own_transfers,
)
from vangnet.audit.models import AccessLogAction
from vangnet.audit.services import record_access
from vangnet.contacts.models import DossierPerson
from vangnet.regions.models import Region

from .models import Report, Reporter, ReportPerson
from .workflow import OPEN_STATES, ReportState

PAGE_SIZE = 25


def _refuse(user: User, action: Action, obj: object, request: HttpRequest | None) -> AccessDenied:
    record_access(user=user, action=AccessLogAction.REFUSED, obj=obj, request=request)  # type: ignore[arg-type]
    return AccessDenied(action=action, obj=obj, logged=True)


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
        raise _refuse(user, Action.VIEW_REPORT, region, request)
    queryset = Report.objects.filter(region=region).select_related("owner", "transferred_to")
    if state in ReportState.values:
        queryset = queryset.filter(state=state)
    elif state == "open":
        queryset = queryset.filter(state__in=OPEN_STATES)
    if overdue_only:
        queryset = _overdue(queryset, timezone.localdate())
    page_obj = Paginator(queryset, PAGE_SIZE).get_page(page)
    if page_obj.object_list:
        record_access(
            user=user,
            action=AccessLogAction.VIEW,
            objects=page_obj.object_list,
            roles=roles_for(user, Action.VIEW_REPORT, region),
            request=request,
        )
    return page_obj


def _overdue(queryset: QuerySet[Report], today: date) -> QuerySet[Report]:
    waiting = [ReportState.RECEIVED, ReportState.SAFETY_ASSESSED, ReportState.TRIAGE_PROPOSED]
    return queryset.filter(
        Q(state__in=waiting, assessment_due_on__lt=today)
        | Q(state=ReportState.RECEIVED, urgency_due_at__lt=timezone.now())
        | Q(state=ReportState.INVESTIGATING, investigation_due_on__lt=today)
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
        raise _refuse(user, Action.VIEW_REPORT, report, request)
    record_access(
        user=user,
        action=AccessLogAction.VIEW,
        obj=report,
        roles=roles_for(user, Action.VIEW_REPORT, report),
        request=request,
    )
    return report


def reporter_identity(
    *, user: User, report: Report, reason: str, request: HttpRequest | None
) -> Reporter:
    """The reporter's identity, only for roles that need it and with a stated reason; the
    access log says who saw it and why (DOMAIN.md: the identity is never shown otherwise)."""
    if not may(user, Action.VIEW_REPORTER_IDENTITY, report):
        raise _refuse(user, Action.VIEW_REPORTER_IDENTITY, report, request)
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


def find_earlier_history(report: Report) -> list[HistoryMatch]:
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
    return len(find_earlier_history(report))


def earlier_history(
    *, user: User, report: Report, request: HttpRequest | None
) -> list[HistoryMatch]:
    """What the employee sees on the report page; each display is logged."""
    if not may(user, Action.VIEW_REPORT, report):
        raise _refuse(user, Action.VIEW_REPORT, report, request)
    matches = find_earlier_history(report)
    if matches:
        record_access(
            user=user,
            action=AccessLogAction.VIEW,
            object_type="reports.history",
            object_id=",".join(f"{m.kind}:{m.pk}" for m in matches)[:255],
            roles=roles_for(user, Action.VIEW_REPORT, report),
            request=request,
            reason=f"eerdere geschiedenis bij melding {report.reference}",
        )
    return matches


# --- Deadlines overview ---------------------------------------------------------------


@dataclass(frozen=True)
class DeadlineRow:
    report: Report
    what: str
    due: date
    overdue: bool
    due_soon: bool


def deadline_overview(*, user: User, region: Region, request: HttpRequest) -> list[DeadlineRow]:
    """The team's open deadlines, soonest first (a team = the region's Veilig Thuis)."""
    if not may(user, Action.VIEW_REPORT, region):
        raise _refuse(user, Action.VIEW_REPORT, region, request)
    from vangnet.core.workdays import working_days_between

    today = timezone.localdate()
    rows = []
    for report in Report.objects.filter(region=region, state__in=OPEN_STATES).select_related(
        "owner"
    ):
        what, due = report.current_deadline()
        if due is None:
            continue
        rows.append(
            DeadlineRow(
                report=report,
                what=what,
                due=due,
                overdue=due < today,
                due_soon=due >= today and working_days_between(today, due) <= 1,
            )
        )
    rows.sort(key=lambda r: r.due)
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
    return open_reports.count(), _overdue(open_reports, timezone.localdate()).count()


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
