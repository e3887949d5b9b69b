"""The workflow of a report (melding): every state, every allowed step, and who may take it.

One table, readable as the Handelingsprotocol (DOMAIN.md "Reports: the process"):
receipt → safety assessment → triage decision (approved by a second professional, the
behavioural scientist) → investigation with conclusion, and/or transfer to a local team or
SAVE team, safety conditions and monitoring → closure. `enforce` is the only function that
decides whether a step may be taken; every service function in `services.py` calls it first.
An illegal step raises `WorkflowError` with a Dutch message the employee can act on.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from vangnet.accounts.policy import AccessDenied, Action, may
from vangnet.errors import DomainError

if TYPE_CHECKING:
    from vangnet.accounts.models import User

    from .models import Report


StrOrPromise = str | Promise


class ReportState(models.TextChoices):
    RECEIVED = "received", _("Ontvangen")
    SAFETY_ASSESSED = "safety_assessed", _("Veiligheid beoordeeld, wacht op triage")
    TRIAGE_PROPOSED = "triage_proposed", _("Triagebesluit wacht op tweede akkoord")
    TRIAGED = "triaged", _("Triagebesluit genomen")
    INVESTIGATING = "investigating", _("In onderzoek")
    INVESTIGATED = "investigated", _("Onderzoek afgerond")
    TRANSFER_PENDING = "transfer_pending", _("Overdracht wacht op acceptatie")
    TRANSFERRED = "transferred", _("Overgedragen")
    MONITORING = "monitoring", _("Monitoring van veiligheidsvoorwaarden")
    CLOSED = "closed", _("Afgesloten")


class TriageOutcome(models.TextChoices):
    """DOMAIN.md, triage outcomes (a)-(e) of the Handelingsprotocol."""

    LOCAL_TEAM = "local_team", _("Overdracht aan lokaal team of SAVE-team")
    CONDITIONS = "conditions", _("Voorwaarden en Vervolg (veiligheidsvoorwaarden en monitoring)")
    INVESTIGATION = "investigation", _("Onderzoek door Veilig Thuis")
    ACUTE_INTERVENTION = (
        "acute_intervention",
        _("Acute interventie (politie, tijdelijk huisverbod, Raad voor de Kinderbescherming)"),
    )
    NO_FURTHER_ACTION = "no_further_action", _("Omzetten in advies of afsluiten")


class WorkflowError(DomainError):
    """A step the workflow does not allow now; the message says why and what to do instead."""


@dataclass(frozen=True)
class Step:
    label: StrOrPromise
    sources: frozenset[str]
    targets: frozenset[str]  # a step that keeps the state lists its sources here
    action: Action  # the policy action the person must hold for the report
    # From TRIAGED, only for these triage outcomes (None: any outcome).
    outcomes: frozenset[str] | None = None


S = ReportState
O = TriageOutcome  # noqa: E741  (short names keep the table readable)
_AFTER_TRIAGE_HELP = frozenset({O.LOCAL_TEAM, O.CONDITIONS, O.ACUTE_INTERVENTION})

# fmt: off
STEPS: dict[str, Step] = {
    "record_safety_assessment": Step(
        _("Veiligheidsbeoordeling vastleggen"),
        frozenset({S.RECEIVED}), frozenset({S.SAFETY_ASSESSED}), Action.HANDLE_REPORT),
    "record_triage_decision": Step(
        _("Triagebesluit vastleggen"),
        frozenset({S.SAFETY_ASSESSED}), frozenset({S.TRIAGE_PROPOSED, S.TRIAGED}),
        Action.HANDLE_REPORT),
    "approve_triage": Step(
        _("Triagebesluit goedkeuren (vier ogen)"),
        frozenset({S.TRIAGE_PROPOSED}), frozenset({S.TRIAGED}), Action.APPROVE_TRIAGE),
    "reject_triage": Step(
        _("Triagebesluit terugsturen"),
        frozenset({S.TRIAGE_PROPOSED}), frozenset({S.SAFETY_ASSESSED}), Action.APPROVE_TRIAGE),
    "start_investigation": Step(
        _("Onderzoek starten"),
        frozenset({S.TRIAGED}), frozenset({S.INVESTIGATING}), Action.HANDLE_REPORT,
        outcomes=frozenset({O.INVESTIGATION, O.ACUTE_INTERVENTION})),
    "record_investigation_conclusion": Step(
        _("Conclusie van het onderzoek vastleggen"),
        frozenset({S.INVESTIGATING}), frozenset({S.INVESTIGATED}), Action.HANDLE_REPORT),
    "set_safety_conditions": Step(
        _("Veiligheidsvoorwaarden vastleggen"),
        # Before the transfer (so the receiving team knows them), or added while monitoring.
        frozenset({S.TRIAGED, S.INVESTIGATED, S.MONITORING}),
        frozenset({S.TRIAGED, S.INVESTIGATED, S.MONITORING}),
        Action.HANDLE_REPORT, outcomes=frozenset({O.CONDITIONS, O.ACUTE_INTERVENTION})),
    "transfer_report": Step(
        _("Overdragen aan lokaal team of SAVE-team"),
        frozenset({S.TRIAGED, S.INVESTIGATED}), frozenset({S.TRANSFER_PENDING}),
        Action.HANDLE_REPORT, outcomes=_AFTER_TRIAGE_HELP),
    "withdraw_transfer": Step(
        _("Overdracht intrekken"),
        frozenset({S.TRANSFER_PENDING}), frozenset({S.TRIAGED, S.INVESTIGATED}),
        Action.HANDLE_REPORT),
    "accept_transfer": Step(
        _("Overdracht accepteren"),
        frozenset({S.TRANSFER_PENDING}), frozenset({S.TRANSFERRED, S.MONITORING}),
        Action.ACCEPT_TRANSFER),
    "plan_monitoring": Step(
        _("Monitoringmomenten plannen"),
        frozenset({S.MONITORING}), frozenset({S.MONITORING}), Action.HANDLE_REPORT),
    "record_monitoring": Step(
        _("Monitoringmoment vastleggen"),
        frozenset({S.MONITORING}), frozenset({S.MONITORING, S.SAFETY_ASSESSED}),
        Action.HANDLE_REPORT),
    "close_report": Step(
        _("Melding afsluiten"),
        frozenset({S.TRIAGED, S.INVESTIGATED, S.TRANSFERRED, S.MONITORING}),
        frozenset({S.CLOSED}), Action.HANDLE_REPORT,
        outcomes=frozenset({O.NO_FURTHER_ACTION, O.ACUTE_INTERVENTION})),
}
# fmt: on

OPEN_STATES = frozenset(ReportState.values) - {ReportState.CLOSED}


def allowed_steps(report: Report) -> list[str]:
    """The steps the report's state allows (whoever asks); for pages and tests."""
    return [name for name, step in STEPS.items() if _state_allows(step, report)]


