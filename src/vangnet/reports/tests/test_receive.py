from __future__ import annotations

from dataclasses import replace

import pytest
from django.core import mail
from django.db import connection

from vangnet.accounts.models import Role
from vangnet.accounts.policy import AccessDenied
from vangnet.audit.models import AccessLogAction, AccessLogEntry
from vangnet.contacts.models import Channel, DossierEvent
from vangnet.core.workdays import add_working_days
from vangnet.reports.deadlines import current_deadline
from vangnet.reports.models import JournalEntry, PersonRole, Report, ReportPerson
from vangnet.reports.services import (
    PersonDetails,
    ReporterDetails,
    ReportError,
    is_valid_bsn,
    status_token_matches,
)
from vangnet.reports.workflow import ReportState
from vangnet.testing.factories import (
    AdviceDossierFactory,
    ContactFactory,
    RegionFactory,
    make_user,
)
from vangnet.testing.reports import CHILD, SCHOOL_REPORTER, a_report

pytestmark = pytest.mark.django_db


def test_a_received_report_has_a_reference_deadline_and_a_secret_status_link():
    region = RegionFactory.create()
    received = a_report(region)
    report = received.report

    assert report.reference.startswith("ME-")
    assert report.state == ReportState.RECEIVED
    assert report.assessment_due_on == add_working_days(report.received_at.date(), 5)
    token = received.status_url.rstrip("/").rsplit("/", 1)[1]
    assert status_token_matches(report, token)
    assert token not in report.status_token_digest
    assert JournalEntry.objects.filter(report=report, step="receive_report").exists()
    assert AccessLogEntry.objects.filter(
        action=AccessLogAction.CREATE, object_type="reports.report", object_id=str(report.pk)
    ).exists()


def test_the_reporter_gets_the_status_link_by_mail(django_capture_on_commit_callbacks):
    region = RegionFactory.create()
    with django_capture_on_commit_callbacks(execute=True):
        received = a_report(region)

    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [SCHOOL_REPORTER.email]
    assert received.status_url in mail.outbox[0].body
    assert "Sem" not in mail.outbox[0].body


def test_the_reporters_identity_is_not_readable_in_the_database_without_the_key():
    report = a_report(RegionFactory.create()).report
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name, organisation, phone, email FROM reports_reporter WHERE report_id = %s",
            [report.pk],
        )
        row = cursor.fetchone()
        cursor.execute("SELECT bsn FROM reports_reportperson WHERE report_id = %s", [report.pk])
        bsns = [r[0] for r in cursor.fetchall()]
    stored = " ".join(row + tuple(bsns))
    for secret in ("Annemiek", "Regenboog", "1234567", "regenboog.example", CHILD.bsn):
        assert secret not in stored
    assert report.reporter.name == SCHOOL_REPORTER.name  # with the key it reads back


def test_a_bsn_must_pass_the_eleven_check():
    assert is_valid_bsn("111222333")
    assert not is_valid_bsn("123456789")
    assert not is_valid_bsn("12345678")
    with pytest.raises(ReportError) as error:
        a_report(RegionFactory.create(), persons=[replace(CHILD, bsn="123456789")])
    assert "persons-0-bsn" in error.value.errors


def test_a_bsn_is_found_by_its_hash_not_its_value():
    report = a_report(RegionFactory.create()).report
    child = report.persons.get(role=PersonRole.CHILD)
    assert child.bsn == CHILD.bsn
    assert child.bsn_hash and CHILD.bsn not in child.bsn_hash


def test_a_report_needs_the_reporters_name_and_a_way_to_reach_them():
    region = RegionFactory.create()
    nameless = ReporterDetails(name="", is_professional=False)
    with pytest.raises(ReportError) as error:
        a_report(region, reporter=nameless)
    assert {"reporter_name", "reporter_phone"} <= set(error.value.errors)
    assert not Report.objects.exists()


def test_a_professional_reporter_needs_organisation_and_sector():
    with pytest.raises(ReportError) as error:
        a_report(
            RegionFactory.create(), reporter=replace(SCHOOL_REPORTER, organisation="", sector="")
        )
    assert {"reporter_organisation", "reporter_sector"} <= set(error.value.errors)


def test_no_report_through_the_chat():
    with pytest.raises(ReportError):
        a_report(RegionFactory.create(), channel=Channel.CHAT)
    assert not Report.objects.exists()


def test_someone_without_the_right_cannot_register_a_report():
    region = RegionFactory.create()
    with pytest.raises(AccessDenied):
        a_report(region, by=make_user(Role.BEHAVIOURAL_SCIENTIST, region=region))
    with pytest.raises(AccessDenied):
        a_report(region, by=make_user(Role.TRIAGE))  # another region


def test_a_professional_may_submit_a_report_in_their_region():
    region = RegionFactory.create()
    report = a_report(region, by=make_user(Role.PROFESSIONAL, region=region)).report
    assert report.owner is None  # a professional does not handle it: triage picks it up


def test_a_report_from_an_advice_dossier_closes_the_dossier_as_converted():
    region = RegionFactory.create()
    dossier = AdviceDossierFactory.create(region=region, is_anonymous=False)
    ContactFactory.create(region=region, dossier=dossier, channel=Channel.CHAT)
    ContactFactory.create(region=region, dossier=dossier, channel=Channel.PHONE)

    report = a_report(region, source_dossier=dossier).report

    dossier.refresh_from_db()
    assert report.source_dossier == dossier
    assert dossier.closed_at is not None
    assert dossier.events.filter(kind=DossierEvent.Kind.CONVERTED, note=report.reference).exists()


def test_a_chat_alone_never_becomes_a_report():
    region = RegionFactory.create()
    dossier = AdviceDossierFactory.create(region=region)
    ContactFactory.create(region=region, dossier=dossier, channel=Channel.CHAT)

    with pytest.raises(ReportError, match="chat"):
        a_report(region, source_dossier=dossier)

    dossier.refresh_from_db()
    assert dossier.closed_at is None
    assert not Report.objects.exists()
    assert not DossierEvent.objects.filter(kind=DossierEvent.Kind.CONVERTED).exists()


def test_a_dossier_converts_only_once():
    region = RegionFactory.create()
    dossier = AdviceDossierFactory.create(region=region)
    ContactFactory.create(region=region, dossier=dossier, channel=Channel.PHONE)
    a_report(region, source_dossier=dossier)
    with pytest.raises(ReportError):
        a_report(region, source_dossier=dossier)
    assert Report.objects.count() == 1


def test_an_acute_report_must_be_acted_on_within_24_hours():
    report = a_report(RegionFactory.create(), is_acute=True).report
    assert report.urgency_due_at is not None
    assert (report.urgency_due_at - report.received_at).total_seconds() == 24 * 3600
    assert current_deadline(report).kind == "urgency"  # type: ignore[union-attr]  # asserted


def test_a_person_needs_something_to_recognise_them_by():
    with pytest.raises(ReportError):
        a_report(RegionFactory.create(), persons=[PersonDetails(role=PersonRole.CHILD)])
    assert not ReportPerson.objects.exists()


def test_a_bsn_typed_with_spaces_or_dots_is_stored_as_nine_digits():
    report = a_report(RegionFactory.create(), persons=[replace(CHILD, bsn="1112.22 333")]).report
    assert report.persons.get().bsn == "111222333"
