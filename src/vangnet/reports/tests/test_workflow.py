"""The workflow of a report: unit tests per step, tests generated from the table, and
property-based tests that drive random sequences of actions and find no illegal state."""

from __future__ import annotations

import contextlib
from datetime import timedelta

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from vangnet.accounts.models import Role
from vangnet.accounts.policy import AccessDenied
from vangnet.regions.models import PartnerOrganisation
from vangnet.reports import services
from vangnet.reports.deadlines import current_deadline
from vangnet.reports.models import Report
from vangnet.reports.services import ConditionDetails, ReportError
from vangnet.reports.workflow import (
    STEPS,
    ReportState,
    TriageOutcome,
    WorkflowError,
    enforce,
)
from vangnet.testing.factories import PartnerOrganisationFactory, RegionFactory, make_user
from vangnet.testing.reports import a_report

# --- Generated from the table ---------------------------------------------------------


@pytest.mark.parametrize(
    ("step", "state"),
    [
        (name, state)
        for name, step in STEPS.items()
        for state in ReportState.values
        if state not in step.sources
    ],
)
def test_a_step_from_a_state_the_table_does_not_list_is_refused(step, state):
    report = Report(state=state, triage_outcome=TriageOutcome.CONDITIONS)
    target = next(iter(STEPS[step].targets))
    with pytest.raises(WorkflowError) as error:
        enforce(report, step, target=target, by=None)  # type: ignore[arg-type]  # never reached
    assert str(error.value)  # a message a person can read


@pytest.mark.parametrize(
    ("step", "outcome"),
    [
        (name, outcome)
        for name, step in STEPS.items()
        if step.outcomes is not None and ReportState.TRIAGED in step.sources
        for outcome in TriageOutcome.values
        if outcome not in step.outcomes
    ],
)
def test_after_triage_only_the_steps_of_the_chosen_outcome_are_open(step, outcome):
    report = Report(state=ReportState.TRIAGED, triage_outcome=outcome)
    with pytest.raises(WorkflowError):
        enforce(report, step, target=next(iter(STEPS[step].targets)), by=None)  # type: ignore[arg-type]  # nobody: the refusal is the point


def test_every_state_can_be_reached_and_every_open_state_can_be_left():
    reachable = {ReportState.RECEIVED} | {t for step in STEPS.values() for t in step.targets}
    assert reachable == set(ReportState.values)
    leavable = {s for step in STEPS.values() for s in step.sources if step.targets - {s}}
    assert leavable == set(ReportState.values) - {ReportState.CLOSED}


# --- One report through the protocol -------------------------------------------------


class World:
    def __init__(self) -> None:
        self.region = RegionFactory.create()
        self.triage = make_user(Role.TRIAGE, region=self.region)
        self.colleague = make_user(Role.TRIAGE, region=self.region)
        self.scientist = make_user(Role.BEHAVIOURAL_SCIENTIST, region=self.region)
        self.team = PartnerOrganisationFactory.create(
            region=self.region, kind=PartnerOrganisation.Kind.LOCAL_TEAM, name="Wijkteam Oost"
        )
        self.other_team = PartnerOrganisationFactory.create(
            region=self.region, kind=PartnerOrganisation.Kind.LOCAL_TEAM, name="Wijkteam West"
        )
        self.school = PartnerOrganisationFactory.create(
            region=self.region, kind=PartnerOrganisation.Kind.SCHOOL, name="De Regenboog"
        )
        self.member = make_user(Role.LOCAL_TEAM_MEMBER, region=self.region, organisation=self.team)
        self.other_member = make_user(
            Role.LOCAL_TEAM_MEMBER, region=self.region, organisation=self.other_team
        )
        self.report = a_report(self.region, by=self.triage).report


@pytest.fixture
def world(db) -> World:
    return World()


def _triaged(world: World, outcome: str) -> Report:
    report = services.record_safety_assessment(
        report=world.report,
        by=world.triage,
        acute_unsafety=False,
        structural_unsafety=True,
        assessment="Herhaald letsel; moeder erkent spanningen thuis.",
    )
    report = services.record_triage_decision(
        report=report, by=world.triage, outcome=outcome, rationale="Ernstige zorgen."
    )
    return services.approve_triage(report=report, by=world.scientist)


