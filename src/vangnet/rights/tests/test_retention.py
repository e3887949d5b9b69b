"""Retention that runs by itself: every kind of record goes on the day after its retention
ends — not a day earlier — and not at all under a legal hold (frozen clock, ADR 0031)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import QuerySet

from vangnet.accounts.models import Role
from vangnet.audit.models import AccessLogAction, AccessLogCheckpoint, AccessLogEntry
from vangnet.audit.services import record_access, remove_entries_before, verify_chain
from vangnet.chat.models import ConversationStatus, Message
from vangnet.contacts.models import AdviceDossier, Contact
from vangnet.meldcode.models import MeldcodeRecord
from vangnet.meldcode.tests.factories import open_record, school
from vangnet.reports.models import Report
from vangnet.reports.services import retention_end
from vangnet.reports.workflow import ReportState
from vangnet.rights.models import HeldKind, LegalHold, OrganisationRetention, RetentionRun
from vangnet.rights.retention import add_years, run_retention
from vangnet.testing.clock import frozen_clock, moment
from vangnet.testing.factories import (
    AdviceDossierFactory,
    ContactFactory,
    ConversationFactory,
    RegionFactory,
    make_user,
)
from vangnet.testing.reports import a_report

pytestmark = pytest.mark.django_db

CLOSED_ON = date(2026, 3, 17)


def _run_on(day: date) -> RetentionRun:
    with frozen_clock(moment(day, hour=2, minute=30)):
        return run_retention()


def _hold(kind: HeldKind, pk: int) -> None:
    LegalHold.objects.create(
        object_type=kind,
        object_id=str(pk),
        reason="Rechtszaak loopt",
        placed_by=make_user(Role.TEAM_LEAD, region=RegionFactory.create()),
    )


def _closed_report(region, *, hold: bool = False) -> Report:
    report = a_report(region).report
    Report.objects.filter(pk=report.pk).update(
        state=ReportState.CLOSED,
        closed_at=moment(CLOSED_ON, hour=16),
        retention_until=retention_end(CLOSED_ON),
        legal_hold=hold,
    )
    return report


def test_a_report_goes_the_day_after_its_20_years_and_not_under_a_legal_hold():
    region = RegionFactory.create()
    report, held = _closed_report(region), _closed_report(region, hold=True)
    last_day = add_years(CLOSED_ON, 20)

    _run_on(last_day)
    assert Report.objects.filter(pk=report.pk).exists()

    run = _run_on(last_day + timedelta(days=1))
    assert not Report.objects.filter(pk=report.pk).exists()
    assert Report.objects.filter(pk=held.pk).exists()
    assert run.counts["reports"] == 1


def test_an_advice_dossier_goes_with_its_contacts_two_years_after_closing():
    region = RegionFactory.create()
    dossier = AdviceDossierFactory.create(region=region, closed_at=moment(CLOSED_ON, hour=23))
    inside = ContactFactory.create(region=region, dossier=dossier)
    held = AdviceDossierFactory.create(region=region, closed_at=moment(CLOSED_ON, hour=9))
    _hold(HeldKind.ADVICE_DOSSIER, held.pk)
    last_day = add_years(CLOSED_ON, 2)

    _run_on(last_day)
    assert AdviceDossier.objects.filter(pk=dossier.pk).exists()

    run = _run_on(last_day + timedelta(days=1))
    assert not AdviceDossier.objects.filter(pk=dossier.pk).exists()
    assert not Contact.objects.filter(pk=inside.pk).exists()
    assert AdviceDossier.objects.filter(pk=held.pk).exists()
    assert (run.counts["advice_dossiers"], run.counts["contacts"]) == (1, 1)


def test_a_contact_without_a_dossier_goes_two_years_after_it_was_received():
    region = RegionFactory.create()
    contact = ContactFactory.create(region=region, received_at=moment(CLOSED_ON, hour=12))
    held = ContactFactory.create(region=region, received_at=moment(CLOSED_ON, hour=12))
    _hold(HeldKind.CONTACT, held.pk)
    last_day = add_years(CLOSED_ON, 2)

    _run_on(last_day)
    assert Contact.objects.filter(pk=contact.pk).exists()

    _run_on(last_day + timedelta(days=1))
    assert not Contact.objects.filter(pk=contact.pk).exists()
    assert Contact.objects.filter(pk=held.pk).exists()


def test_a_chat_transcript_goes_the_day_after_the_configured_days(settings):
    settings.CHAT_TRANSCRIPT_RETENTION_DAYS = 30
    region = RegionFactory.create()
    ended = moment(CLOSED_ON, hour=17)
    chat, held = (
        ConversationFactory.create(
            region=region, status=ConversationStatus.CLOSED, ended_at=ended, last_sequence=1
        )
        for _ in range(2)
    )
    for conversation in (chat, held):
        Message.objects.create(conversation=conversation, sequence=1, sender="visitor", body="hoi")
    _hold(HeldKind.CONVERSATION, held.pk)
    last_day = CLOSED_ON + timedelta(days=30)

    _run_on(last_day)
    assert Message.objects.filter(conversation=chat).exists()

    _run_on(last_day + timedelta(days=1))
    assert not Message.objects.filter(conversation=chat).exists()
    assert Message.objects.filter(conversation=held).exists()


def test_meldcode_records_keep_their_organisations_term():
    default_school, own_term_school = school(), school(name="Het Kompas")
    OrganisationRetention.objects.create(
        organisation=own_term_school.organisation, meldcode_record_years=5
    )
    by_default = open_record(default_school.teacher)
    by_own_term = open_record(own_term_school.teacher)
    held = open_record(own_term_school.teacher)
    MeldcodeRecord.objects.filter(pk__in=[by_default.pk, by_own_term.pk, held.pk]).update(
        status="closed", closed_at=moment(CLOSED_ON, hour=11)
    )
    _hold(HeldKind.MELDCODE_RECORD, held.pk)

    _run_on(add_years(CLOSED_ON, 5))
    assert MeldcodeRecord.objects.filter(pk=by_own_term.pk).exists()

    _run_on(add_years(CLOSED_ON, 5) + timedelta(days=1))
    assert not MeldcodeRecord.objects.filter(pk=by_own_term.pk).exists()
    assert MeldcodeRecord.objects.filter(pk__in=[by_default.pk, held.pk]).count() == 2

    _run_on(add_years(CLOSED_ON, 20))
    assert MeldcodeRecord.objects.filter(pk=by_default.pk).exists()
    _run_on(add_years(CLOSED_ON, 20) + timedelta(days=1))
    assert not MeldcodeRecord.objects.filter(pk=by_default.pk).exists()
    assert MeldcodeRecord.objects.filter(pk=held.pk).exists()


def _log_on(day: date, n: int = 1) -> None:
    with frozen_clock(moment(day, hour=10)):
        for _ in range(n):
            record_access(user=None, username="test", action=AccessLogAction.VIEW)


def test_old_access_log_entries_go_and_the_chain_still_verifies(settings):
    settings.ACCESS_LOG_RETENTION_YEARS = 5
    _log_on(CLOSED_ON, 3)
    _log_on(CLOSED_ON + timedelta(days=1), 2)
    last_day = add_years(CLOSED_ON, 5)

    _run_on(last_day)
    assert AccessLogEntry.objects.filter(sequence__lte=3).count() == 3

    run = _run_on(last_day + timedelta(days=1))
    assert run.counts["access_log_entries"] == 3
    assert not AccessLogEntry.objects.filter(sequence__lte=3).exists()
    assert AccessLogEntry.objects.filter(sequence__in=[4, 5]).count() == 2
    checked, broken = verify_chain()
    assert broken is None
    assert checked == AccessLogEntry.objects.count()

    # A second removal links to the first checkpoint; the chain still verifies.
    _run_on(last_day + timedelta(days=2))
    assert AccessLogCheckpoint.objects.count() == 2
    assert verify_chain()[1] is None


def _as_database_administrator() -> None:
    """What someone with the database's own rights can do: pass by the triggers."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL session_replication_role = replica")


