"""The rollup: counts the facts (contacts, chats, reports) into `Tally` and `Snapshot`.

`refresh()` is incremental: it re-aggregates only the days that may have changed — the last
`INSIGHTS_ROLLUP_RECENT_DAYS` days, the days of facts added since the last run (by id), the
receipt days of reports with a new journal entry or reporter feedback, and the receipt days of
reports whose deadline passed since the last run (an open deadline turns into a missed one
without any new fact). A day is always re-counted whole, for every region, so a tally is
never half old and half new. `rebuild()` re-counts everything (the `rebuild_insights`
command). Both read the other apps' tables but never write them, so no other app has to call
this module (ADR 0025).

Days and hours are local time (Europe/Amsterdam): a contact at 23:30 belongs to that evening.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Case, CharField, Count, Max, Min, Q, Sum, Value, When
from django.db.models.functions import ExtractHour, ExtractIsoWeekDay, TruncDate
from django.utils import timezone

from vangnet.chat.models import Conversation, ConversationStatus
from vangnet.contacts.models import AdviceDossier, Contact
from vangnet.core.workdays import add_working_days
from vangnet.reports.models import JournalEntry, MonitoringMoment, Report, ReporterFeedback
from vangnet.reports.workflow import OPEN_STATES, ReportState

from .models import (
    MONTHLY,
    WHOLE_DAY,
    Metric,
    RollupState,
    Snapshot,
    SnapshotMetric,
    Tally,
    month_metric,
)

logger = logging.getLogger(__name__)

# The cap of the histograms: a wait of more than an hour counts as an hour, a chat of more
# than three hours as three hours.
MAX_WAIT_SECONDS = 3600
MAX_DURATION_MINUTES = 180
MAX_TRANSFER_DAYS = 99

Bucket = tuple[str, int, date, int, str]  # metric, region id, day, hour, key


def _local(moment: datetime) -> tuple[date, int]:
    local = timezone.localtime(moment)
    return local.date(), local.hour


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def report_source(*, is_professional: bool | None, sector: str | None) -> str:
    """Who reported, as CBS counts it: the police, a professional's sector, or a citizen."""
    if is_professional is None:
        return "unknown"
    if sector == "police":
        return "police"
    if is_professional:
        return sector or "other"
    return "citizen"


def classify(*, done_on: date | None, due_on: date | None, today: date, closed: bool) -> str:
    """on_time / late for a step taken; open_overdue / open for one still to take."""
    if due_on is None:
        return ""
    if done_on is not None:
        return "on_time" if done_on <= due_on else "late"
    if closed:
        return ""  # closed without this step: not measured
    return "open_overdue" if due_on < today else "open"


class _Counter:
    def __init__(self) -> None:
        self.cells: dict[Bucket, list[int]] = defaultdict(lambda: [0, 0])

    def add(self, bucket: Bucket, count: int = 1, total: int = 0) -> None:
        cell = self.cells[bucket]
        cell[0] += count
        cell[1] += total


def _count_contacts(counter: _Counter, start: datetime, end: datetime) -> None:
    facts = Contact.objects.filter(received_at__gte=start, received_at__lt=end)
    per_hour = (
        facts.annotate(d=TruncDate("received_at"), h=ExtractHour("received_at"))
        .values("region_id", "d", "h", "channel")
        .annotate(n=Count("id"))
    )
    for row in per_hour:
        counter.add(
            (Metric.CONTACTS, row["region_id"], row["d"], row["h"], row["channel"]), row["n"]
        )
        counter.add(
            (Metric.CONTACTS_DAY, row["region_id"], row["d"], WHOLE_DAY, row["channel"]), row["n"]
        )
    # Grouped in the database: a year of national contacts is millions of rows, but only
    # a few hundred combinations per day.
    per_day = facts.annotate(d=TruncDate("received_at"))
    for asker in per_day.values("region_id", "d", "asker_type").annotate(n=Count("id")):
        counter.add(
            (Metric.ADVICE_ASKER, asker["region_id"], asker["d"], WHOLE_DAY, asker["asker_type"]),
            asker["n"],
        )
    outcome = Case(
        When(~Q(referral=""), then=Value("referred")),
        When(advised_to_report=True, then=Value("advised_to_report")),
        default=Value("advice"),
        output_field=CharField(),
    )
    outcomes = per_day.annotate(outcome=outcome).values("region_id", "d", "outcome")
    for result in outcomes.annotate(n=Count("id")):
        counter.add(
            (Metric.ADVICE_OUTCOME, result["region_id"], result["d"], WHOLE_DAY, result["outcome"]),
            result["n"],
        )
    for forms in per_day.values("region_id", "d", "forms_of_violence").annotate(n=Count("id")):
        for form in set(forms["forms_of_violence"] or []):
            counter.add(
                (Metric.ADVICE_FORM, forms["region_id"], forms["d"], WHOLE_DAY, str(form)[:40]),
                forms["n"],
            )


