"""Demo data: regions, staff per role, partners and a handful of realistic contacts.

Every person and story here is fictitious; the situations follow the seed articles
(the chat behind the scenes, the Kindertelefoon handover, schools during corona).
Loading twice changes nothing but the demo passwords, which are reset to the printed one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from vangnet.accounts.models import Membership, Role, User
from vangnet.contacts.models import AskerType, Channel, Contact
from vangnet.regions.models import PartnerOrganisation, Region

DEMO_PASSWORD = "Vangnet-demo-2026!"  # noqa: S105  (printed on purpose; demo mode only)


@dataclass(frozen=True)
class DemoUser:
    username: str
    first_name: str
    last_name: str
    roles: tuple[tuple[str, str], ...]  # (region code, role)
    organisation: str = ""


DEMO_USERS = (
    DemoUser("jolanda", "Jolanda", "de Vries", (("VT09", Role.ADVICE_DESK),)),
    DemoUser(
        "stacey", "Stacey", "Bakker", (("VT09", Role.ADVICE_DESK), ("VT13", Role.ADVICE_DESK))
    ),
    DemoUser("tim", "Tim", "Jansen", (("VT09", Role.TRIAGE),)),
    DemoUser("gerda", "Gerda", "Visser", (("VT09", Role.BEHAVIOURAL_SCIENTIST),)),
    DemoUser("ismail", "Ismail", "El Amrani", (("VT09", Role.INVESTIGATOR),)),
    DemoUser("marieke", "Marieke", "Smit", (("VT09", Role.MONITORING),)),
    DemoUser("tanno", "Tanno", "Klijn", (("VT09", Role.TEAM_LEAD),)),
    DemoUser("priya", "Priya", "Ramdin", (("VT09", Role.PRIVACY_OFFICER),)),
    DemoUser("fons", "Fons", "Mulder", (("VT09", Role.FUNCTIONAL_ADMIN),)),
    DemoUser("anouk", "Anouk", "Meijer", (("VT13", Role.ADVICE_DESK),)),
    DemoUser("ruben", "Ruben", "de Boer", (("VT13", Role.TRIAGE),)),
    DemoUser("els", "Els", "Berghout", (("VT22", Role.ADVICE_DESK),)),
    DemoUser("noor", "Noor", "Hendriks", (("LANDELIJK", Role.ADVICE_DESK),)),
    DemoUser(
        "sanne",
        "Sanne",
        "Kok",
        (("LANDELIJK", Role.HELPLINE_VOLUNTEER),),
        organisation="De Kindertelefoon",
    ),
    DemoUser(
        "wijkteam-amersfoort",
        "Karin",
        "Peters",
        (("VT09", Role.LOCAL_TEAM_MEMBER),),
        organisation="Wijkteam Amersfoort",
    ),
    DemoUser(
        "mentor-utrecht",
        "Bram",
        "van Dijk",
        (("VT09", Role.PROFESSIONAL),),
        organisation="Christelijk Lyceum Utrecht",
    ),
)

DEMO_ORGANISATIONS = (
    ("De Kindertelefoon", PartnerOrganisation.Kind.HELPLINE, "LANDELIJK"),
    ("Wijkteam Amersfoort", PartnerOrganisation.Kind.LOCAL_TEAM, "VT09"),
    ("SAVE-team Utrecht", PartnerOrganisation.Kind.SAVE_TEAM, "VT09"),
    ("Christelijk Lyceum Utrecht", PartnerOrganisation.Kind.SCHOOL, "VT09"),
)

# (region, channel, asker type, asker name, days ago, registered by, summary)
DEMO_CONTACTS = (
    (
        "VT09",
        Channel.CHAT,
        AskerType.BYSTANDER,
        "",
        1,
        "jolanda",
        "Buurvrouw hoort al weken harde ruzies en een huilend kind bij de buren en twijfelt "
        "of ze iets moet doen. Signalen van kindermishandeling besproken en uitgelegd hoe "
        "een melding werkt en dat haar naam niet aan het gezin wordt verteld.",
    ),
    (
        "VT09",
        Channel.PHONE,
        AskerType.PROFESSIONAL,
        "B. van Dijk (mentor)",
        2,
        "jolanda",
        "Mentor belt samen met een leerling van 14 terug na het driegesprek via de "
        "Kindertelefoon. De jongen stemt in met een gesprek op school met mentor en moeder. "
        "Scenario's en de stappen van de meldcode met de mentor doorgenomen.",
    ),
    (
        "VT09",
        Channel.PHONE,
        AskerType.PROFESSIONAL,
        "pedagogisch medewerker kinderopvang",
        4,
        "tim",
        "Kinderopvang ziet blauwe plekken bij een peuter en vraagt advies zonder de familie "
        "te noemen. Geadviseerd het gesprek met de ouders met z'n tweeën te voeren en de "
        "aandachtsfunctionaris te betrekken.",
    ),
    (
        "VT13",
        Channel.CHAT,
        AskerType.VICTIM,
        "",
        1,
        "anouk",
        "Vrouw twijfelt of het huiselijk geweld is: haar partner slaat niet, maar zet haar "
        "psychisch onder druk. Ze is nog niet klaar om de relatie te beëindigen. Samen een "
        "organisatie gezocht die haar helpt sterker in haar schoenen te staan.",
    ),
    (
        "VT13",
        Channel.WRITTEN,
        AskerType.FAMILY,
        "",
        3,
        "ruben",
        "Grootvader schrijft dat zijn kleinkinderen bang zijn voor hun stiefvader. Gebeld "
        "en advies gegeven; hij overweegt een melding.",
    ),
    (
        "VT22",
        Channel.PHONE,
        AskerType.FAMILY,
        "",
        2,
        "els",
        "Moeder vraagt advies over de omgang: de kinderen voelen zich ongemakkelijk bij "
        "contact met hun vader na zijn vrijlating. Doorverwezen naar het wijkteam.",
    ),
    (
        "VT22",
        Channel.IN_PERSON,
        AskerType.PROFESSIONAL,
        "intern begeleider basisschool",
        6,
        "els",
        "School heeft een leerling al weken niet in beeld. Geadviseerd langs te gaan voor "
        "een raambezoek en te vertellen dat de school zich zorgen maakt.",
    ),
)


@dataclass
class DemoResult:
    users: list[DemoUser]
    contacts_created: int


@transaction.atomic
def load_demo_people_and_contacts() -> DemoResult:
    regions = {r.code: r for r in Region.objects.all()}
    organisations = {}
    for name, kind, region_code in DEMO_ORGANISATIONS:
        organisations[name], _ = PartnerOrganisation.objects.update_or_create(
            name=name, region=regions[region_code], defaults={"kind": kind}
        )
    users: dict[str, User] = {}
    for demo in DEMO_USERS:
        user, _ = User.objects.update_or_create(
            username=demo.username,
            defaults={
                "first_name": demo.first_name,
                "last_name": demo.last_name,
                "email": f"{demo.username}@demo.vangnet.invalid",
                "is_active": True,
                "organisation": organisations.get(demo.organisation),
            },
        )
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
        for region_code, role in demo.roles:
            Membership.objects.get_or_create(user=user, region=regions[region_code], role=role)
        users[demo.username] = user
    created = 0
    now = timezone.now()
    for region_code, channel, asker, name, days_ago, by, summary in DEMO_CONTACTS:
        _, was_created = Contact.objects.get_or_create(
            region=regions[region_code],
            summary=summary,
            defaults={
                "channel": channel,
                "asker_type": asker,
                "asker_name": name,
                "received_at": now - timedelta(days=days_ago, hours=days_ago * 3 % 7),
                "registered_by": users[by],
            },
        )
        created += was_created
    return DemoResult(users=list(DEMO_USERS), contacts_created=created)
