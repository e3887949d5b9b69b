"""A report through the protocol: receipt, safety assessment, triage with four eyes, transfer,
acceptance by the local team, monitoring, closure — and nothing illegal in between."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase as HypothesisTestCase

from vangnet.accounts.models import Role
from vangnet.accounts.policy import AccessDenied
from vangnet.audit.models import AccessLogAction, AccessLogEntry
from vangnet.contacts.models import DossierEvent
from vangnet.core.testing.factories import (
    AdviceDossierFactory,
    ContactFactory,
    PartnerOrganisationFactory,
    RegionFactory,
    make_user,
)
from vangnet.core.workdays import add_working_days
from vangnet.regions.models import PartnerOrganisation
from vangnet.reports import services
from vangnet.reports.models import Report, ReportPerson
from vangnet.reports.services import PersonDetails, ReporterDetails
from vangnet.reports.workflow import ALLOWED, IllegalStep, ReportState, TriageOutcome

SCHOOL = ReporterDetails(
    name="Marieke Jansen",
    is_professional=True,
    organisation="Basisschool De Regenboog",
    sector="education",
    phone="030-1234567",
    email="m.jansen@regenboog.example",
    anonymous_to_family=True,
)
CHILD = PersonDetails(
    role="child",
    name="Sem de Vries",
    date_of_birth=date(2015, 3, 14),
    bsn="111222333",
    is_victim=True,
)


class People:
    def __init__(self) -> None:
        self.region = RegionFactory(name="Utrecht")
        self.team = PartnerOrganisationFactory(
            region=self.region, kind=PartnerOrganisation.Kind.LOCAL_TEAM, name="Buurtteam Oost"
        )
        self.triage = make_user(Role.TRIAGE, region=self.region)
        self.scientist = make_user(Role.BEHAVIOURAL_SCIENTIST, region=self.region)
        self.monitor = make_user(Role.MONITORING, region=self.region)
        self.local = make_user(Role.LOCAL_TEAM_MEMBER, region=self.region, organisation=self.team)

    def receive(self, **overrides: object) -> Report:
        arguments: dict[str, object] = {
            "region": self.region,
            "by": self.triage,
            "channel": "phone",
            "reporter": SCHOOL,
            "persons": [CHILD],
            "forms_of_violence": ["neglect"],
            "concerns": "Sem komt hongerig op school en is vaak bang om naar huis te gaan.",
            "actions_taken": "Signalen vastgelegd, collega geraadpleegd, gesprek met moeder.",
        }
        arguments.update(overrides)
        return services.receive_report(**arguments).report  # type: ignore[arg-type]


@pytest.fixture
def people(db):
    return People()


def test_receipt_sets_the_deadlines_in_working_days_and_tells_the_reporter(
    people, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        report = people.receive()

    assert report.state == ReportState.RECEIVED
    assert report.triage_due == add_working_days(timezone.localdate(), 5)
    assert [f.moment for f in report.feedback.all()] == ["received"]
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["m.jansen@regenboog.example"]
    assert "/melding/status/" in mail.outbox[0].body
    assert "hongerig" not in mail.outbox[0].body  # no findings about the family


def test_an_acute_report_must_be_assessed_within_24_hours(people):
    report = people.receive(is_acute=True)

    assert report.safety_assessment_due - report.received_at == timedelta(hours=24)


def test_a_school_report_through_the_protocol(people):
    report = people.receive()
    services.record_safety_assessment(report=report, by=people.triage, acute=False, structural=True)
    services.propose_triage(
        report=report, by=people.triage, outcome=TriageOutcome.CONDITIONS, reasoning="Herhaald."
    )
    report = services.approve_triage(report=report, by=people.scientist)
    assert report.state == ReportState.TRANSFER and report.monitors_conditions

    with pytest.raises(services.ReportError, match="leg eerst de veiligheidsvoorwaarden vast"):
        services.offer_transfer(
            report=report, by=people.triage, organisation=people.team, handover_note="Hulp"
        )
    services.add_safety_condition(
        report=report,
        by=people.triage,
        description="Sem krijgt elke ochtend ontbijt voor hij naar school gaat.",
        responsible="Moeder, met het buurtteam",
        due=timezone.localdate() + timedelta(days=30),
    )
    transfer = services.offer_transfer(
        report=report, by=people.triage, organisation=people.team, handover_note="Gezin met zorgen"
    )
    services.accept_transfer(transfer=transfer, by=people.local)

    report.refresh_from_db()
    assert report.state == ReportState.MONITORING
    assert report.lead_organisation == people.team
    moments = list(report.monitoring_moments.values_list("due", flat=True))
    today = timezone.localdate()
    assert moments == [services.add_months(today, m) for m in (3, 6, 12)]

    report = services.record_monitoring(
        moment=report.monitoring_moments.first(),
        by=people.monitor,
        conditions_met=True,
        spoke_with="moeder, buurtteam",
        findings="Ontbijt gaat goed.",
    )
    report = services.close_report(report=report, by=people.monitor, note="Stabiel veilig.")
    assert report.state == ReportState.CLOSED
    assert report.retention_until == services.add_months(today, 240)
    told = [f.text for f in report.feedback.all()]
    assert any("Buurtteam Oost" in text for text in told)
    assert all("Ontbijt" not in text and "hongerig" not in text for text in told)


def test_four_eyes_the_proposer_cannot_approve_their_own_triage_decision(people):
    lead_and_scientist = make_user(Role.TRIAGE, Role.BEHAVIOURAL_SCIENTIST, region=people.region)
    report = people.receive(by=lead_and_scientist)
    services.record_safety_assessment(
        report=report, by=lead_and_scientist, acute=False, structural=False
    )
    services.propose_triage(
        report=report, by=lead_and_scientist, outcome=TriageOutcome.TRANSFER, reasoning="Licht."
    )

    with pytest.raises(services.ReportError, match="Vier ogen"):
        services.approve_triage(report=report, by=lead_and_scientist)
    report.refresh_from_db()
    assert report.state == ReportState.TRIAGE_APPROVAL


def test_only_the_behavioural_scientist_approves(people):
    report = people.receive()
    services.record_safety_assessment(report=report, by=people.triage, acute=False, structural=True)
    services.propose_triage(
        report=report,
        by=people.triage,
        outcome=TriageOutcome.INVESTIGATION,
        reasoning="Onduidelijk.",
    )
    colleague = make_user(Role.TRIAGE, region=people.region)

    with pytest.raises(AccessDenied):
        services.approve_triage(report=report, by=colleague)
    report = services.approve_triage(report=report, by=people.scientist)
    assert report.state == ReportState.INVESTIGATION
    assert report.investigation_due == timezone.localdate() + timedelta(weeks=10)


def test_acute_unsafety_needs_the_immediate_action_and_never_ends_without_follow_up(people):
    report = people.receive()
    with pytest.raises(services.ReportError, match="directe actie"):
        services.record_safety_assessment(
            report=report, by=people.triage, acute=True, structural=False
        )
    services.record_safety_assessment(
        report=report,
        by=people.triage,
        acute=True,
        structural=False,
        immediate_action="Politie ingeschakeld, kind bij oma ondergebracht.",
    )
    with pytest.raises(services.ReportError, match="niet zonder vervolg"):
        services.propose_triage(
            report=report, by=people.triage, outcome=TriageOutcome.NO_FURTHER_ACTION, reasoning="-"
        )


def test_an_illegal_step_is_refused_with_a_message_and_changes_nothing(people):
    report = people.receive()

    with pytest.raises(IllegalStep, match="kan niet in de fase"):
        services.close_report(report=report, by=people.triage, note="Klaar")
    report.refresh_from_db()
    assert report.state == ReportState.RECEIVED and report.closed_at is None


def test_only_the_receiving_team_accepts_a_transfer(people):
    report = people.receive()
    services.record_safety_assessment(
        report=report, by=people.triage, acute=False, structural=False
    )
    services.propose_triage(
        report=report, by=people.triage, outcome=TriageOutcome.TRANSFER, reasoning="Licht."
    )
    services.approve_triage(report=report, by=people.scientist)
    transfer = services.offer_transfer(
        report=report, by=people.triage, organisation=people.team, handover_note="Zorgen om voeding"
    )
    other_team = PartnerOrganisationFactory(
        region=people.region, kind=PartnerOrganisation.Kind.LOCAL_TEAM
    )
    stranger = make_user(Role.LOCAL_TEAM_MEMBER, region=people.region, organisation=other_team)

    with pytest.raises(AccessDenied):
        services.accept_transfer(transfer=transfer, by=stranger)
    services.accept_transfer(transfer=transfer, by=people.local)
    report.refresh_from_db()
    assert report.state == ReportState.TRANSFERRED and report.lead_organisation == people.team


def test_conditions_not_met_send_the_report_back_to_triage(people):
    report = people.receive()
    services.record_safety_assessment(report=report, by=people.triage, acute=False, structural=True)
    services.propose_triage(
        report=report, by=people.triage, outcome=TriageOutcome.CONDITIONS, reasoning="x"
    )
    services.approve_triage(report=report, by=people.scientist)
    services.add_safety_condition(
        report=report,
        by=people.triage,
        description="Geen geweld",
        responsible="Vader",
        due=timezone.localdate() + timedelta(days=9),
    )
    transfer = services.offer_transfer(
        report=report, by=people.triage, organisation=people.team, handover_note="x"
    )
    services.accept_transfer(transfer=transfer, by=people.local)
    report.refresh_from_db()

    report = services.record_monitoring(
        moment=report.monitoring_moments.first(),
        by=people.monitor,
        conditions_met=False,
        spoke_with="buurtteam",
        findings="Opnieuw politie-inzet.",
    )
    assert report.state == ReportState.TRIAGE
    assert not report.monitoring_moments.filter(recorded_at__isnull=True).exists()


@pytest.mark.parametrize(
    ("bsn", "valid"),
    [
        ("111222333", True),
        ("123456782", True),
        ("123456789", False),
        ("12345678", False),
        ("000000000", False),
        ("abcdefghi", False),
    ],
)
def test_the_citizen_service_number_passes_the_eleven_check(bsn, valid):
    assert services.is_valid_bsn(bsn) is valid


def test_a_wrong_bsn_is_refused_and_nothing_is_saved(people):
    with pytest.raises(services.ReportError, match="elfproef"):
        people.receive(persons=[PersonDetails(role="child", name="Sem", bsn="123456789")])
    assert not Report.objects.exists()


def test_a_report_needs_the_reporters_name_and_a_way_to_reach_them(people):
    with pytest.raises(services.ReportError) as refused:
        people.receive(reporter=ReporterDetails(name="", is_professional=False))
    assert set(refused.value.errors) == {"reporter_name", "reporter_phone"}
    assert not Report.objects.exists()


def test_the_reporter_and_the_bsn_are_not_readable_in_the_database(people):
    report = people.receive()

    with connection.cursor() as cursor:
        cursor.execute("SELECT name, organisation, phone, email FROM reports_reporter")
        stored = " ".join(cursor.fetchone())
        cursor.execute("SELECT bsn, bsn_hash FROM reports_reportperson")
        bsn, bsn_hash = cursor.fetchone()
    assert "Marieke" not in stored and "Regenboog" not in stored and "regenboog" not in stored
    assert stored.startswith("enc1:")
    assert "111222333" not in bsn and "111222333" not in bsn_hash
    assert report.reporter.name == "Marieke Jansen"  # the application, with the key, reads it
    assert ReportPerson.objects.get().bsn == "111222333"


def test_earlier_reports_about_the_same_child_are_found_by_bsn_and_by_name_and_birth(people):
    first = people.receive()
    second = people.receive(
        persons=[PersonDetails(role="child", name="sem  de vries", date_of_birth=date(2015, 3, 14))]
    )
    third = people.receive()

    from vangnet.reports.selectors import earlier_history

    found = {item["reference"] for item in earlier_history(third)}
    assert found == {first.reference, second.reference}


def test_a_named_dossier_becomes_a_report_but_a_chat_only_dossier_never(people):
    chat_only = AdviceDossierFactory(region=people.region, is_anonymous=False)
    ContactFactory(region=people.region, dossier=chat_only, channel="chat")
    with pytest.raises(services.ReportError, match="Via de chat kan geen melding"):
        people.receive(source_dossier=chat_only)
    assert not Report.objects.exists()

    named = AdviceDossierFactory(region=people.region, is_anonymous=False)
    ContactFactory(region=people.region, dossier=named, channel="phone")
    report = people.receive(source_dossier=named)
    named.refresh_from_db()
    assert report.source_dossier == named and not named.is_open
    assert named.events.get(kind=DossierEvent.Kind.CONVERTED).note == report.reference


def test_retention_deletes_closed_reports_past_their_date_unless_on_hold(people):
    kept, held, gone = people.receive(), people.receive(), people.receive()
    yesterday = timezone.localdate() - timedelta(days=1)
    Report.objects.filter(pk__in=[held.pk, gone.pk]).update(
        state="closed", retention_until=yesterday
    )
    Report.objects.filter(pk=held.pk).update(legal_hold=True)

    assert services.purge_expired_reports() == 1

    assert set(Report.objects.values_list("pk", flat=True)) == {kept.pk, held.pk}
    entry = AccessLogEntry.objects.get(action=AccessLogAction.DELETE)
    assert entry.object_id == str(gone.pk) and "Sem" not in entry.reason


# --- no sequence of steps reaches an illegal state --------------------------------------

ACTIONS = [
    "assess",
    "assess_acute",
    "propose",
    "approve",
    "reject",
    "conclude",
    "end",
    "condition",
    "offer",
    "accept",
    "decline",
    "monitor_ok",
    "monitor_fail",
    "close",
]


class WorkflowProperties(HypothesisTestCase):
    @settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(
        actions=st.lists(st.sampled_from(ACTIONS), max_size=14),
        outcomes=st.lists(st.sampled_from(TriageOutcome.values), min_size=14, max_size=14),
        follow_ups=st.lists(st.sampled_from(services.FollowUp.CHOICES), min_size=14, max_size=14),
    )
    def test_random_steps_only_ever_follow_the_table(self, actions, outcomes, follow_ups):
        people = People()
        report = people.receive()
        for index, action in enumerate(actions):
            before = Report.objects.get(pk=report.pk).state
            try:
                self._do(people, report, action, outcomes[index], follow_ups[index])
            except (services.ReportError, IllegalStep, AccessDenied):
                self.assertEqual(Report.objects.get(pk=report.pk).state, before)
                continue
            after = Report.objects.get(pk=report.pk).state
            reachable = {before} | {
                target for transition in ALLOWED[before].values() for target in transition.targets
            }
            self.assertIn(after, reachable, f"{action}: {before} → {after}")
            if after == ReportState.CLOSED:
                self.assertIsNotNone(Report.objects.get(pk=report.pk).retention_until)

    def _do(self, people, report, action, outcome, follow_up):
        report = Report.objects.get(pk=report.pk)
        today = timezone.localdate()
        match action:
            case "assess":
                services.record_safety_assessment(
                    report=report, by=people.triage, acute=False, structural=True
                )
            case "assess_acute":
                services.record_safety_assessment(
                    report=report,
                    by=people.triage,
                    acute=True,
                    structural=False,
                    immediate_action="Politie",
                )
            case "propose":
                services.propose_triage(
                    report=report, by=people.triage, outcome=outcome, reasoning="Zo."
                )
            case "approve":
                services.approve_triage(report=report, by=people.scientist)
            case "reject":
                services.reject_triage(report=report, by=people.scientist, note="Opnieuw")
            case "conclude":
                services.conclude_investigation(
                    report=report, by=people.triage, conclusion="Klaar", follow_up=follow_up
                )
            case "end":
                services.end_intervention(
                    report=report, by=people.triage, note="Klaar", follow_up=follow_up
                )
            case "condition":
                services.add_safety_condition(
                    report=report,
                    by=people.triage,
                    description="x",
                    responsible="y",
                    due=today + timedelta(days=5),
                )
            case "offer":
                services.offer_transfer(
                    report=report, by=people.triage, organisation=people.team, handover_note="z"
                )
            case "accept" | "decline":
                transfer = report.transfers.filter(status="offered").first()
                if transfer is None:
                    raise services.ReportError("geen")
                if action == "accept":
                    services.accept_transfer(transfer=transfer, by=people.local)
                else:
                    services.decline_transfer(transfer=transfer, by=people.local, note="Vol")
            case "monitor_ok" | "monitor_fail":
                moment = report.monitoring_moments.filter(recorded_at__isnull=True).first()
                if moment is None:
                    raise services.ReportError("geen")
                services.record_monitoring(
                    moment=moment,
                    by=people.monitor,
                    conditions_met=action == "monitor_ok",
                    spoke_with="gezin",
                    findings="f",
                )
            case "close":
                by = people.monitor if report.state == ReportState.MONITORING else people.triage
                services.close_report(report=report, by=by, note="Klaar")


def test_the_schools_status_page_shows_who_handles_it_and_nothing_more(people, client):
    received = services.receive_report(
        region=people.region,
        by=people.triage,
        channel="phone",
        reporter=SCHOOL,
        persons=[CHILD],
        forms_of_violence=["neglect"],
        concerns="Sem komt hongerig op school.",
    )
    report = received.report
    services.record_safety_assessment(
        report=report, by=people.triage, acute=False, structural=False
    )
    services.propose_triage(
        report=report,
        by=people.triage,
        outcome=TriageOutcome.TRANSFER,
        reasoning="Lichte zorgen, hulp dichtbij.",
    )
    services.approve_triage(report=report, by=people.scientist)
    transfer = services.offer_transfer(
        report=report, by=people.triage, organisation=people.team, handover_note="Zorgen om voeding"
    )
    services.accept_transfer(transfer=transfer, by=people.local)

    wrong = client.post(received.status_url, {"reference": "ME-2026-000000"})
    assert wrong.status_code == 400
    assert "Dit kenmerk hoort niet bij deze link" in wrong.content.decode()
    page = client.post(
        received.status_url, {"reference": report.reference.lower()}
    ).content.decode()

    assert "Buurtteam Oost" in page
    for secret in ("Sem", "hongerig", "Marieke", "Regenboog", "voeding", "Lichte zorgen"):
        assert secret not in page
    assert (
        client.post("/melding/status/verkeerd/", {"reference": report.reference}).status_code == 400
    )
