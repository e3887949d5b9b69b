"""Insights: small aggregate tables (rollups) that every figure is read from.

No row here holds personal data: a tally is a count (and a sum of seconds) per region, day,
hour, metric and key — "12 phone contacts in Utrecht on 3 March between 12:00 and 13:00". The
rollup (`rollup.py`) keeps them current from the facts; dashboards, the forecast and the
statistics export read only these tables (DESIGN.md: figures come from rollups).
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone

# `Tally.hour` for a fact counted per day only (reports, forms of violence, histograms).
WHOLE_DAY = -1


class Metric(models.TextChoices):
    # Per hour (key = channel): every registered contact; the same per day (read for weeks
    # and totals), and per month (day = the 1st) with key "channel:ISO weekday" for the heat
    # map of long periods: a national year is then a few hundred thousand rows fewer.
    CONTACTS = "contacts"
    CONTACTS_DAY = "contacts_day"
    CONTACTS_MONTH = "contacts_month"
    # Per day, advice contacts: key = form of violence / asker type / outcome.
    ADVICE_FORM = "advice_form"
    ADVICE_ASKER = "advice_asker"
    ADVICE_OUTCOME = "advice_outcome"
    # Per day, reports by day of receipt: key = channel / source / form / triage outcome.
    REPORTS = "reports"
    REPORT_SOURCE = "report_source"
    REPORT_FORM = "report_form"
    TRIAGE_OUTCOME = "triage_outcome"
    # Per day of receipt, the protocol's deadlines: key = on_time / late / open_overdue / open.
    ASSESSMENT = "assessment"
    INVESTIGATION = "investigation"
    FEEDBACK = "feedback"
    # Per hour, chats by the region of the visitor's postcode: key = offered / answered /
    # overflowed / abandoned / handled (total = seconds in conversation) / waited (total =
    # seconds waited before an answer).
    CHAT = "chat"
    CHAT_DAY = "chat_day"
    # Per day, histograms: key = seconds waited rounded up to 10 (to 60 past 10 minutes),
    # minutes talked.
    CHAT_WAIT = "chat_wait"
    CHAT_DURATION = "chat_duration"


# Per month (day = its 1st, hour = WHOLE_DAY), the sums of the day rows of these metrics, kept
# under the metric's name + MONTH_SUFFIX: a figure over a year reads 12 rows per region and key
# instead of 365 (`figures.tallies` takes whole months from them, the days around from days).
MONTH_SUFFIX = "@month"
MONTHLY = frozenset(
    {
        Metric.CONTACTS_DAY,
        Metric.ADVICE_FORM,
        Metric.ADVICE_ASKER,
        Metric.ADVICE_OUTCOME,
        Metric.REPORTS,
        Metric.REPORT_SOURCE,
        Metric.REPORT_FORM,
        Metric.TRIAGE_OUTCOME,
        Metric.ASSESSMENT,
        Metric.INVESTIGATION,
        Metric.FEEDBACK,
        Metric.CHAT_DAY,
        Metric.CHAT_WAIT,
        Metric.CHAT_DURATION,
    }
)


def month_metric(metric: str) -> str:
    return f"{metric}{MONTH_SUFFIX}"


class Tally(models.Model):
    region = models.ForeignKey("regions.Region", on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    hour = models.SmallIntegerField(default=WHOLE_DAY)
    metric = models.CharField(max_length=24, choices=Metric.choices)
    key = models.CharField(max_length=40)
    count = models.IntegerField(default=0)
    total = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["metric", "region", "day", "hour", "key"], name="one_tally_per_bucket"
            )
        ]
        indexes = [
            # Every figure reads one metric over a range of days and sums count (and total):
            # with the sums in the index PostgreSQL answers from the index alone, without
            # visiting the table — a national year went from 0.7 s to 0.37 s of queries.
            # (SQLite ignores `include` and keeps a plain index.)
            models.Index(
                fields=["metric", "day", "region", "hour", "key"],
                include=["count", "total"],
                name="tally_metric_day_sums",
            )
        ]

    def __str__(self) -> str:
        return f"{self.metric}/{self.key} {self.region_id} {self.day} {self.hour}: {self.count}"


class SnapshotMetric(models.TextChoices):
    # key = whole days the transfer has waited for acceptance (capped at 99)
    TRANSFER_WAITING = "transfer_waiting"
    # key = due / overdue
    MONITORING = "monitoring"
    # key = the employee's user id
    CASELOAD_REPORTS = "caseload_reports"
    CASELOAD_DOSSIERS = "caseload_dossiers"
    CASELOAD_CHATS = "caseload_chats"


class Snapshot(models.Model):
    """How things stand now (not per day): replaced on every rollup run."""

    region = models.ForeignKey("regions.Region", on_delete=models.CASCADE, related_name="+")
    metric = models.CharField(max_length=24, choices=SnapshotMetric.choices)
    key = models.CharField(max_length=40)
    count = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["metric", "region", "key"], name="one_snapshot_cell")
        ]

    def __str__(self) -> str:
        return f"{self.metric}/{self.key} {self.region_id}: {self.count}"


class RollupState(models.Model):
    """Where the incremental rollup stopped reading each kind of fact (one row)."""

    last_contact_id = models.BigIntegerField(default=0)
    last_conversation_id = models.BigIntegerField(default=0)
    last_journal_id = models.BigIntegerField(default=0)
    last_feedback_id = models.BigIntegerField(default=0)
    last_run_at = models.DateTimeField(null=True, blank=True)
    snapshot_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"rollup at {self.last_run_at}"
