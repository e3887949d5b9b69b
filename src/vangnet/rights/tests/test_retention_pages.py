"""The team lead sees what the retention destroys in the next 30 days, and that it ran; the
daily run is planned by itself (no cron line)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.core.management.sql import emit_post_migrate_signal
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from vangnet.accounts.models import Role
from vangnet.audit.models import AccessLogAction, AccessLogEntry
from vangnet.contacts.models import AdviceDossier
from vangnet.reports.models import Report
from vangnet.reports.workflow import ReportState
from vangnet.rights.models import LegalHold, RetentionRun
from vangnet.rights.retention import add_years, run_retention
from vangnet.rights.tasks import ensure_retention_scheduled, next_run_at, run_retention_task
from vangnet.testing.auth import login_verified
from vangnet.testing.factories import AdviceDossierFactory, RegionFactory, make_user
from vangnet.testing.reports import a_report

pytestmark = pytest.mark.django_db


def _closed(region, retention_until, **extra) -> Report:
    report = a_report(region).report
    Report.objects.filter(pk=report.pk).update(
        state=ReportState.CLOSED, closed_at=timezone.now(), retention_until=retention_until, **extra
    )
    return report


def test_the_team_lead_sees_what_goes_in_the_next_30_days_and_the_last_runs():
    region = RegionFactory.create()
    today = timezone.localdate()
    soon = _closed(region, today + timedelta(days=10))
    later = _closed(region, today + timedelta(days=45))
    held = _closed(region, today + timedelta(days=3), legal_hold=True)
    elsewhere = _closed(RegionFactory.create(), today + timedelta(days=5))
    dossier = AdviceDossierFactory.create(
        region=region, closed_at=timezone.now() - timedelta(days=365 * 2 - 5)
    )
    run_retention()
    lead = make_user(Role.TEAM_LEAD, region=region)

    page = login_verified(Client(), lead).get("/staff/rights/retention/").content.decode()

    assert soon.reference in page
    assert (today + timedelta(days=11)).strftime("%d-%m-%Y") in page
    assert dossier.reference in page
    for kept in (later, held, elsewhere):
        assert kept.reference not in page
    assert "Laatste rondes" in page and "0 meldingen" in page
    entry = AccessLogEntry.objects.filter(action=AccessLogAction.VIEW, user_id=lead.pk).last()
    assert entry is not None
    assert {r.object_id for r in entry.records.all()} == {str(soon.pk), str(dossier.pk)}


def test_an_empty_preview_says_so():
    region = RegionFactory.create()
    lead = make_user(Role.TEAM_LEAD, region=region)
    page = login_verified(Client(), lead).get("/staff/rights/retention/").content.decode()
    assert "Geen meldingen of adviesdossiers in deze periode." in page
    assert "Er is nog geen ronde gedraaid" in page


def test_the_next_run_is_at_night_and_planned_once_by_migrate(settings):
    settings.RETENTION_RUN_AT = "02:30"
    evening = timezone.make_aware(datetime(2026, 12, 4, 22, 0))
    assert next_run_at(evening) == timezone.make_aware(datetime(2026, 12, 5, 2, 30))
    early = timezone.make_aware(datetime(2026, 12, 4, 1, 0))
    assert next_run_at(early) == timezone.make_aware(datetime(2026, 12, 4, 2, 30))

    DBTaskResult.objects.all().delete()
    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")
    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")
    waiting = DBTaskResult.objects.filter(task_path=run_retention_task.module_path, status="READY")
    assert waiting.count() == 1
    assert ensure_retention_scheduled()
    assert waiting.count() == 1


@pytest.mark.django_db(transaction=True)  # the worker commits and checks its connection
def test_the_worker_runs_the_retention_and_plans_the_next_night():
    from django.core.management import call_command

    region = RegionFactory.create()
    _closed(region, add_years(timezone.localdate(), -1))
    DBTaskResult.objects.all().delete()
    assert ensure_retention_scheduled()
    DBTaskResult.objects.filter(task_path=run_retention_task.module_path).update(
        run_after=timezone.now()
    )

    call_command("db_worker", "--batch", "--interval", "0", verbosity=0)

    assert not Report.objects.exists()
    assert RetentionRun.objects.get().counts["reports"] == 1
    (next_run,) = DBTaskResult.objects.filter(
        task_path=run_retention_task.module_path, status="READY"
    )
    assert next_run.run_after > timezone.now()


def test_the_team_lead_stops_the_destruction_of_a_dossier_and_of_a_report_from_the_list():
    region = RegionFactory.create()
    report = _closed(region, timezone.localdate() + timedelta(days=2))
    dossier = AdviceDossierFactory.create(
        region=region, closed_at=timezone.now() - timedelta(days=365 * 2 + 2)
    )
    lead = make_user(Role.TEAM_LEAD, region=region)
    browser = login_verified(Client(), lead)

    refused = browser.post(
        "/staff/rights/retention/hold/", {"kind": "dossier", "object_id": dossier.pk}
    )
    assert refused.status_code == 302
    assert dossier.reference in browser.get("/staff/rights/retention/").content.decode()

    for kind, pk in (("dossier", dossier.pk), ("report", report.pk)):
        browser.post(
            "/staff/rights/retention/hold/",
            {"kind": kind, "object_id": pk, "reason": "Rechtszaak tegen de vader loopt"},
        )
    page = browser.get("/staff/rights/retention/").content.decode()
    assert dossier.reference not in page and report.reference not in page

    run = run_retention(today=timezone.localdate() + timedelta(days=40))
    assert run.counts["advice_dossiers"] == 0 and run.counts["reports"] == 0
    assert AdviceDossier.objects.filter(pk=dossier.pk).exists()
    assert Report.objects.get(pk=report.pk).legal_hold


def test_a_team_lead_of_another_region_cannot_hold_the_dossier():
    dossier = AdviceDossierFactory.create(closed_at=timezone.now())
    outsider = make_user(Role.TEAM_LEAD, region=RegionFactory.create())
    response = login_verified(Client(), outsider).post(
        "/staff/rights/retention/hold/",
        {"kind": "dossier", "object_id": dossier.pk, "reason": "Rechtszaak"},
    )
    assert response.status_code == 403
    assert not LegalHold.objects.exists()