def test_triage_waits_for_the_behavioural_scientists_approval(world):
    report = services.record_safety_assessment(
        report=world.report,
        by=world.triage,
        acute_unsafety=False,
        structural_unsafety=True,
        assessment="Structurele zorgen.",
    )
    report = services.record_triage_decision(
        report=report, by=world.triage, outcome=TriageOutcome.LOCAL_TEAM, rationale="Milde zorgen."
    )
    assert report.state == ReportState.TRIAGE_PROPOSED
    with pytest.raises(AccessDenied):
        services.approve_triage(report=report, by=world.colleague)  # not a behavioural scientist
    report = services.approve_triage(report=report, by=world.scientist)
    assert report.state == ReportState.TRIAGED
    assert report.triage_approved_by == world.scientist


def test_the_one_who_decided_cannot_approve_their_own_triage(world):
    add_scientist = make_user(Role.TRIAGE, region=world.region)
    from vangnet.testing.factories import add_membership

    add_membership(add_scientist, Role.BEHAVIOURAL_SCIENTIST, world.region)
    report = services.record_safety_assessment(
        report=world.report,
        by=add_scientist,
        acute_unsafety=False,
        structural_unsafety=True,
        assessment="Zorgen.",
    )
    report = services.record_triage_decision(
        report=report,
        by=add_scientist,
        outcome=TriageOutcome.INVESTIGATION,
        rationale="Onduidelijk.",
    )
    with pytest.raises(WorkflowError, match="Vier ogen"):
        services.approve_triage(report=report, by=add_scientist)
    report.refresh_from_db()
    assert report.state == ReportState.TRIAGE_PROPOSED


def test_acute_unsafety_needs_the_immediate_action_recorded(world):
    with pytest.raises(ReportError) as error:
        services.record_safety_assessment(
            report=world.report,
            by=world.triage,
            acute_unsafety=True,
            structural_unsafety=False,
            assessment="Kind durft niet naar huis.",
        )
    assert "immediate_action" in error.value.errors
    world.report.refresh_from_db()
    assert world.report.state == ReportState.RECEIVED


def test_an_illegal_step_is_refused_with_a_clear_message_and_changes_nothing(world):
    journal = world.report.journal.count()
    with pytest.raises(WorkflowError, match="Melding afsluiten"):
        services.close_report(report=world.report, by=world.triage, reason="Klaar")
    world.report.refresh_from_db()
    assert world.report.state == ReportState.RECEIVED
    assert world.report.journal.count() == journal


def test_investigation_has_ten_weeks_and_ends_with_a_conclusion(world):
    report = _triaged(world, TriageOutcome.INVESTIGATION)
    report = services.start_investigation(report=report, by=world.triage)
    assert report.investigation_due_on == timezone.localdate() + timedelta(weeks=10)
    deadline = current_deadline(report)
    assert deadline is not None
    assert (deadline.kind, deadline.due_on) == ("investigation", report.investigation_due_on)
    with pytest.raises(ReportError):
        services.record_investigation_conclusion(report=report, by=world.triage, conclusion=" ")
    report = services.record_investigation_conclusion(
        report=report, by=world.triage, conclusion="Zorgen bevestigd; hulp nodig."
    )
    assert report.state == ReportState.INVESTIGATED


def test_transfer_to_a_local_team_gives_it_the_lead_once_it_accepts(world):
    report = _triaged(world, TriageOutcome.LOCAL_TEAM)
    with pytest.raises(ReportError):
        services.transfer_report(report=report, to_team=world.school, by=world.triage, summary="x")
    report = services.transfer_report(
        report=report, to_team=world.team, by=world.triage, summary="Gezin heeft hulp nodig."
    )
    assert report.state == ReportState.TRANSFER_PENDING
    assert report.has_lead == world.region.display_name
    with pytest.raises(AccessDenied):
        services.accept_transfer(report=report, by=world.other_member)
    report = services.accept_transfer(report=report, by=world.member)
    assert report.state == ReportState.TRANSFERRED
    assert report.has_lead == "Wijkteam Oost"


