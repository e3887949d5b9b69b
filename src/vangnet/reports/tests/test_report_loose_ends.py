"""The loose ends of the report file (issue 17): break-the-glass for another region's report,
a new status link for a reporter who lost theirs, and feedback mail that the worker sends
with retries while the employee sees whether it went out."""

from __future__ import annotations

from unittest import mock

import pytest
from django.core import mail
from django.test import Client

from vangnet.accounts.models import Role
from vangnet.audit.models import AccessLogAction, AccessLogEntry
from vangnet.audit.selectors import visible_entries
from vangnet.reports import notifications, services
from vangnet.reports.models import ReporterFeedback
from vangnet.testing.auth import login_verified
from vangnet.testing.factories import RegionFactory, make_user
from vangnet.testing.reports import SCHOOL_REPORTER, a_report

pytestmark = pytest.mark.django_db

REASON = "Politie belt: het kind is vannacht bij ons in de regio opgevangen"


def _client(user) -> Client:
    return login_verified(Client(), user)


def test_break_the_glass_for_another_regions_report_is_seen_by_its_privacy_officer():
    utrecht, amsterdam = RegionFactory.create(), RegionFactory.create()
    report = a_report(utrecht).report
    employee = make_user(Role.TRIAGE, region=amsterdam)
    browser = _client(employee)

    refused = browser.get(f"/staff/reports/{report.pk}/")
    assert refused.status_code == 403
    assert "Noodtoegang vragen" in refused.content.decode()

    too_short = browser.post(f"/staff/reports/{report.pk}/break-glass/", {"reason": "nodig"})
    assert too_short.status_code == 400
    assert "minstens 20 tekens" in too_short.content.decode()

    granted = browser.post(f"/staff/reports/{report.pk}/break-glass/", {"reason": REASON})
    assert granted.status_code == 302
    page = browser.get(f"/staff/reports/{report.pk}/").content.decode()
    assert report.reference in page
    # Reading only: never the reporter, never a step.
    assert SCHOOL_REPORTER.name not in page
    assert "Gegevens melder tonen" not in page
    assert browser.post(f"/staff/reports/{report.pk}/journal/", {"text": "x"}).status_code == 403

    privacy_officer = make_user(Role.PRIVACY_OFFICER, region=utrecht)
    seen = visible_entries(privacy_officer).filter(action=AccessLogAction.BREAK_GLASS)
    (entry,) = seen
    assert entry.reason == REASON and entry.object_id == str(report.pk)
    elsewhere = make_user(Role.PRIVACY_OFFICER, region=RegionFactory.create())
    assert not visible_entries(elsewhere).filter(action=AccessLogAction.BREAK_GLASS).exists()


def test_a_reporter_who_lost_the_link_gets_a_new_one_and_the_old_one_stops_working(
    django_capture_on_commit_callbacks,
):
    region = RegionFactory.create()
    received = a_report(region)
    old_link = received.status_url.split("://", 1)[1].split("/", 1)[1]
    employee = make_user(Role.TRIAGE, region=region)
    browser = _client(employee)
    assert Client().get("/" + old_link).status_code == 302

    missing = browser.post(f"/staff/reports/{received.report.pk}/status-link/", {})
    assert missing.status_code == 400
    assert "hoe u zeker weet" in missing.content.decode()

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        page = browser.post(
            f"/staff/reports/{received.report.pk}/status-link/",
            {"identified_how": "Teruggebeld op het bekende nummer van de school"},
        )
    assert page.status_code == 200
    (new_url,) = [line for line in mail.outbox[0].body.splitlines() if "/melding/" in line]
    assert new_url in page.content.decode()
    assert mail.outbox[0].to == [SCHOOL_REPORTER.email]

    assert Client().get("/" + old_link).status_code == 404
    new_link = new_url.split("://", 1)[1].split("/", 1)[1]
    assert Client().get("/" + new_link).status_code == 302
    entry = AccessLogEntry.objects.filter(action=AccessLogAction.CHANGE).first()
    assert entry is not None and "Teruggebeld" in entry.reason
    assert new_link.split("/")[-2] not in entry.reason  # the secret is in no log


