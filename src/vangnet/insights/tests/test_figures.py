"""Each figure of the dashboard against data counted by hand (rollup → figures)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db.models import Sum

from vangnet.accounts.models import Role
from vangnet.chat.models import Conversation, ConversationStatus
from vangnet.contacts.models import Channel
from vangnet.core.workdays import add_working_days
from vangnet.insights import figures, rollup
from vangnet.insights.models import MONTHLY, Metric
from vangnet.insights.selectors import Period
from vangnet.reports.models import Report, Reporter, ReporterFeedback
from vangnet.reports.workflow import ReportState
from vangnet.testing.factories import (
    AdviceDossierFactory,
    ContactFactory,
    RegionFactory,
    make_user,
)

pytestmark = pytest.mark.django_db
AMS = ZoneInfo("Europe/Amsterdam")


def at(day: date, hour: int, minute: int = 0, second: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, second, tzinfo=AMS)


MONDAY = date(2026, 3, 2)
TUESDAY = date(2026, 3, 3)
NOW = at(date(2026, 5, 14), 9)
PERIOD = Period(date(2026, 3, 1), date(2026, 4, 30))


def chat(region, start: datetime, *, wait: int | None, minutes: int | None = None, **extra):
    accepted = start + timedelta(seconds=wait) if wait is not None else None
    return Conversation.objects.create(
        region=region,
        home_region=region,
        created_at=start,
        queued_at=start,
        accepted_at=accepted,
        ended_at=accepted + timedelta(minutes=minutes) if accepted and minutes else None,
        status=extra.pop("status", ConversationStatus.CLOSED),
        **extra,
    )


def report(region, by, received: datetime, *, source=("police", True), **fields):
    values = {
        "assessment_due_on": add_working_days(received.date(), 5),
        "state": ReportState.TRIAGED,
    }
    values.update(fields)
    made = Report.objects.create(
        region=region,
        received_by=by,
        channel=Channel.PHONE,
        received_at=received,
        forms_of_violence=["physical_abuse"],
        concerns="zorgen",
        **values,
    )
    sector, professional = source
    Reporter.objects.create(report=made, name="x", is_professional=professional, sector=sector)
    return made


@pytest.fixture
def utrecht():
    region = RegionFactory.create(name="Utrecht")
    twente = RegionFactory.create(name="Twente")
    # Contacts: three phone calls and a chat on Monday 12:xx, a call on Tuesday 16:10.
    for minute in (5, 20, 40):
        ContactFactory.create(
            region=region, channel=Channel.PHONE, received_at=at(MONDAY, 12, minute)
        )
    ContactFactory.create(region=region, channel=Channel.CHAT, received_at=at(MONDAY, 12, 30))
    ContactFactory.create(region=region, channel=Channel.PHONE, received_at=at(TUESDAY, 16, 10))
    ContactFactory.create(region=twente, channel=Channel.PHONE, received_at=at(MONDAY, 12, 10))
    # A year earlier (Monday 3 March 2025): two calls.
    for minute in (1, 2):
        ContactFactory.create(
            region=region, channel=Channel.PHONE, received_at=at(date(2025, 3, 3), 9, minute)
        )
    # Chats: waits 10, 20, 30, 40 and 200 s (the last overflowed), one left unanswered.
    for n, (wait, minutes) in enumerate([(10, 15), (20, 18), (30, 20), (40, 16)]):
        chat(region, at(MONDAY, 12, n), wait=wait, minutes=minutes)
    chat(region, at(MONDAY, 16, 0), wait=200, minutes=90, overflowed=True)
    chat(region, at(MONDAY, 16, 5), wait=None, status=ConversationStatus.ABANDONED)
    return region


def test_heat_map_counts_contacts_per_channel_weekday_and_hour(utrecht):
    rollup.rebuild(now=NOW)
    grid = figures.heat_map((utrecht.pk,), PERIOD)
    assert grid["phone"][0][12] == 3  # Monday 12:00-13:00
    assert grid["chat"][0][12] == 1
    assert grid["phone"][1][16] == 1  # Tuesday 16:00-17:00
    assert sum(map(sum, grid["phone"])) == 4  # Twente's call is not Utrecht's
    earlier = figures.heat_map((utrecht.pk,), PERIOD.year_earlier())
    assert earlier["phone"][0][9] == 2


def test_chat_waiting_overflow_abandonment_and_duration(utrecht):
    rollup.rebuild(now=NOW)
    chat_figures = figures.chat_figures((utrecht.pk,), PERIOD)
    assert chat_figures.offered == 6
    assert chat_figures.answered == 5
    # Nearest rank over 10, 20, 30, 40, 200 s: the 3rd and the 5th.
    assert chat_figures.wait_p50 == 30
    assert chat_figures.wait_p90 == 200
    assert chat_figures.overflow_share == pytest.approx(1 / 6)
    assert chat_figures.abandoned_share == pytest.approx(1 / 6)
    assert chat_figures.average_handling_seconds == pytest.approx((15 + 18 + 20 + 16 + 90) * 60 / 5)
    assert dict(chat_figures.durations) == {
        "0-4": 0,
        "5-9": 0,
        "10-14": 0,
        "15-19": 3,
        "20-29": 1,
        "30-44": 0,
        "45-59": 0,
        "60-89": 0,
        "≥ 90": 1,
    }


def test_assessment_deadline_counts_working_days_across_kings_day(utrecht):
    lead = make_user(Role.TEAM_LEAD, region=utrecht)
    thursday = date(2026, 4, 23)
    # 5 working days after Thursday 23 April: 24, 28, 29, 30 April, 1 May (27 April is
    # King's Day).
    assert add_working_days(thursday, 5) == date(2026, 5, 1)
    on_time = report(utrecht, lead, at(thursday, 10), triage_at=at(date(2026, 5, 1), 16))
    late = report(
        utrecht,
        lead,
        at(thursday, 11),
        triage_at=at(date(2026, 5, 4), 9),
        source=("education", True),
    )
    report(utrecht, lead, at(thursday, 12), state=ReportState.RECEIVED, source=("", False))
    # Feedback within 5 working days of the triage: from 1 May that is Monday 11 May (5 May,
    # Liberation Day, does not count); from 4 May it is Tuesday 12 May.
    ReporterFeedback.objects.create(
        report=on_time, kind=ReporterFeedback.Kind.TRIAGE, at=at(date(2026, 5, 11), 17)
    )
    ReporterFeedback.objects.create(
        report=late, kind=ReporterFeedback.Kind.TRIAGE, at=at(date(2026, 5, 13), 9)
    )
    # Investigations: 10 weeks; one concluded in time, one after.
    start = at(date(2026, 3, 2), 9)
    due = date(2026, 5, 11)
    report(
        utrecht,
        lead,
        start,
        triage_at=start,
        investigation_started_at=start,
        investigation_due_on=due,
        investigation_concluded_at=at(due, 15),
        state=ReportState.INVESTIGATED,
    )
    report(
        utrecht,
        lead,
        start,
        triage_at=start,
        investigation_started_at=start,
        investigation_due_on=due,
        investigation_concluded_at=at(due + timedelta(days=1), 9),
        state=ReportState.INVESTIGATED,
    )

    rollup.rebuild(now=NOW)

    april = Period(date(2026, 4, 1), date(2026, 4, 30))
    assessment = figures.timeliness((utrecht.pk,), april, "assessment", 90)
    assert (assessment.on_time, assessment.late, assessment.open_overdue) == (1, 1, 1)
    assert assessment.on_time_share == pytest.approx(1 / 3)
    assert assessment.meets_norm is False
    feedback = figures.timeliness((utrecht.pk,), april, "feedback", 100)
    assert (feedback.on_time, feedback.late) == (1, 1)
    investigation = figures.timeliness((utrecht.pk,), PERIOD, "investigation", 80)
    assert (investigation.on_time, investigation.late) == (1, 1)
    assert figures.sums_by_key((utrecht.pk,), april, "report_source") == {
        "police": 1,
        "education": 1,
        "citizen": 1,
    }


def test_the_incremental_run_counts_new_facts_and_lapsed_deadlines(utrecht):
    lead = make_user(Role.TEAM_LEAD, region=utrecht)
    rollup.rebuild(now=at(date(2026, 4, 24), 9))
    waiting = report(utrecht, lead, at(date(2026, 4, 23), 10), state=ReportState.RECEIVED)
    ContactFactory.create(region=utrecht, channel=Channel.WRITTEN, received_at=at(MONDAY, 9))

    rollup.refresh(now=at(date(2026, 4, 24), 9, 15))
    week = Period(date(2026, 4, 20), date(2026, 4, 26))
    assert figures.timeliness((utrecht.pk,), week, "assessment", 90).open == 1
    assert figures.heat_map((utrecht.pk,), PERIOD)["written"][0][9] == 1

    # Nothing happens to the report, but its deadline (1 May) passes.
    assert waiting.assessment_due_on == date(2026, 5, 1)
    rollup.refresh(now=at(date(2026, 5, 2), 9))
    assert figures.timeliness((utrecht.pk,), week, "assessment", 90).open_overdue == 1


def test_now_transfers_waiting_monitoring_and_caseload_per_employee(utrecht):
    lead = make_user(Role.TEAM_LEAD, region=utrecht, first_name="Tanno", last_name="Klijn")
    today = date(2026, 5, 14)
    for days_ago in (2, 6, 9):  # three transfers waiting for acceptance
        report(
            utrecht,
            lead,
            at(today - timedelta(days=20), 9),
            state=ReportState.TRANSFER_PENDING,
            transferred_at=at(today - timedelta(days=days_ago), 10),
        )
    monitored = report(utrecht, lead, at(date(2026, 1, 5), 9), state=ReportState.MONITORING)
    monitored.monitoring_moments.create(planned_on=today - timedelta(days=1))  # overdue
    monitored.monitoring_moments.create(planned_on=today + timedelta(days=10))  # due soon
    monitored.monitoring_moments.create(planned_on=today + timedelta(days=60))  # later
    for _ in range(2):
        report(utrecht, lead, at(today, 8), state=ReportState.RECEIVED, owner=lead)
    report(utrecht, lead, at(today, 8), state=ReportState.CLOSED, owner=lead)
    AdviceDossierFactory.create(region=utrecht, owner=lead)
    Conversation.objects.filter(home_region=utrecht).update(assigned_to=lead)

    rollup.refresh_snapshot(now=NOW)
    now = figures.now_figures((utrecht.pk,), wait_days=5)

    assert (now.transfers_waiting, now.transfers_waiting_over) == (3, 2)  # 6 and 9 days
    assert figures.now_figures((utrecht.pk,), wait_days=8).transfers_waiting_over == 1
    assert (now.monitoring_due, now.monitoring_overdue) == (1, 1)
    [row] = now.caseload
    assert row.employee == "Tanno Klijn"
    assert (row.open_reports, row.open_dossiers) == (2, 1)
    assert row.chats_this_week == 0  # the chats were in March, not this week


def test_heat_map_of_whole_months_and_loose_days_adds_up(utrecht):
    ContactFactory.create(
        region=utrecht, channel=Channel.PHONE, received_at=at(date(2026, 2, 23), 12)
    )
    ContactFactory.create(
        region=utrecht, channel=Channel.PHONE, received_at=at(date(2026, 4, 6), 12)
    )
    ContactFactory.create(
        region=utrecht, channel=Channel.PHONE, received_at=at(date(2026, 4, 13), 12)
    )
    rollup.rebuild(now=NOW)
    # 23 February and 6 April are loose days, March a whole month, 13 April outside.
    grid = figures.heat_map((utrecht.pk,), Period(date(2026, 2, 20), date(2026, 4, 10)))
    assert grid["phone"][0][12] == 3 + 2  # the three of 2 March, and the two Mondays
    assert grid["phone"][1][16] == 1
    assert figures._whole_months(Period(date(2026, 2, 20), date(2026, 4, 10))) == (
        date(2026, 3, 1),
        date(2026, 3, 1),
    )
    assert figures._whole_months(Period(date(2026, 3, 2), date(2026, 3, 30))) is None


def _by_key(rows) -> dict[tuple[str, str], int]:
    sums: dict[tuple[str, str], int] = {}
    for row in rows.values("key").annotate(n=Sum("count"), t=Sum("total")):
        sums[(row["key"], "count")] = row["n"]
        sums[(row["key"], "total")] = row["t"]
    return sums


@pytest.mark.parametrize(
    "period",
    [
        Period(date(2026, 2, 20), date(2026, 4, 10)),  # loose days, March whole, loose days
        Period(date(2026, 3, 1), date(2026, 4, 30)),  # two whole months
        Period(date(2026, 3, 2), date(2026, 3, 30)),  # no whole month
        Period(date(2025, 3, 1), date(2026, 5, 14)),  # more than a year
    ],
    ids=["edges", "months", "days", "year"],
)
def test_month_sums_count_every_day_once(utrecht, period):
    by = make_user(Role.ADVICE_DESK, region=utrecht)
    report(utrecht, by, at(MONDAY, 10))
    report(utrecht, by, at(date(2026, 4, 7), 11), source=("school", True))
    report(utrecht, by, at(date(2026, 2, 27), 11), source=("", False))
    rollup.rebuild(now=NOW)

    for metric in sorted(MONTHLY):
        from_months = _by_key(figures.tallies((utrecht.pk,), period, metric))
        from_days = _by_key(figures.day_tallies((utrecht.pk,), period, metric))
        assert from_months == from_days, metric


def test_a_late_fact_in_a_past_month_reaches_its_month_sum(utrecht):
    rollup.rebuild(now=NOW)
    march = Period(date(2026, 3, 1), date(2026, 3, 31))
    before = figures.sums_by_key((utrecht.pk,), march, Metric.CONTACTS_DAY)
    # A call of 10 March registered only now, weeks later.
    ContactFactory.create(
        region=utrecht, channel=Channel.PHONE, received_at=at(date(2026, 3, 10), 10)
    )

    rollup.refresh(now=NOW + timedelta(minutes=5))

    after = figures.sums_by_key((utrecht.pk,), march, Metric.CONTACTS_DAY)
    assert after["phone"] == before["phone"] + 1