def test_removing_old_entries_without_a_signed_checkpoint_is_detected():
    _log_on(CLOSED_ON, 3)
    _as_database_administrator()
    QuerySet(model=AccessLogEntry).filter(sequence=1).delete()
    assert verify_chain()[1] is not None


def test_a_forged_checkpoint_is_detected():
    _log_on(CLOSED_ON, 3)
    _log_on(CLOSED_ON + timedelta(days=3), 2)
    with frozen_clock(moment(CLOSED_ON + timedelta(days=2))):
        assert remove_entries_before(cutoff=moment(CLOSED_ON + timedelta(days=1), hour=0)) == 3
    assert verify_chain()[1] is None
    _as_database_administrator()
    # Someone removes one more entry and moves the checkpoint along without the key.
    QuerySet(model=AccessLogEntry).filter(sequence=4).delete()
    QuerySet(model=AccessLogCheckpoint).update(up_to_sequence=4)
    broken = verify_chain()[1]
    assert broken is not None and "checkpoint" in broken.problem


def test_each_run_is_kept_with_counts_and_the_destruction_is_logged_without_data():
    region = RegionFactory.create()
    report = _closed_report(region)
    run = _run_on(add_years(CLOSED_ON, 20) + timedelta(days=1))

    assert run.finished_at is not None and run.failed == []
    assert set(run.counts) == {
        "reports",
        "advice_dossiers",
        "contacts",
        "chat_transcripts",
        "meldcode_records",
        "access_log_entries",
    }
    entry = AccessLogEntry.objects.get(action=AccessLogAction.DELETE)
    assert entry.object_id == str(report.pk)
    assert report.reference not in entry.reason and "Sem" not in entry.reason


def test_the_demo_can_run_it_on_demand():
    region = RegionFactory.create()
    _closed_report(region)
    with frozen_clock(moment(add_years(CLOSED_ON, 21))):
        call_command("run_retention", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert not Report.objects.exists()
    assert RetentionRun.objects.count() == 1
