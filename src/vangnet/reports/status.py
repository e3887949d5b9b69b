"""What a reporter may hear about their report (DOMAIN.md, feedback to the reporter).

Built from the report's milestones only, never from its content: whether it was received,
whether a follow-up was started and who handles it (an organisation's name), and closure.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Report
from .workflow import ReportState, TriageOutcome


@dataclass(frozen=True)
class ReporterStatus:
    reference: str
    received_on: date
    handled_by: str  # an organisation's name, or "" while triage is not decided
    follow_up: str  # what kind of follow-up, in words a reporter may hear
    closed_on: date | None


_TRIAGED = {
    ReportState.TRIAGED,
    ReportState.INVESTIGATING,
    ReportState.INVESTIGATED,
    ReportState.TRANSFER_PENDING,
    ReportState.TRANSFERRED,
    ReportState.MONITORING,
    ReportState.CLOSED,
}


def reporter_view(report: Report) -> ReporterStatus:
    handled_by = ""
    follow_up = ""
    decided = report.state in _TRIAGED and bool(report.triage_outcome)
    if report.transfer_accepted_at and report.transferred_to_id:
        handled_by = report.transferred_to.name  # type: ignore[union-attr]  # transferred in this state (workflow)
        follow_up = _("De melding is overgedragen. Het team hieronder heeft nu de regie.")
    elif decided:
        handled_by = report.region.display_name
        if report.triage_outcome == TriageOutcome.NO_FURTHER_ACTION:
            follow_up = _("Veilig Thuis heeft besloten geen vervolg te geven aan de melding.")
        else:
            follow_up = _("Veilig Thuis pakt de melding zelf op.")
    return ReporterStatus(
        reference=report.reference,
        received_on=timezone.localtime(report.received_at).date(),
        handled_by=handled_by,
        follow_up=follow_up,
        closed_on=timezone.localtime(report.closed_at).date() if report.closed_at else None,
    )
