"""What leaves Veilig Thuis when a report is transferred: one package.

The transfer document (PDF and the partner's page) and the partner API both render this
package, so what a receiving team gets cannot differ between the two. Only what the team needs
to pick the case up: who the family is, what worries Veilig Thuis (in the employee's words for
the team), the triage decision, the safety conditions, and the own statements of the people
involved (they go wherever the file goes). NEVER the reporter's identity (DOMAIN.md: Veilig
Thuis guarantees the reporter's anonymity towards the family; the team works with the
family), nor the reporter's own words.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from .models import Report


@dataclass(frozen=True)
class TransferPerson:
    role: str
    role_label: str
    name: str
    date_of_birth: date | None
    address: str
    is_victim: bool
    is_alleged_perpetrator: bool


@dataclass(frozen=True)
class TransferCondition:
    description: str
    responsible: str
    due_on: date


@dataclass(frozen=True)
class TransferStatement:
    """A person's own statement: it goes wherever the file goes (ADR 0032)."""

    role_label: str
    name: str
    text: str
    added_on: date


@dataclass(frozen=True)
class TransferPackage:
    id: int
    reference: str
    from_region: str
    to_team: str
    transferred_at: datetime | None
    accepted_at: datetime | None
    forms_of_violence: list[str]
    forms_of_violence_labels: list[str]
    acute_unsafety: bool
    structural_unsafety: bool
    triage_outcome: str
    triage_outcome_label: str
    summary: str
    persons: list[TransferPerson]
    conditions: list[TransferCondition]
    monitoring_on: list[date]
    own_statements: list[TransferStatement]

    @property
    def status(self) -> str:
        return "accepted" if self.accepted_at else "pending"


def transfer_package(report: Report) -> TransferPackage:
    return TransferPackage(
        id=report.pk,
        reference=report.reference,
        from_region=report.region.display_name,
        to_team=report.transferred_to.name if report.transferred_to else "",
        transferred_at=report.transferred_at,
        accepted_at=report.transfer_accepted_at,
        forms_of_violence=list(report.forms_of_violence),
        forms_of_violence_labels=[str(label) for label in report.violence_form_labels],
        acute_unsafety=bool(report.acute_unsafety),
        structural_unsafety=bool(report.structural_unsafety),
        triage_outcome=report.triage_outcome,
        triage_outcome_label=str(report.get_triage_outcome_display()),
        summary=report.transfer_summary,
        persons=[
            TransferPerson(
                role=p.role,
                role_label=str(p.get_role_display()),
                name=p.name,
                date_of_birth=p.date_of_birth,
                address=p.address,
                is_victim=p.is_victim,
                is_alleged_perpetrator=p.is_alleged_perpetrator,
            )
            for p in report.persons.all()
        ],
        conditions=[
            TransferCondition(description=c.description, responsible=c.responsible, due_on=c.due_on)
            for c in report.conditions.all()
        ],
        monitoring_on=[m.planned_on for m in report.monitoring_moments.all()],
        own_statements=[
            TransferStatement(
                role_label=str(s.person.get_role_display()),
                name=s.person.name,
                text=s.text,
                added_on=s.added_at.date(),
            )
            for s in report.own_statements.select_related("person")
        ],
    )
