"""Deadlines (working days, reminders), feedback to the reporter, and retention."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from vangnet.accounts.models import Role
from vangnet.audit.models import AccessLogAction, AccessLogEntry
from vangnet.reports import notifications, services, tasks
from vangnet.reports.models import JournalEntry, Report, Reporter, ReportPerson
from vangnet.reports.workflow import ReportState, TriageOutcome
from vangnet.testing.factories import RegionFactory, make_user
from vangnet.testing.reports import SCHOOL_REPORTER, a_report, transferred_report

pytestmark = pytest.mark.django_db

AMSTERDAM = timezone.get_fixed_timezone(60)


def _at(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour), AMSTERDAM)


@pytest.mark.parametrize(
    ("received", "due"),
    [
        (date(2026, 12, 3), date(2026, 12, 10)),  # Thursday → next Thursday (weekend skipped)
        (date(2026, 12, 24), date(2027, 1, 4)),  # Christmas, the turn of the year, New Year's Day
        (date(2027, 4, 23), date(2027, 5, 3)),  # King's Day (Tuesday 27 April) skipped
        (date(2027, 3, 26), date(2027, 4, 5)),  # Good Friday counts; Easter Monday 29 March not
        (date(2026, 5, 11), date(2026, 5, 19)),  # Ascension Day, Thursday 14 May
        (date(2026, 5, 20), date(2026, 5, 28)),  # Whit Monday, 25 May
    ],
)
def test_safety_assessment_and_triage_are_due_5_working_days_after_receipt(received, due):
    report = a_report(RegionFactory.create(), received_at=_at(received)).report
    assert report.assessment_due_on == due


def test_liberation_day_is_not_a_working_day_in_any_year():
    # 2025 is a lustrum year (the `holidays` package has it only then); 2026 is not.
    for year in (2025, 2026):
        received = date(year, 4, 30 if year == 2026 else 29)
        report = a_report(RegionFactory.create(), received_at=_at(received)).report
        counted = [
            received + timedelta(days=n)
            for n in range(1, (report.assessment_due_on - received).days + 1)
        ]
        assert date(year, 5, 5) in counted  # the deadline passes over 5 May...
        from vangnet.core.workdays import is_working_day

        assert not is_working_day(date(year, 5, 5))  # ...without counting it


def test_receipt_schedules_reminders_before_the_deadlines(
    django_capture_on_commit_callbacks, settings
):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    from django.tasks import task_backends
    from django.tasks.backends.dummy import DummyBackend

    default_task_backend = task_backends["default"]
    assert isinstance(default_task_backend, DummyBackend)
    default_task_backend.clear()
    with django_capture_on_commit_callbacks(execute=True):
        report = a_report(RegionFactory.create(), is_acute=True).report
    results = default_task_backend.results
    kinds = sorted(r.kwargs["kind"] for r in results)
    assert kinds == ["assessment", "urgency"]
    urgency = next(r for r in results if r.kwargs["kind"] == "urgency")
    assert report.urgency_due_at is not None
    assert urgency.task.run_after == report.urgency_due_at - timedelta(hours=4)
    assessment = next(r for r in results if r.kwargs["kind"] == "assessment")
    assert timezone.localtime(assessment.task.run_after).date() < report.assessment_due_on


def test_a_reminder_goes_to_the_owner_and_the_team_lead_while_the_deadline_applies():
    region = RegionFactory.create()
    owner = make_user(Role.TRIAGE, region=region)
    lead = make_user(Role.TEAM_LEAD, region=region)
    report = a_report(region, by=owner).report

    told = notifications.remind_deadline.call(
        report_id=report.pk, kind="assessment", due=report.assessment_due_on.isoformat()
    )

    assert told == 2
    assert sorted(mail.outbox[-1].to) == sorted([owner.email, lead.email])
    assert report.reference in mail.outbox[-1].body
    assert "Sem" not in mail.outbox[-1].body


def test_no_reminder_once_the_step_was_taken():
    region = RegionFactory.create()
    owner = make_user(Role.TRIAGE, region=region)
    report = a_report(region, by=owner).report
    due = report.assessment_due_on.isoformat()
    services.record_safety_assessment(
        report=report, by=owner, acute_unsafety=False, structural_unsafety=True, assessment="x"
    )
    services.record_triage_decision(
        report=report, by=owner, outcome=TriageOutcome.LOCAL_TEAM, rationale="y"
    )
    services.approve_triage(report=report, by=make_user(Role.BEHAVIOURAL_SCIENTIST, region=region))
    mail.outbox.clear()
    assert notifications.remind_deadline.call(report_id=report.pk, kind="assessment", due=due) == 0
    assert mail.outbox == []


def test_the_reporter_hears_after_triage_transfer_and_closure_without_findings(
    django_capture_on_commit_callbacks, settings
):
    from vangnet.testing.factories import PartnerOrganisationFactory

    # The worker sends the news; here it runs at once.
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}

    region = RegionFactory.create()
    team = PartnerOrganisationFactory.create(region=region, name="Wijkteam Noord")
    with django_capture_on_commit_callbacks(execute=True):
        report = transferred_report(region, team)
        member = make_user(Role.LOCAL_TEAM_MEMBER, region=region, organisation=team)
        services.accept_transfer(report=report, by=member)
        services.close_report(
            report=report, by=make_user(Role.TRIAGE, region=region), reason="Wijkteam heeft regie"
        )
    to_reporter = [m for m in mail.outbox if m.to == [SCHOOL_REPORTER.email]]
    assert len(to_reporter) == 4  # receipt, triage decision, transfer, closure
    for message in to_reporter:
        for finding in ("letsel", "Sem", "Jansen", "opvoedsteun"):
            assert finding not in message.body


def test_closed_reports_past_retention_are_destroyed_unless_on_hold():
    region = RegionFactory.create()
    user = make_user(Role.TRIAGE, region=region)
    expired, held, young = (a_report(region, by=user).report for _ in range(3))
    Report.objects.filter(pk__in=[expired.pk, held.pk]).update(
        state=ReportState.CLOSED, retention_until=date(2020, 1, 1), closed_at=timezone.now()
    )
    Report.objects.filter(pk=held.pk).update(legal_hold=True)
    Report.objects.filter(pk=young.pk).update(
        state=ReportState.CLOSED, retention_until=date(2046, 1, 1), closed_at=timezone.now()
    )

    call_command("delete_expired_reports", stdout=open("/dev/null", "w"))  # noqa: SIM115

    assert set(Report.objects.values_list("pk", flat=True)) == {held.pk, young.pk}
    assert not Reporter.objects.filter(report_id=expired.pk).exists()
    assert not ReportPerson.objects.filter(report_id=expired.pk).exists()
    assert not JournalEntry.objects.filter(report_id=expired.pk).exists()
    entry = AccessLogEntry.objects.get(action=AccessLogAction.DELETE)
    assert (entry.object_type, entry.object_id) == ("reports.report", str(expired.pk))
    assert expired.reference not in entry.reason and "Sem" not in entry.reason


def test_the_retention_task_does_the_same_work():
    region = RegionFactory.create()
    report = a_report(region).report
    Report.objects.filter(pk=report.pk).update(
        state=ReportState.CLOSED, retention_until=date(2020, 1, 1), closed_at=timezone.now()
    )
    assert tasks.delete_expired_reports_task.call() == 1
    assert not Report.objects.exists()