def test_conditions_are_monitored_and_not_met_sends_the_report_back_to_triage(world, settings):
    settings.REPORT_MONITORING_MONTHS = [3, 6, 12]
    report = _triaged(world, TriageOutcome.CONDITIONS)
    report = services.set_safety_conditions(
        report=report,
        by=world.triage,
        conditions=[
            ConditionDetails(
                description="Vader slaat Sem niet meer; ruzies worden zonder geweld opgelost.",
                responsible="Vader, met steun van het wijkteam",
                due_on=timezone.localdate() + timedelta(days=30),
            )
        ],
    )
    report = services.transfer_report(
        report=report, to_team=world.team, by=world.triage, summary="Voorwaarden en vervolg."
    )
    report = services.accept_transfer(report=report, by=world.member)
    assert report.state == ReportState.MONITORING
    moments = list(report.monitoring_moments.all())
    assert len(moments) == 3
    assert moments[0].planned_on > timezone.localdate() + timedelta(days=80)

    report = services.record_monitoring(
        report=report,
        moment_id=moments[0].pk,
        by=world.triage,
        conditions_met=True,
        notes="Gaat goed.",
    )
    assert report.state == ReportState.MONITORING
    report = services.record_monitoring(
        report=report,
        moment_id=moments[1].pk,
        by=world.triage,
        conditions_met=False,
        notes="Opnieuw letsel gezien door school.",
    )
    assert report.state == ReportState.SAFETY_ASSESSED
    assert report.triage_outcome == ""
    assert report.has_lead == world.region.display_name


def test_closing_sets_the_retention_end(world, settings):
    settings.REPORT_RETENTION_YEARS = 20
    report = _triaged(world, TriageOutcome.NO_FURTHER_ACTION)
    report = services.close_report(report=report, by=world.triage, reason="Hulp loopt al.")
    today = timezone.localdate()
    assert report.retention_until == services.retention_end(today)
    assert report.retention_until.year == today.year + 20


def test_four_eyes_can_be_switched_off_for_a_region(world, settings):
    settings.REPORT_TRIAGE_FOUR_EYES_EXEMPT_REGIONS = [world.region.code]
    report = services.record_safety_assessment(
        report=world.report,
        by=world.triage,
        acute_unsafety=False,
        structural_unsafety=True,
        assessment="Zorgen.",
    )
    report = services.record_triage_decision(
        report=report, by=world.triage, outcome=TriageOutcome.LOCAL_TEAM, rationale="Mild."
    )
    assert report.state == ReportState.TRIAGED


# --- Property-based: random sequences of actions --------------------------------------

ACTORS = ("triage", "colleague", "scientist", "member", "other_member")
OUTCOMES = tuple(TriageOutcome.values)


def _do(world: World, report: Report, action: tuple) -> Report:
    name, actor_name, choice = action
    actor = getattr(world, actor_name)
    if name == "record_safety_assessment":
        return services.record_safety_assessment(
            report=report,
            by=actor,
            acute_unsafety=choice,
            structural_unsafety=True,
            assessment="Beoordeling.",
            immediate_action="Politie ingeschakeld." if choice else "",
        )
    if name == "record_triage_decision":
        return services.record_triage_decision(
            report=report, by=actor, outcome=OUTCOMES[choice % len(OUTCOMES)], rationale="Omdat."
        )
    if name == "approve_triage":
        return services.approve_triage(report=report, by=actor)
    if name == "reject_triage":
        return services.reject_triage(report=report, by=actor, reason="Nog niet scherp.")
    if name == "start_investigation":
        return services.start_investigation(report=report, by=actor)
    if name == "record_investigation_conclusion":
        return services.record_investigation_conclusion(
            report=report, by=actor, conclusion="Klaar."
        )
    if name == "set_safety_conditions":
        return services.set_safety_conditions(
            report=report,
            by=actor,
            conditions=[
                ConditionDetails(
                    description="Geen geweld.",
                    responsible="Ouders",
                    due_on=timezone.localdate() + timedelta(days=60),
                )
            ],
        )
    if name == "transfer_report":
        team = world.team if choice else world.school
        return services.transfer_report(report=report, to_team=team, by=actor, summary="Info.")
    if name == "withdraw_transfer":
        return services.withdraw_transfer(report=report, by=actor, reason="Verkeerd team.")
    if name == "accept_transfer":
        return services.accept_transfer(report=report, by=actor)
    if name == "plan_monitoring":
        return services.plan_monitoring(
            report=report, by=actor, dates=[timezone.localdate() + timedelta(days=90)]
        )
    if name == "record_monitoring":
        moment = report.monitoring_moments.filter(recorded_at__isnull=True).first()
        if moment is None:
            raise ReportError("geen moment")
        return services.record_monitoring(
            report=report, moment_id=moment.pk, by=actor, conditions_met=choice, notes="Besproken."
        )
    if name == "close_report":
        return services.close_report(report=report, by=actor, reason="Afgerond.")
    raise AssertionError(name)


_POST_TRIAGE = {
    ReportState.TRIAGED,
    ReportState.INVESTIGATING,
    ReportState.INVESTIGATED,
    ReportState.TRANSFER_PENDING,
    ReportState.TRANSFERRED,
    ReportState.MONITORING,
    ReportState.CLOSED,
}