def test_a_browser_that_opened_the_old_link_loses_the_status_page_at_reissue():
    """ADR 0032: the old link stops working, and so does the session it bought (not only
    after REPORT_STATUS_SESSION_MINUTES): whoever holds the old link or its browser is out."""
    region = RegionFactory.create()
    received = a_report(region)
    old_link = received.status_url.split("://", 1)[1].split("/", 1)[1]
    reporters_browser = Client()
    assert reporters_browser.get("/" + old_link, follow=True).status_code == 200
    status_page = f"/melding/{received.report.reference}/"
    assert reporters_browser.get(status_page).status_code == 200

    employee = make_user(Role.TRIAGE, region=region)
    new_url = services.reissue_status_link(
        report=received.report, by=employee, identified_how="Teruggebeld op het bekende nummer"
    )

    gone = reporters_browser.get(status_page)
    assert gone.status_code == 404
    new_link = new_url.split("://", 1)[1].split("/", 1)[1]
    assert reporters_browser.get("/" + new_link, follow=True).status_code == 200
    assert reporters_browser.get(status_page).status_code == 200


def test_a_professional_without_the_reporters_role_cannot_make_a_new_link():
    region = RegionFactory.create()
    report = a_report(region).report
    scientist = make_user(Role.BEHAVIOURAL_SCIENTIST, region=region)
    with pytest.raises(services.AccessDenied):
        services.reissue_status_link(report=report, by=scientist, identified_how="gebeld")


def test_feedback_mail_is_tried_again_and_the_employee_sees_whether_it_went_out(settings):
    region = RegionFactory.create()
    report = a_report(region).report
    feedback = ReporterFeedback.objects.create(report=report, kind=ReporterFeedback.Kind.TRIAGE)
    settings.REPORT_FEEDBACK_MAIL_ATTEMPTS = 3
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    from django.tasks import task_backends

    backend = task_backends["default"]
    backend.clear()  # type: ignore[attr-defined]  # the dummy backend keeps its results

    with mock.patch.object(notifications, "send_mail", side_effect=TimeoutError("timed out")):
        assert notifications.send_feedback_task.call(feedback_id=feedback.pk) == "pending"
    (retry,) = backend.results  # type: ignore[attr-defined]  # the dummy backend keeps its results
    assert retry.kwargs == {"feedback_id": feedback.pk, "attempt": 2}
    assert retry.task.run_after is not None
    feedback.refresh_from_db()
    assert (feedback.mail, feedback.mail_attempts) == ("pending", 1)
    browser = _client(make_user(Role.TRIAGE, region=region))
    assert (
        "1 poging mislukt, volgt opnieuw"
        in browser.get(f"/staff/reports/{report.pk}/").content.decode()
    )

    with mock.patch.object(notifications, "send_mail", side_effect=OSError("refused")):
        assert notifications.send_feedback_task.call(feedback_id=feedback.pk, attempt=3) == "failed"
    assert "niet verstuurd" in browser.get(f"/staff/reports/{report.pk}/").content.decode()

    ReporterFeedback.objects.filter(pk=feedback.pk).update(mail="pending")
    assert notifications.send_feedback_task.call(feedback_id=feedback.pk, attempt=4) == "sent"
    assert mail.outbox[-1].to == [SCHOOL_REPORTER.email]
    page = browser.get(f"/staff/reports/{report.pk}/").content.decode()
    assert "verstuurd (" in page
    # Sent once: a second run of the same task sends nothing more.
    sent = len(mail.outbox)
    notifications.send_feedback_task.call(feedback_id=feedback.pk)
    assert len(mail.outbox) == sent


def test_a_step_queues_the_news_for_the_worker_instead_of_mailing_in_the_request(
    django_capture_on_commit_callbacks, settings
):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    from django.tasks import task_backends

    backend = task_backends["default"]
    backend.clear()  # type: ignore[attr-defined]  # the dummy backend keeps its results
    region = RegionFactory.create()
    triage = make_user(Role.TRIAGE, region=region)
    report = a_report(region, by=triage).report
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.record_safety_assessment(
            report=report, by=triage, acute_unsafety=False, structural_unsafety=True, assessment="x"
        )
        services.record_triage_decision(
            report=report, by=triage, outcome="local_team", rationale="y"
        )
        services.approve_triage(
            report=report, by=make_user(Role.BEHAVIOURAL_SCIENTIST, region=region)
        )
    assert mail.outbox == []
    queued = [r for r in backend.results if r.task.name == "send_feedback_task"]  # type: ignore[attr-defined]  # dummy backend
    assert len(queued) == 1


def test_the_receipt_without_an_address_says_so_on_the_report(django_capture_on_commit_callbacks):
    from dataclasses import replace

    region = RegionFactory.create()
    with django_capture_on_commit_callbacks(execute=True):
        report = a_report(region, reporter=replace(SCHOOL_REPORTER, email="")).report
    browser = _client(make_user(Role.TRIAGE, region=region))
    assert "geen e-mailadres bekend" in browser.get(f"/staff/reports/{report.pk}/").content.decode()
