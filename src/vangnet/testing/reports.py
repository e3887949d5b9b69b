"""Building reports for tests and demo data: through the real services, as a person would."""

from __future__ import annotations

from datetime import date
from typing import Any

from vangnet.accounts.models import Role, User
from vangnet.contacts.models import Channel, Sector
from vangnet.regions.models import PartnerOrganisation, Region
from vangnet.reports import services
from vangnet.reports.models import PersonRole, Report
from vangnet.reports.services import PersonDetails, ReceivedReport, ReporterDetails, receive_report
from vangnet.reports.workflow import TriageOutcome
from vangnet.testing.factories import add_membership, make_user

SCHOOL_REPORTER = ReporterDetails(
    name="Annemiek de Vries",
    is_professional=True,
    organisation="Basisschool De Regenboog",
    sector=Sector.EDUCATION,
    phone="030-1234567",
    email="a.devries@regenboog.example",
    anonymous_to_family=True,
)

CHILD = PersonDetails(
    role=PersonRole.CHILD,
    name="Sem Jansen",
    date_of_birth=date(2016, 4, 12),
    bsn="111222333",
    address="Lindelaan 4, Utrecht",
    is_victim=True,
)
FATHER = PersonDetails(
    role=PersonRole.PARENT,
    name="Peter Jansen",
    date_of_birth=date(1984, 9, 1),
    address="Lindelaan 4, Utrecht",
    is_alleged_perpetrator=True,
)


def intake_user(region: Region) -> User:
    user = make_user(Role.TRIAGE, region=region)
    return user


def a_report(region: Region, *, by: User | None = None, **overrides: Any) -> ReceivedReport:
    """A school's report about a child and its father, received by phone."""
    values: dict[str, Any] = {
        "region": region,
        "by": by or intake_user(region),
        "channel": Channel.PHONE,
        "reporter": SCHOOL_REPORTER,
        "persons": [CHILD, FATHER],
        "forms_of_violence": ["physical_abuse"],
        "concerns": "Sem komt al weken met blauwe plekken op school en wil niet naar huis.",
        "actions_taken": "Gesprek met moeder gevoerd; collega en Veilig Thuis geraadpleegd.",
    }
    values.update(overrides)
    return receive_report(**values)


def staff(region: Region, *roles: str) -> User:
    user = make_user(roles[0], region=region)
    for role in roles[1:]:
        add_membership(user, role, region)
    return user


def transferred_report(region: Region, team: PartnerOrganisation) -> Report:
    """A report through assessment and four-eyes triage, transferred to `team`, not accepted."""
    triage = make_user(Role.TRIAGE, region=region)
    scientist = make_user(Role.BEHAVIOURAL_SCIENTIST, region=region)
    report = a_report(region, by=triage).report
    report = services.record_safety_assessment(
        report=report,
        by=triage,
        acute_unsafety=False,
        structural_unsafety=True,
        assessment="Herhaald letsel gezien op school.",
    )
    report = services.record_triage_decision(
        report=report,
        by=triage,
        outcome=TriageOutcome.LOCAL_TEAM,
        rationale="Hulp via het wijkteam.",
    )
    report = services.approve_triage(report=report, by=scientist)
    return services.transfer_report(
        report=report, to_team=team, by=triage, summary="Gezin heeft opvoedsteun nodig."
    )
