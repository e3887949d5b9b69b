"""The one workflow of a report (melding): its states, the allowed steps, and who may take them.

Read it as the protocol (DOMAIN.md "Reports"; Handelingsprotocol Veilig Thuis, 2019):

    received ──safety assessment──▶ triage ──proposal──▶ triage approval (four eyes)
       triage approval ──approve──▶ investigation | intervention | transfer | closed
                       ──reject───▶ triage
    investigation ──conclusion──▶ transfer | closed
    intervention  ──end─────────▶ transfer | closed
    transfer ──accepted by the team──▶ monitoring (safety conditions) | transferred
    monitoring ──moment: conditions met──▶ monitoring; not met ──▶ triage
    transferred | monitoring ──close──▶ closed

Every step is a service function in `services.py`; each one calls `check_step` first, so an
illegal step raises `IllegalStep` with a message the employee can act on and changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from vangnet.accounts.policy import Action


class ReportState(models.TextChoices):
    RECEIVED = "received", _("Ontvangen — veiligheidsbeoordeling te doen")
    TRIAGE = "triage", _("Triage — besluit te nemen")
    TRIAGE_APPROVAL = "triage_approval", _("Triagebesluit wacht op tweede beoordelaar")
    INVESTIGATION = "investigation", _("Onderzoek door Veilig Thuis")
    INTERVENTION = "intervention", _("Acute interventie")
    TRANSFER = "transfer", _("Overdracht — wacht op het ontvangende team")
    TRANSFERRED = "transferred", _("Overgedragen")
    MONITORING = "monitoring", _("Monitoring van de veiligheidsvoorwaarden")
    CLOSED = "closed", _("Afgesloten")


class TriageOutcome(models.TextChoices):
    """DOMAIN.md, triage outcomes (a) to (e)."""

    TRANSFER = "transfer", _("Overdracht aan lokaal team of SAVE-team")
    CONDITIONS = "conditions", _("Voorwaarden en vervolg (veiligheidsvoorwaarden, monitoring)")
    INVESTIGATION = "investigation", _("Onderzoek door Veilig Thuis")
    ACUTE_INTERVENTION = (
        "acute_intervention",
        _("Acute interventie (politie, tijdelijk huisverbod, Raad voor de Kinderbescherming)"),
    )
    NO_FURTHER_ACTION = "no_further_action", _("Geen vervolg: omgezet in advies of afgesloten")


class Step(models.TextChoices):
    RECORD_SAFETY_ASSESSMENT = "record_safety_assessment", _("Veiligheidsbeoordeling vastleggen")
    PROPOSE_TRIAGE = "propose_triage", _("Triagebesluit voorstellen")
    APPROVE_TRIAGE = "approve_triage", _("Triagebesluit goedkeuren")
    REJECT_TRIAGE = "reject_triage", _("Triagebesluit terugsturen")
    CONCLUDE_INVESTIGATION = "conclude_investigation", _("Onderzoek afronden")
    END_INTERVENTION = "end_intervention", _("Interventie afronden")
    OFFER_TRANSFER = "offer_transfer", _("Overdracht aanbieden")
    ACCEPT_TRANSFER = "accept_transfer", _("Overdracht accepteren")
    DECLINE_TRANSFER = "decline_transfer", _("Overdracht weigeren")
    RECORD_MONITORING = "record_monitoring", _("Monitoringsmoment vastleggen")
    CLOSE = "close", _("Melding afsluiten")


S = ReportState


@dataclass(frozen=True)
class Transition:
    targets: frozenset[str]
    action: Action  # what the policy must grant, in the report's region


def _t(*targets: str, action: Action) -> Transition:
    return Transition(frozenset(targets), action)


ALLOWED: dict[str, dict[str, Transition]] = {
    S.RECEIVED: {
        Step.RECORD_SAFETY_ASSESSMENT: _t(S.TRIAGE, action=Action.ASSESS_REPORT),
    },
    S.TRIAGE: {
        Step.PROPOSE_TRIAGE: _t(S.TRIAGE_APPROVAL, action=Action.ASSESS_REPORT),
    },
    S.TRIAGE_APPROVAL: {
        # Four eyes: the behavioural scientist approves, never the one who proposed.
        Step.APPROVE_TRIAGE: _t(
            S.INVESTIGATION, S.INTERVENTION, S.TRANSFER, S.CLOSED, action=Action.APPROVE_TRIAGE
        ),
        Step.REJECT_TRIAGE: _t(S.TRIAGE, action=Action.APPROVE_TRIAGE),
    },
    S.INVESTIGATION: {
        Step.CONCLUDE_INVESTIGATION: _t(S.TRANSFER, S.CLOSED, action=Action.INVESTIGATE_REPORT),
    },
    S.INTERVENTION: {
        Step.END_INTERVENTION: _t(S.TRANSFER, S.CLOSED, action=Action.ASSESS_REPORT),
    },
    S.TRANSFER: {
        Step.OFFER_TRANSFER: _t(S.TRANSFER, action=Action.TRANSFER_REPORT),
        Step.ACCEPT_TRANSFER: _t(S.MONITORING, S.TRANSFERRED, action=Action.ACCEPT_TRANSFER),
        Step.DECLINE_TRANSFER: _t(S.TRANSFER, action=Action.ACCEPT_TRANSFER),
    },
    S.MONITORING: {
        Step.RECORD_MONITORING: _t(S.MONITORING, S.TRIAGE, action=Action.MONITOR_REPORT),
        Step.CLOSE: _t(S.CLOSED, action=Action.MONITOR_REPORT),
    },
    S.TRANSFERRED: {
        Step.CLOSE: _t(S.CLOSED, action=Action.TRANSFER_REPORT),
    },
    S.CLOSED: {},
}

# Where an approved triage decision leads.
OUTCOME_STATE: dict[str, str] = {
    TriageOutcome.TRANSFER: S.TRANSFER,
    TriageOutcome.CONDITIONS: S.TRANSFER,
    TriageOutcome.INVESTIGATION: S.INVESTIGATION,
    TriageOutcome.ACUTE_INTERVENTION: S.INTERVENTION,
    TriageOutcome.NO_FURTHER_ACTION: S.CLOSED,
}


class IllegalStep(Exception):
    """This step is not allowed in the report's state; nothing was changed."""


def steps_from(state: str) -> dict[str, Transition]:
    return ALLOWED.get(state, {})


def check_step(state: str, step: str, target: str) -> Transition:
    """The transition for `step` from `state` to `target`, or IllegalStep saying why not."""
    transition = steps_from(state).get(step)
    if transition is None:
        raise IllegalStep(
            gettext("'%(step)s' kan niet in de fase '%(state)s'.")
            % {"step": Step(step).label, "state": ReportState(state).label}
        )
    if target not in transition.targets:
        raise IllegalStep(
            gettext("Na '%(step)s' kan de melding niet naar '%(target)s'.")
            % {"step": Step(step).label, "target": ReportState(target).label}
        )
    return transition