def _state_allows(step: Step, report: Report) -> bool:
    if report.state not in step.sources:
        return False
    return not (
        report.state == ReportState.TRIAGED
        and step.outcomes is not None
        and report.triage_outcome not in step.outcomes
    )


def may_take(user: User, name: str, report: Report) -> bool:
    step = STEPS[name]
    return _state_allows(step, report) and may(user, step.action, report)


def enforce_state(report: Report, name: str, *, target: str) -> None:
    """Refuse the step unless the report's state and the target allow it."""
    step = STEPS[name]
    if not _state_allows(step, report):
        raise WorkflowError(
            gettext("“%(step)s” kan niet bij een melding met status “%(state)s”.")
            % {"step": step.label, "state": report.get_state_display()}
        )
    if target not in step.targets:
        raise WorkflowError(
            gettext("“%(step)s” kan de melding niet naar status “%(state)s” brengen.")
            % {"step": step.label, "state": ReportState(target).label}
        )


def enforce(report: Report, name: str, *, target: str, by: User) -> None:
    """Refuse the step unless the report's state, the target and the person allow it."""

    enforce_state(report, name, target=target)
    step = STEPS[name]
    if not may(by, step.action, report):
        raise AccessDenied(
            gettext("U mag “%(step)s” niet doen bij deze melding.") % {"step": step.label},
            action=step.action,
            obj=report,
        )
