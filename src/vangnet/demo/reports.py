"""Demo reports for `make demo`: a few reports of Veilig Thuis Utrecht (VT09) in different
states, made through the real services. Every person and story is fictitious."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone

from vangnet.accounts.models import User
from vangnet.contacts.models import Channel, Sector
from vangnet.regions.models import PartnerOrganisation, Region
from vangnet.reports import services
from vangnet.reports.models import PersonRole, Report
from vangnet.reports.services import ConditionDetails, PersonDetails, ReporterDetails
from vangnet.reports.workflow import TriageOutcome

SCHOOL = ReporterDetails(
    name="Annemiek de Wit",
    is_professional=True,
    organisation="Christelijk Lyceum Utrecht",
    sector=Sector.EDUCATION,
    phone="030-2000001",
    email="a.dewit@lyceum.demo.invalid",
    anonymous_to_family=True,
)
POLICE = ReporterDetails(
    name="Agent R. Yilmaz",
    is_professional=True,
    organisation="Politie Midden-Nederland",
    sector=Sector.POLICE,
    phone="088-1234567",
)
NEIGHBOUR = ReporterDetails(
    name="Joke van Leeuwen", is_professional=False, phone="06-12345678", anonymous_to_family=True
)
GP = ReporterDetails(
    name="Dr. F. Koster",
    is_professional=True,
    organisation="Huisartsenpraktijk De Linde",
    sector=Sector.HEALTHCARE,
    phone="033-4000002",
)


def _family(surname: str, child: str, born: date, street: str) -> list[PersonDetails]:
    return [
        PersonDetails(
            role=PersonRole.CHILD,
            name=f"{child} {surname}",
            date_of_birth=born,
            address=street,
            is_victim=True,
        ),
        PersonDetails(
            role=PersonRole.PARENT,
            name=f"Ouder {surname}",
            address=street,
            is_alleged_perpetrator=True,
        ),
    ]


def load_demo_reports(users: dict[str, User], regions: dict[str, Region]) -> int:
    """Loading twice changes nothing: the demo reports are made only once."""
    region = regions.get("VT09")
    if region is None or Report.objects.filter(region=region).exists():
        return 0
    tim, gerda, ismail, marieke = (users[n] for n in ("tim", "gerda", "ismail", "marieke"))
    karin = users["wijkteam-amersfoort"]
    team = PartnerOrganisation.objects.get(name="Wijkteam Amersfoort", region=region)
    now = timezone.now()
    made = []

    def receive(
        reporter: ReporterDetails,
        persons: list[PersonDetails],
        days_ago: int,
        concerns: str,
        forms: list[str],
        acute: bool = False,
    ) -> Report:
        received = services.receive_report(
            region=region,
            by=tim,
            channel=Channel.PHONE,
            reporter=reporter,
            persons=persons,
            forms_of_violence=forms,
            concerns=concerns,
            is_acute=acute,
            received_at=now - timedelta(days=days_ago),
        )
        made.append(received.report)
        return received.report

    def triaged(report: Report, outcome: str) -> Report:
        report = services.record_safety_assessment(
            report=report,
            by=tim,
            acute_unsafety=False,
            structural_unsafety=True,
            assessment="Herhaalde zorgen; ouders erkennen de spanningen.",
        )
        report = services.record_triage_decision(
            report=report, by=tim, outcome=outcome, rationale="Besproken in het triageoverleg."
        )
        return services.approve_triage(report=report, by=gerda)

    # 1. Just in, acute: the police report a violent incident last night.
    receive(
        POLICE,
        _family("Demir", "Elif", date(2015, 6, 2), "Laan 12, Utrecht"),
        0,
        "Politie-inzet na melding van burengerucht; moeder met letsel, kinderen aanwezig.",
        ["partner_violence", "witnessing"],
        acute=True,
    )
    # 2. A school's report, triage waiting for the behavioural scientist (and overdue).
    school = receive(
        SCHOOL,
        _family("Hoekstra", "Milan", date(2013, 9, 14), "Kerkstraat 3, Amersfoort"),
        9,
        "Milan komt vaak te laat, is schrikachtig en heeft blauwe plekken.",
        ["physical_abuse"],
    )
    school = services.record_safety_assessment(
        report=school,
        by=tim,
        acute_unsafety=False,
        structural_unsafety=True,
        assessment="Structurele onveiligheid; geen acuut gevaar.",
    )
    services.record_triage_decision(
        report=school,
        by=tim,
        outcome=TriageOutcome.LOCAL_TEAM,
        rationale="Milde zorgen; ouders willen hulp.",
    )
    # 3. Transferred to the local team, waiting for acceptance (log in as wijkteam-amersfoort).
    pending = receive(
        NEIGHBOUR,
        _family("Jansen", "Lotte", date(2017, 1, 20), "Dorpsweg 8, Amersfoort"),
        6,
        "Buurvrouw hoort bijna dagelijks geschreeuw en gehuil.",
        ["neglect"],
    )
    services.transfer_report(
        report=triaged(pending, "local_team"),
        to_team=team,
        by=tim,
        summary="Gezin heeft opvoedondersteuning nodig; moeder staat open.",
    )
    # 4. Under investigation.
    investigated = receive(
        GP,
        _family("Bos", "Sam", date(2012, 11, 5), "Molenweg 1, Zeist"),
        12,
        "Huisarts ziet onverklaard letsel bij herhaald bezoek.",
        ["physical_abuse", "psychological_abuse"],
    )
    services.start_investigation(report=triaged(investigated, "investigation"), by=ismail)
    # 5. Conditions and follow-up: transferred, accepted, monitored.
    monitored = receive(
        SCHOOL,
        _family("Visser", "Noah", date(2014, 3, 30), "Stationsplein 5, Amersfoort"),
        30,
        "Noah vertelt dat vader hem slaat als hij boos is.",
        ["physical_abuse"],
    )
    monitored = triaged(monitored, "conditions")
    services.set_safety_conditions(
        report=monitored,
        by=tim,
        conditions=[
            ConditionDetails(
                description="Vader gebruikt geen fysiek geweld; bij boosheid gaat hij "
                "de deur uit en belt zijn hulpverlener.",
                responsible="Vader",
                due_on=timezone.localdate() + timedelta(days=60),
            ),
        ],
    )
    services.transfer_report(
        report=monitored,
        to_team=team,
        by=tim,
        summary="Voorwaarden en vervolg; Veilig Thuis monitort.",
    )
    services.accept_transfer(report=monitored, by=karin)
    # 6. Closed: advice was enough.
    closed = receive(
        NEIGHBOUR,
        _family("de Groot", "Daan", date(2018, 2, 11), "Parklaan 9, Utrecht"),
        40,
        "Zorgen om verwaarlozing; hulp bleek al te lopen.",
        ["neglect"],
    )
    services.close_report(
        report=triaged(closed, "no_further_action"),
        by=marieke,
        reason="Hulp loopt al via het wijkteam.",
    )
    return len(made)