def wait_bucket(seconds: int) -> int:
    """Seconds waited, rounded up to 10 (to 60 past ten minutes): "answered within" bounds."""
    seconds = min(seconds, MAX_WAIT_SECONDS)
    step = 10 if seconds <= 600 else 60
    return -(-seconds // step) * step


def _count_chats(counter: _Counter, start: datetime, end: datetime) -> None:
    rows = Conversation.objects.filter(created_at__gte=start, created_at__lt=end).values_list(
        "home_region_id",
        "created_at",
        "accepted_at",
        "ended_at",
        "closed_at",
        "overflowed",
        "status",
    )
    for (
        region_id,
        created_at,
        accepted_at,
        ended_at,
        closed_at,
        overflowed,
        status,
    ) in rows.iterator(chunk_size=5000):
        day, hour = _local(created_at)

        def chat_add(
            key: str, seconds: int = 0, _r: int = region_id, _d: date = day, _h: int = hour
        ) -> None:
            # Per hour for the forecast, per day for the dashboard (far fewer rows to read).
            counter.add((Metric.CHAT, _r, _d, _h, key), 1, seconds)
            counter.add((Metric.CHAT_DAY, _r, _d, WHOLE_DAY, key), 1, seconds)

        chat_add("offered")
        if overflowed:
            chat_add("overflowed")
        if status == ConversationStatus.ABANDONED:
            chat_add("abandoned")
        if accepted_at is None:
            continue
        waited = max(0, int((accepted_at - created_at).total_seconds()))
        chat_add("answered")
        chat_add("waited", waited)
        counter.add((Metric.CHAT_WAIT, region_id, day, WHOLE_DAY, str(wait_bucket(waited))))
        finished = ended_at or closed_at
        if finished is not None:
            seconds = max(0, int((finished - accepted_at).total_seconds()))
            chat_add("handled", seconds)
            minutes = min(seconds // 60, MAX_DURATION_MINUTES)
            counter.add((Metric.CHAT_DURATION, region_id, day, WHOLE_DAY, str(minutes)))


def _count_reports(counter: _Counter, start: datetime, end: datetime, today: date) -> None:
    reports = Report.objects.filter(received_at__gte=start, received_at__lt=end)
    feedback_at = dict(
        ReporterFeedback.objects.filter(report__in=reports, kind=ReporterFeedback.Kind.TRIAGE)
        .values("report_id")
        .annotate(first=Min("at"))
        .values_list("report_id", "first")
    )
    rows = reports.values_list(
        "id",
        "region_id",
        "received_at",
        "channel",
        "forms_of_violence",
        "triage_outcome",
        "triage_at",
        "assessment_due_on",
        "investigation_started_at",
        "investigation_due_on",
        "investigation_concluded_at",
        "state",
        "reporter__is_professional",
        "reporter__sector",
    )
    feedback_days = settings.INSIGHTS_FEEDBACK_WORKING_DAYS
    for (
        report_id,
        region_id,
        received_at,
        channel,
        forms,
        outcome,
        triage_at,
        assessment_due_on,
        investigation_started_at,
        investigation_due_on,
        concluded_at,
        state,
        is_professional,
        sector,
    ) in rows.iterator(chunk_size=5000):
        day, _hour = _local(received_at)
        closed = state == ReportState.CLOSED

        def add(metric: str, key: str, _region: int = region_id, _day: date = day) -> None:
            if key:
                counter.add((metric, _region, _day, WHOLE_DAY, key))

        add(Metric.REPORTS, channel)
        add(Metric.REPORT_SOURCE, report_source(is_professional=is_professional, sector=sector))
        for form in set(forms or []):
            add(Metric.REPORT_FORM, str(form)[:40])
        add(Metric.TRIAGE_OUTCOME, outcome)
        triaged_on = _local(triage_at)[0] if triage_at else None
        # Handelingsprotocol: safety assessment including triage within 5 working days.
        add(
            Metric.ASSESSMENT,
            classify(done_on=triaged_on, due_on=assessment_due_on, today=today, closed=closed),
        )
        if investigation_started_at is not None:
            # Handelingsprotocol: an investigation takes at most 10 weeks.
            add(
                Metric.INVESTIGATION,
                classify(
                    done_on=_local(concluded_at)[0] if concluded_at else None,
                    due_on=investigation_due_on,
                    today=today,
                    closed=closed,
                ),
            )
        if triaged_on is not None:
            # Wmo 2015 art. 4.1.1: the reporter hears how the report is picked up.
            told = feedback_at.get(report_id)
            add(
                Metric.FEEDBACK,
                classify(
                    done_on=_local(told)[0] if told else None,
                    due_on=add_working_days(triaged_on, feedback_days),
                    today=today,
                    closed=False,
                ),
            )


def recount_days(days: Iterable[date], *, today: date | None = None) -> int:
    """Re-count the tallies of these days (all regions, all metrics). Returns rows written."""
    today = today or timezone.localdate()
    written = 0
    for first, last in _runs(sorted(set(days))):
        start, end = _day_start(first), _day_start(last + timedelta(days=1))
        counter = _Counter()
        _count_contacts(counter, start, end)
        _count_chats(counter, start, end)
        _count_reports(counter, start, end, today)
        with transaction.atomic():
            Tally.objects.filter(day__gte=first, day__lte=last).exclude(
                metric__in=MONTH_METRICS
            ).delete()
            Tally.objects.bulk_create(
                (
                    Tally(
                        metric=metric,
                        region_id=region,
                        day=day,
                        hour=hour,
                        key=key,
                        count=count,
                        total=total,
                    )
                    for (metric, region, day, hour, key), (count, total) in counter.cells.items()
                ),
                batch_size=5000,
            )
            written += len(counter.cells) + _recount_months(first, last)
    return written


# Every metric whose rows are sums per month, re-counted from day (or hour) rows by
# `_recount_months`.
MONTH_METRICS = [Metric.CONTACTS_MONTH, *(month_metric(metric) for metric in sorted(MONTHLY))]


def _recount_months(first: date, last: date) -> int:
    """The month rows of every month touched: the heat map's (from the hour rows) and the
    month sums of the day rows (`models.MONTHLY`)."""
    month = first.replace(day=1)
    written = 0
    while month <= last:
        after = (month + timedelta(days=32)).replace(day=1)
        Tally.objects.filter(metric__in=MONTH_METRICS, day=month).delete()
        sums = (
            Tally.objects.filter(metric__in=sorted(MONTHLY), day__gte=month, day__lt=after)
            .values("metric", "region_id", "key")
            .annotate(n=Sum("count"), t=Sum("total"))
        )
        month_sums = [
            Tally(
                metric=month_metric(row["metric"]),
                region_id=row["region_id"],
                day=month,
                hour=WHOLE_DAY,
                key=row["key"],
                count=row["n"],
                total=row["t"],
            )
            for row in sums
        ]
        Tally.objects.bulk_create(month_sums, batch_size=5000)
        written += len(month_sums)
        rows = (
            Tally.objects.filter(metric=Metric.CONTACTS, day__gte=month, day__lt=after)
            .annotate(weekday=ExtractIsoWeekDay("day"))
            .values("region_id", "hour", "key", "weekday")
            .annotate(n=Sum("count"))
        )
        cells = [
            Tally(
                metric=Metric.CONTACTS_MONTH,
                region_id=row["region_id"],
                day=month,
                hour=row["hour"],
                key=f"{row['key']}:{row['weekday']}",
                count=row["n"],
            )
            for row in rows
        ]
        Tally.objects.bulk_create(cells, batch_size=5000)
        written += len(cells)
        month = after
    return written


def _runs(days: list[date], longest: int = 31) -> Iterable[tuple[date, date]]:
    """Consecutive days as (first, last) runs of at most `longest` days."""
    run: list[date] = []
    for day in days:
        if run and (day - run[-1] != timedelta(days=1) or len(run) >= longest):
            yield run[0], run[-1]
            run = []
        run.append(day)
    if run:
        yield run[0], run[-1]


def refresh_snapshot(*, now: datetime | None = None) -> None:
    """How things stand now: transfers waiting, monitoring due, the caseload per employee."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    cells: dict[tuple[str, int, str], int] = defaultdict(int)
    waiting = Report.objects.filter(
        state=ReportState.TRANSFER_PENDING, transferred_at__isnull=False
    ).values_list("region_id", "transferred_at")
    for region_id, transferred_at in waiting:
        days = min((today - timezone.localdate(transferred_at)).days, MAX_TRANSFER_DAYS)
        cells[(SnapshotMetric.TRANSFER_WAITING, region_id, str(days))] += 1
    due_until = today + timedelta(days=settings.INSIGHTS_MONITORING_DUE_DAYS)
    moments = MonitoringMoment.objects.filter(
        recorded_at__isnull=True, planned_on__lte=due_until, report__state__in=OPEN_STATES
    ).values_list("report__region_id", "planned_on")
    for region_id, planned_on in moments:
        key = "overdue" if planned_on < today else "due"
        cells[(SnapshotMetric.MONITORING, region_id, key)] += 1
    open_reports = (
        Report.objects.filter(state__in=OPEN_STATES, owner__isnull=False)
        .values("region_id", "owner_id")
        .annotate(n=Count("id"))
    )
    for row in open_reports:
        cells[(SnapshotMetric.CASELOAD_REPORTS, row["region_id"], str(row["owner_id"]))] = row["n"]
    open_dossiers = (
        AdviceDossier.objects.filter(closed_at__isnull=True, owner__isnull=False)
        .values("region_id", "owner_id")
        .annotate(n=Count("id"))
    )
    for row in open_dossiers:
        cells[(SnapshotMetric.CASELOAD_DOSSIERS, row["region_id"], str(row["owner_id"]))] = row["n"]
    week_start = _day_start(today - timedelta(days=today.weekday()))
    chats = (
        Conversation.objects.filter(accepted_at__gte=week_start, assigned_to__isnull=False)
        .values("region_id", "assigned_to_id")
        .annotate(n=Count("id"))
    )
    for chat in chats:
        key = str(chat["assigned_to_id"])
        cells[(SnapshotMetric.CASELOAD_CHATS, chat["region_id"], key)] = chat["n"]
    with transaction.atomic():
        Snapshot.objects.all().delete()
        Snapshot.objects.bulk_create(
            Snapshot(metric=metric, region_id=region, key=key, count=count)
            for (metric, region, key), count in cells.items()
        )
        state = _state()
        state.snapshot_at = now
        state.save(update_fields=["snapshot_at"])


def _state() -> RollupState:
    state = RollupState.objects.select_for_update().order_by("pk").first()
    return state or RollupState.objects.create()


@dataclass(frozen=True)
class RefreshResult:
    days: int
    rows: int


def _days_of(moments: Iterable[datetime]) -> set[date]:
    return {timezone.localdate(moment) for moment in moments}


def refresh(*, now: datetime | None = None) -> RefreshResult:
    """The incremental run (see the module's docstring)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    with transaction.atomic():
        state = _state()
        since = timezone.localdate(state.last_run_at) if state.last_run_at else today
        days = {today - timedelta(days=n) for n in range(settings.INSIGHTS_ROLLUP_RECENT_DAYS + 1)}
        new_contacts = Contact.objects.filter(pk__gt=state.last_contact_id)
        days |= _days_of(new_contacts.values_list("received_at", flat=True))
        new_chats = Conversation.objects.filter(pk__gt=state.last_conversation_id)
        days |= _days_of(new_chats.values_list("created_at", flat=True))
        touched = JournalEntry.objects.filter(pk__gt=state.last_journal_id).values("report_id")
        told = ReporterFeedback.objects.filter(pk__gt=state.last_feedback_id).values("report_id")
        # Deadlines that ran out since the last run change "open" into "open_overdue".
        lapsed = (
            Report.objects.filter(
                assessment_due_on__gte=since - timedelta(days=1), assessment_due_on__lt=today
            )
            | Report.objects.filter(
                investigation_due_on__gte=since - timedelta(days=1), investigation_due_on__lt=today
            )
            | Report.objects.filter(triage_at__gte=_day_start(since - timedelta(days=21)))
        )
        days |= _days_of(
            Report.objects.filter(pk__in=touched).values_list("received_at", flat=True)
        )
        days |= _days_of(Report.objects.filter(pk__in=told).values_list("received_at", flat=True))
        days |= _days_of(lapsed.values_list("received_at", flat=True))
        marks = {
            "last_contact_id": Contact.objects.aggregate(m=Max("pk"))["m"] or 0,
            "last_conversation_id": Conversation.objects.aggregate(m=Max("pk"))["m"] or 0,
            "last_journal_id": JournalEntry.objects.aggregate(m=Max("pk"))["m"] or 0,
            "last_feedback_id": ReporterFeedback.objects.aggregate(m=Max("pk"))["m"] or 0,
        }
        rows = recount_days(days, today=today)
        for name, value in marks.items():
            setattr(state, name, value)
        state.last_run_at = now
        state.save()
    refresh_snapshot(now=now)
    logger.info("insights rollup: %s day(s), %s tally row(s)", len(days), rows)
    return RefreshResult(days=len(days), rows=rows)


def rebuild(*, now: datetime | None = None) -> RefreshResult:
    """Count everything again, from the first fact to today."""
    now = now or timezone.now()
    firsts = [
        Contact.objects.aggregate(m=Min("received_at"))["m"],
        Conversation.objects.aggregate(m=Min("created_at"))["m"],
        Report.objects.aggregate(m=Min("received_at"))["m"],
    ]
    today = timezone.localdate(now)
    first = min((timezone.localdate(m) for m in firsts if m), default=today)
    days = [first + timedelta(days=n) for n in range((today - first).days + 1)]
    with transaction.atomic():
        Tally.objects.filter(day__lt=first).delete()
        state = _state()
        state.last_run_at = None
        state.save()
    result_rows = recount_days(days, today=today)
    with transaction.atomic():
        state = _state()
        state.last_contact_id = Contact.objects.aggregate(m=Max("pk"))["m"] or 0
        state.last_conversation_id = Conversation.objects.aggregate(m=Max("pk"))["m"] or 0
        state.last_journal_id = JournalEntry.objects.aggregate(m=Max("pk"))["m"] or 0
        state.last_feedback_id = ReporterFeedback.objects.aggregate(m=Max("pk"))["m"] or 0
        state.last_run_at = now
        state.save()
    refresh_snapshot(now=now)
    _vacuum_tallies()
    return RefreshResult(days=len(days), rows=result_rows)


def _vacuum_tallies() -> None:
    """After rewriting every tally, mark the table's pages all-visible, so that the figures'
    index-only scans need not visit the table until autovacuum would have come round."""
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE insights_tally")
