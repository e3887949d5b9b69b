"""The deadlines of the Handelingsprotocol Veilig Thuis, in one place.

Which deadline applies in which state, when it counts as overdue or due soon, and the same
rule as a database filter — so the home page, the register, the deadlines overview, the report
page and the reminders can never disagree. Working days come from `core.workdays` only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from django.db import models
from django.db.models import Case, F, Q, QuerySet, Value, When
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vangnet.core.workdays import working_days_between

from .workflow import ReportState

if TYPE_CHECKING:
    from .models import Report


class DeadlineKind(models.TextChoices):
    # Handelingsprotocol: acute unsafety → action within 24 hours of receipt.
    URGENCY = "urgency", _("acute actie")
    # Handelingsprotocol: safety assessment including triage within 5 working days.
    ASSESSMENT = "assessment", _("veiligheidsbeoordeling en triage")
    # Handelingsprotocol: an investigation takes at most 10 weeks.
    INVESTIGATION = "investigation", _("onderzoek")


# The states in which the safety assessment (with triage) is still to be completed.
ASSESSMENT_STATES = frozenset(
    {ReportState.RECEIVED, ReportState.SAFETY_ASSESSED, ReportState.TRIAGE_PROPOSED}
)
# "Due soon": due within this many working days (and not overdue).
DUE_SOON_WORKING_DAYS = 1


@dataclass(frozen=True)
class Deadline:
    kind: DeadlineKind
    due_on: date
    # The exact moment for a deadline in hours (acute: 24 hours); None for a day deadline,
    # which runs to the end of `due_on`.
    due_at: datetime | None = None

    @property
    def label(self) -> str:
        return str(self.kind.label)

    def is_overdue(self, now: datetime | None = None) -> bool:
        now = now or timezone.now()
        if self.due_at is not None:
            return self.due_at < now
        return self.due_on < timezone.localdate(now)

    def is_due_soon(self, now: datetime | None = None) -> bool:
        now = now or timezone.now()
        if self.is_overdue(now):
            return False
        return working_days_between(timezone.localdate(now), self.due_on) <= DUE_SOON_WORKING_DAYS


def _urgency_applies(report: Report) -> bool:
    return bool(report.is_acute and report.state == ReportState.RECEIVED and report.urgency_due_at)


def deadlines_of(report: Report) -> list[Deadline]:
    """Every deadline running for the report now, the most pressing first (for reminders)."""
    running: list[Deadline] = []
    if _urgency_applies(report):
        due_at = report.urgency_due_at
        assert due_at is not None  # checked by _urgency_applies
        running.append(
            Deadline(DeadlineKind.URGENCY, due_on=timezone.localtime(due_at).date(), due_at=due_at)
        )
    if report.state in ASSESSMENT_STATES and report.assessment_due_on:
        running.append(Deadline(DeadlineKind.ASSESSMENT, due_on=report.assessment_due_on))
    if report.state == ReportState.INVESTIGATING and report.investigation_due_on:
        running.append(Deadline(DeadlineKind.INVESTIGATION, due_on=report.investigation_due_on))
    return running


def current_deadline(report: Report) -> Deadline | None:
    """The deadline the report is measured against now (the acute action before the rest)."""
    running = deadlines_of(report)
    return running[0] if running else None


def overdue_filter(now: datetime | None = None) -> Q:
    """`current_deadline(report).is_overdue(now)`, as a filter on reports."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    urgency_applies = Q(state=ReportState.RECEIVED, is_acute=True, urgency_due_at__isnull=False)
    return (
        (urgency_applies & Q(urgency_due_at__lt=now))
        | (Q(state__in=ASSESSMENT_STATES, assessment_due_on__lt=today) & ~urgency_applies)
        | Q(state=ReportState.INVESTIGATING, investigation_due_on__lt=today)
    )


def due_soon_until(now: datetime | None = None) -> date:
    """The last day on which a deadline that is not overdue counts as due soon."""
    today = timezone.localdate(now or timezone.now())
    last = today
    while working_days_between(today, last + timedelta(days=1)) <= DUE_SOON_WORKING_DAYS:
        last += timedelta(days=1)
    return last


def with_current_deadline(reports: QuerySet[Report]) -> QuerySet[Report]:
    """`current_deadline(report)` in the database, for sorting and counting without loading
    the reports: `deadline_on` (its day) and `deadline_by_day` (0 for the acute deadline in
    hours, which goes first on its day). Reports without a running deadline are left out."""
    urgency_applies = Q(state=ReportState.RECEIVED, is_acute=True, urgency_due_at__isnull=False)
    return reports.annotate(
        deadline_on=Case(
            When(
                urgency_applies,
                then=TruncDate("urgency_due_at", tzinfo=timezone.get_current_timezone()),
            ),
            When(state__in=ASSESSMENT_STATES, then=F("assessment_due_on")),
            When(state=ReportState.INVESTIGATING, then=F("investigation_due_on")),
            default=None,
            output_field=models.DateField(),
        ),
        deadline_by_day=Case(
            When(urgency_applies, then=Value(0)),
            default=Value(1),
            output_field=models.IntegerField(),
        ),
    ).exclude(deadline_on=None)


def due_soon_filter(now: datetime | None = None) -> Q:
    """`current_deadline(report).is_due_soon(now)`, on reports `with_current_deadline`."""
    return Q(deadline_on__lte=due_soon_until(now)) & ~overdue_filter(now)
