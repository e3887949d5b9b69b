"""One deadline rule: the home page, the register's filter, the deadlines overview and the
report page agree on what is overdue (Handelingsprotocol: acute → action within 24 hours)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from vangnet.accounts.models import Role
from vangnet.reports.deadlines import DeadlineKind, current_deadline
from vangnet.reports.models import Report
from vangnet.testing.auth import login_verified
from vangnet.testing.factories import RegionFactory, make_user
from vangnet.testing.reports import a_report

pytestmark = pytest.mark.django_db


def test_an_acute_report_whose_24_hours_passed_an_hour_ago_is_overdue_everywhere(client):
    region = RegionFactory.create()
    # Received 25 hours ago: the 24 hours for acute action ran out an hour ago — most often
    # today, so a rule by the day alone would still call it "due soon".
    acute = a_report(region, is_acute=True, received_at=timezone.now() - timedelta(hours=25))
    lead = make_user(Role.TEAM_LEAD, region=region)
    login_verified(client, lead)

    home = client.get("/staff/").content.decode()
    overview = client.get("/staff/reports/deadlines/")
    register = client.get("/staff/reports/", {"overdue": "on"})
    page = client.get(f"/staff/reports/{acute.report.pk}/").content.decode()

    assert "1 open, waarvan 1 over de termijn." in home
    assert [row.report.pk for row in overview.context["overdue"]] == [acute.report.pk]
    assert overview.context["soon"] == []
    assert [r.pk for r in register.context["page_obj"]] == [acute.report.pk]
    assert "verlopen" in page


def test_a_day_deadline_runs_to_the_end_of_its_day():
    region = RegionFactory.create()
    report = a_report(region).report
    deadline = current_deadline(report)
    assert deadline is not None and deadline.kind == DeadlineKind.ASSESSMENT
    end_of_day = timezone.make_aware(datetime.combine(deadline.due_on, datetime.max.time()))

    assert not deadline.is_overdue(end_of_day)
    assert deadline.is_overdue(end_of_day + timedelta(seconds=1))
    assert Report.objects.filter(pk=report.pk).exists()
