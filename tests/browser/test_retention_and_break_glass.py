"""A team lead sees what the retention destroys soon and keeps one report; an employee breaks
the glass for a report of another region (issue 17). Every page passes the page checks."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from vangnet.accounts.models import Role
from vangnet.reports.models import Report
from vangnet.reports.workflow import ReportState
from vangnet.testing.factories import RegionFactory, confirmed_totp_device, make_user
from vangnet.testing.reports import SCHOOL_REPORTER, a_report

from .conftest import ConsoleErrors, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_team_lead_keeps_a_report_that_would_go_next_week(page: Page):
    region = RegionFactory.create(name="Utrecht")
    report = a_report(region).report
    Report.objects.filter(pk=report.pk).update(
        state=ReportState.CLOSED,
        closed_at=timezone.now(),
        retention_until=timezone.localdate() + timedelta(days=6),
    )
    lead = make_user(Role.TEAM_LEAD, region=region)
    log_in(page, lead, confirmed_totp_device(lead))

    page.get_by_role("link", name="Bewaartermijnen").click()
    row = page.get_by_role("row").filter(has_text=report.reference)
    expect(row).to_contain_text((timezone.localdate() + timedelta(days=7)).strftime("%d-%m-%Y"))
    row.get_by_text(f"{report.reference} bewaren").click()
    row.get_by_label("Reden").fill("Kinderbeschermingsmaatregel loopt nog")
    row.get_by_role("button", name="Niet vernietigen").click()
    expect(page.get_by_text("Vastgelegd: dit wordt niet vernietigd.")).to_be_visible()
    expect(page.get_by_role("row").filter(has_text=report.reference)).to_have_count(0)
    assert Report.objects.get(pk=report.pk).legal_hold


def test_an_employee_breaks_the_glass_for_a_report_of_another_region(
    page: Page, console_errors: ConsoleErrors, live_server: LiveServer
):
    report = a_report(RegionFactory.create(name="Utrecht")).report
    console_errors.expect_failed_load(f"{live_server.url}/staff/reports/{report.pk}/")  # 403
    employee = make_user(Role.TRIAGE, region=RegionFactory.create(name="Amsterdam"))
    log_in(page, employee, confirmed_totp_device(employee))

    page.goto(f"/staff/reports/{report.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Geen toegang")
    page.get_by_label("Reden").fill("Politie belt: het kind is vannacht in onze regio opgevangen")
    page.get_by_role("button", name="Noodtoegang vragen").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(report.reference)
    expect(page.get_by_text("Noodtoegang verleend voor één uur")).to_be_visible()
    expect(page.get_by_text(SCHOOL_REPORTER.name)).to_have_count(0)
