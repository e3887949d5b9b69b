"""The dashboard's figures, read from the rollup tables only (never from the records).

Each function takes a scope's region ids and a period and returns plain numbers; `dashboard`
puts them together for the period and the same period a year earlier.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.db.models import Q, QuerySet, Sum
from django.db.models.functions import ExtractIsoWeekDay

from vangnet.accounts.models import User
from vangnet.contacts.models import Channel

from .models import MONTHLY, Metric, Snapshot, SnapshotMetric, Tally, month_metric
from .selectors import Period


def day_tallies(region_ids: tuple[int, ...], period: Period, metric: str) -> QuerySet[Tally]:
    """The day (or hour) rows of a metric: for figures per day or per week."""
    return Tally.objects.filter(
        metric=metric, region_id__in=region_ids, day__gte=period.start, day__lte=period.end
    )


def tallies(region_ids: tuple[int, ...], period: Period, metric: str) -> QuerySet[Tally]:
    """The rows of a metric that together count the period once: for a metric with month
    sums, the whole months from those and the days around them from the day rows. Group
    them by key (or by region, or by `day.month`); never by day."""
    months = _whole_months(period) if metric in MONTHLY else None
    if months is None:
        return day_tallies(region_ids, period, metric)
    first, last = months
    after_last = (last + timedelta(days=32)).replace(day=1)
    return Tally.objects.filter(region_id__in=region_ids).filter(
        Q(metric=metric, day__gte=period.start, day__lt=first)
        | Q(metric=metric, day__gte=after_last, day__lte=period.end)
        | Q(metric=month_metric(metric), day__gte=first, day__lte=last)
    )


def sums_by_key(region_ids: tuple[int, ...], period: Period, metric: str) -> dict[str, int]:
    rows = tallies(region_ids, period, metric).values("key").annotate(n=Sum("count"))
    return {row["key"]: row["n"] for row in rows}


def totals_by_key(region_ids: tuple[int, ...], period: Period, metric: str) -> dict[str, int]:
    rows = tallies(region_ids, period, metric).values("key").annotate(t=Sum("total"))
    return {row["key"]: row["t"] for row in rows}


def _whole_months(period: Period) -> tuple[date, date] | None:
    """The first days of the first and the last whole month inside the period."""
    start = period.start
    first = start if start.day == 1 else (start + timedelta(days=32)).replace(day=1)
    last_after = (period.end + timedelta(days=1)).replace(day=1)
    if first >= last_after:
        return None
    return first, (last_after - timedelta(days=1)).replace(day=1)


def heat_map(region_ids: tuple[int, ...], period: Period) -> dict[str, list[list[int]]]:
    """Contacts per channel: 7 weekdays (Monday first) x 24 hours. Whole months come from the
    month rows, the days around them from the hour rows."""
    grid = {channel: [[0] * 24 for _ in range(7)] for channel in Channel.values}
    months = _whole_months(period)
    day_rows = day_tallies(region_ids, period, Metric.CONTACTS)
    if months is not None:
        month_end = (months[1] + timedelta(days=32)).replace(day=1) - timedelta(days=1)
        day_rows = day_rows.exclude(day__gte=months[0], day__lte=month_end)
        month_rows = (
            day_tallies(region_ids, Period(months[0], months[1]), Metric.CONTACTS_MONTH)
            .values("key", "hour")
            .annotate(n=Sum("count"))
        )
        for cell in month_rows:
            channel, weekday = cell["key"].split(":")
            if channel in grid:
                grid[channel][int(weekday) - 1][cell["hour"]] += cell["n"]
    rows = (
        day_rows.annotate(weekday=ExtractIsoWeekDay("day"))
        .values("key", "weekday", "hour")
        .annotate(n=Sum("count"))
    )
    for row in rows:
        if row["key"] in grid:
            grid[row["key"]][row["weekday"] - 1][row["hour"]] += row["n"]
    return grid


def weekly(region_ids: tuple[int, ...], period: Period, metric: str) -> dict[date, int]:
    """Per week (its Monday), the sum of a metric."""
    rows = day_tallies(region_ids, period, metric).values("day").annotate(n=Sum("count"))
    weeks: dict[date, int] = defaultdict(int)
    for row in rows:
        weeks[row["day"] - timedelta(days=row["day"].weekday())] += row["n"]
    return dict(weeks)


def percentile(histogram: dict[int, int], share: float) -> int | None:
    """Nearest rank: the smallest value with at least `share` of the observations at or below."""
    count = sum(histogram.values())
    if not count:
        return None
    rank = max(1, math.ceil(share * count))
    seen = 0
    for value in sorted(histogram):
        seen += histogram[value]
        if seen >= rank:
            return value
    return None


# Minutes: the chat's duration distribution in these bins (DOMAIN.md: usually 15-20, outliers 90).
DURATION_BINS = (0, 5, 10, 15, 20, 30, 45, 60, 90)


def duration_bins(histogram: dict[int, int]) -> list[tuple[str, int]]:
    counts = [0] * len(DURATION_BINS)
    for minutes, n in histogram.items():
        index = max(i for i, low in enumerate(DURATION_BINS) if minutes >= low)
        counts[index] += n
    labels = [
        f"{low}-{DURATION_BINS[i + 1] - 1}" if i + 1 < len(DURATION_BINS) else f"≥ {low}"
        for i, low in enumerate(DURATION_BINS)
    ]
    return list(zip(labels, counts, strict=True))


def share(part: int, whole: int) -> float | None:
    return None if not whole else part / whole


@dataclass
class ChatFigures:
    offered: int
    answered: int
    overflowed: int
    abandoned: int
    wait_p50: int | None
    wait_p90: int | None
    average_handling_seconds: float | None
    durations: list[tuple[str, int]]

    @property
    def overflow_share(self) -> float | None:
        return share(self.overflowed, self.offered)

    @property
    def abandoned_share(self) -> float | None:
        return share(self.abandoned, self.offered)


def chat_figures(region_ids: tuple[int, ...], period: Period) -> ChatFigures:
    rows = (
        tallies(region_ids, period, Metric.CHAT_DAY)
        .values("key")
        .annotate(n=Sum("count"), t=Sum("total"))
    )
    counts = {row["key"]: row["n"] for row in rows}
    totals = {row["key"]: row["t"] for row in rows}
    waits = {int(k): n for k, n in sums_by_key(region_ids, period, Metric.CHAT_WAIT).items()}
    minutes = {int(k): n for k, n in sums_by_key(region_ids, period, Metric.CHAT_DURATION).items()}
    handled = counts.get("handled", 0)
    return ChatFigures(
        offered=counts.get("offered", 0),
        answered=counts.get("answered", 0),
        overflowed=counts.get("overflowed", 0),
        abandoned=counts.get("abandoned", 0),
        wait_p50=percentile(waits, 0.5),
        wait_p90=percentile(waits, 0.9),
        average_handling_seconds=(totals.get("handled", 0) / handled) if handled else None,
        durations=duration_bins(minutes),
    )


@dataclass
class Timeliness:
    """Reports by day of receipt: the step taken in time, late, still open past its date, open."""

    on_time: int = 0
    late: int = 0
    open_overdue: int = 0
    open: int = 0
    norm_percent: int = 0

    @property
    def measured(self) -> int:
        return self.on_time + self.late + self.open_overdue

    @property
    def on_time_share(self) -> float | None:
        return share(self.on_time, self.measured)

    @property
    def meets_norm(self) -> bool | None:
        value = self.on_time_share
        return None if value is None else value * 100 >= self.norm_percent


def timeliness(region_ids: tuple[int, ...], period: Period, metric: str, norm: int) -> Timeliness:
    counts = sums_by_key(region_ids, period, metric)
    return Timeliness(
        on_time=counts.get("on_time", 0),
        late=counts.get("late", 0),
        open_overdue=counts.get("open_overdue", 0),
        open=counts.get("open", 0),
        norm_percent=norm,
    )


@dataclass
class CaseloadRow:
    employee: str
    open_reports: int = 0
    open_dossiers: int = 0
    chats_this_week: int = 0


def caseload(region_ids: tuple[int, ...]) -> list[CaseloadRow]:
    """Per employee (staff are named: the team lead divides the work; no client data)."""
    rows: dict[int, CaseloadRow] = {}
    columns: dict[str, str] = {
        SnapshotMetric.CASELOAD_REPORTS: "open_reports",
        SnapshotMetric.CASELOAD_DOSSIERS: "open_dossiers",
        SnapshotMetric.CASELOAD_CHATS: "chats_this_week",
    }
    cells = Snapshot.objects.filter(region_id__in=region_ids, metric__in=list(columns))
    names = {}
    for cell in cells:
        user_id = int(cell.key)
        if user_id not in rows:
            rows[user_id] = CaseloadRow(employee="")
        setattr(
            rows[user_id],
            columns[cell.metric],
            getattr(rows[user_id], columns[cell.metric]) + cell.count,
        )
    for user in User.objects.filter(pk__in=list(rows)):
        names[user.pk] = user.get_full_name() or user.username
    for user_id, row in rows.items():
        row.employee = names.get(user_id, str(user_id))
    return sorted(rows.values(), key=lambda r: r.employee)


@dataclass
class Now:
    transfers_waiting_over: int
    transfers_waiting: int
    wait_days: int
    monitoring_due: int
    monitoring_overdue: int
    caseload: list[CaseloadRow] = field(default_factory=list)


def now_figures(region_ids: tuple[int, ...], *, wait_days: int) -> Now:
    cells = Snapshot.objects.filter(region_id__in=region_ids)
    waiting = over = due = overdue = 0
    for cell in cells.filter(
        metric__in=[SnapshotMetric.TRANSFER_WAITING, SnapshotMetric.MONITORING]
    ):
        if cell.metric == SnapshotMetric.TRANSFER_WAITING:
            waiting += cell.count
            if int(cell.key) > wait_days:
                over += cell.count
        elif cell.key == "overdue":
            overdue += cell.count
        else:
            due += cell.count
    return Now(
        transfers_waiting_over=over,
        transfers_waiting=waiting,
        wait_days=wait_days,
        monitoring_due=due,
        monitoring_overdue=overdue,
        caseload=caseload(region_ids),
    )


@dataclass
class PeriodFigures:
    period: Period
    heat_map: dict[str, list[list[int]]]
    advice_weekly: dict[date, int]
    reports_weekly: dict[date, int]
    advice_total: int
    reports_total: int
    report_sources: dict[str, int]
    report_forms: dict[str, int]
    chat: ChatFigures
    assessment: Timeliness
    investigation: Timeliness
    feedback: Timeliness
    triage_outcomes: dict[str, int]


def period_figures(region_ids: tuple[int, ...], period: Period) -> PeriodFigures:
    advice_weekly = weekly(region_ids, period, Metric.CONTACTS_DAY)
    reports_weekly = weekly(region_ids, period, Metric.REPORTS)
    return PeriodFigures(
        period=period,
        heat_map=heat_map(region_ids, period),
        advice_weekly=advice_weekly,
        reports_weekly=reports_weekly,
        advice_total=sum(advice_weekly.values()),
        reports_total=sum(reports_weekly.values()),
        report_sources=sums_by_key(region_ids, period, Metric.REPORT_SOURCE),
        report_forms=sums_by_key(region_ids, period, Metric.REPORT_FORM),
        chat=chat_figures(region_ids, period),
        assessment=timeliness(
            region_ids, period, Metric.ASSESSMENT, settings.INSIGHTS_ASSESSMENT_NORM_PERCENT
        ),
        investigation=timeliness(
            region_ids, period, Metric.INVESTIGATION, settings.INSIGHTS_INVESTIGATION_NORM_PERCENT
        ),
        feedback=timeliness(region_ids, period, Metric.FEEDBACK, 100),
        triage_outcomes=sums_by_key(region_ids, period, Metric.TRIAGE_OUTCOME),
    )


@dataclass
class Dashboard:
    current: PeriodFigures
    earlier: PeriodFigures
    now: Now


def dashboard(region_ids: tuple[int, ...], period: Period, *, wait_days: int) -> Dashboard:
    return Dashboard(
        current=period_figures(region_ids, period),
        earlier=period_figures(region_ids, period.year_earlier()),
        now=now_figures(region_ids, wait_days=wait_days),
    )