def assert_legal(world: World, report: Report) -> None:
    report.refresh_from_db()
    assert report.state in ReportState.values
    if report.state in _POST_TRIAGE:
        assert report.triage_outcome in TriageOutcome.values
        assert report.triage_approved_by_id is not None
        assert report.triage_approved_by_id != report.triage_by_id
        assert report.triage_approved_by is not None
        assert report.triage_approved_by.memberships.filter(
            role=Role.BEHAVIOURAL_SCIENTIST, region=report.region
        ).exists()
    if report.state in {ReportState.INVESTIGATING, ReportState.INVESTIGATED}:
        assert report.investigation_started_at and report.investigation_due_on
    if report.state == ReportState.INVESTIGATED:
        assert report.investigation_conclusion
    if report.state == ReportState.TRANSFER_PENDING:
        assert report.transferred_to is not None
        assert report.transferred_to.kind in {str(kind) for kind in services.TRANSFER_KINDS}
    if report.state in {ReportState.TRANSFERRED, ReportState.MONITORING}:
        assert report.transfer_accepted_by is not None
        assert report.transfer_accepted_by.organisation_id == report.transferred_to_id
    if report.state == ReportState.MONITORING:
        assert report.conditions.exists()
    if report.state == ReportState.CLOSED:
        assert report.closed_at and report.retention_until
    # The journal is an unbroken chain of allowed steps ending in the current state.
    previous = ""
    for entry in report.journal.order_by("at", "id"):
        assert entry.state_before == previous
        if entry.step != "receive_report":
            step = STEPS.get(entry.step)
            if step is not None:
                assert entry.state_before in step.sources
                assert entry.state_after in step.targets
            else:
                assert entry.state_before == entry.state_after  # notes, legal hold
        previous = entry.state_after
    assert previous == report.state


FITTING_ACTORS = {
    "approve_triage": ("scientist",),
    "reject_triage": ("scientist",),
    "accept_transfer": ("member",),
}


def _draw_action(data: st.DataObject, report: Report) -> tuple:
    """Mostly a step the state allows, by someone who fits it; sometimes anything at all."""
    from vangnet.reports.workflow import allowed_steps

    allowed = allowed_steps(report)
    if len(allowed) > 1 and data.draw(st.integers(0, 2)) > 0:
        # Closing ends the walk; take it less often so the later states are reached too.
        allowed = [name for name in allowed if name != "close_report"]
    wild = data.draw(st.integers(0, 3)) == 0
    name = data.draw(st.sampled_from(sorted(STEPS) if wild or not allowed else allowed))
    fitting = FITTING_ACTORS.get(name, ("triage", "colleague"))
    actor = data.draw(st.sampled_from(ACTORS if wild else fitting))
    choice = data.draw(st.integers(0, 9))
    return (name, actor, choice if name == "record_triage_decision" else bool(choice % 3))


class TestRandomActionSequences(TestCase):
    @settings(
        max_examples=60,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(st.data())
    def test_no_sequence_of_actions_reaches_an_illegal_state(self, data):
        world = World()
        report = world.report
        for _ in range(data.draw(st.integers(1, 30))):
            action = _draw_action(data, report)
            before = Report.objects.values().get(pk=report.pk)
            journal = report.journal.count()
            try:
                report = _do(world, report, action)
            except (ReportError, WorkflowError, AccessDenied):
                # A refused action changes nothing.
                assert Report.objects.values().get(pk=report.pk) == before
                assert report.journal.count() == journal
            assert_legal(world, report)
            # `pytest --hypothesis-show-statistics` shows how often each state was reached.
            event(report.state)

    @settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(st.lists(st.sampled_from(ACTORS), min_size=1, max_size=6))
    def test_triage_is_approved_only_by_a_second_behavioural_scientist(self, approvers):
        world = World()
        report = _do(world, world.report, ("record_safety_assessment", "triage", False))
        report = _do(world, report, ("record_triage_decision", "triage", 0))
        for approver in approvers:
            with contextlib.suppress(WorkflowError, AccessDenied):
                report = services.approve_triage(report=report, by=getattr(world, approver))
        report.refresh_from_db()
        if "scientist" in approvers:
            assert report.state == ReportState.TRIAGED
            assert report.triage_approved_by == world.scientist
        else:
            assert report.state == ReportState.TRIAGE_PROPOSED
