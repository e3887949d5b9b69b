"""Demo data: regions, staff per role, partners, a handful of realistic contacts and the
social map (national help and a local team per region).

Every person and story here is fictitious; the situations follow the seed articles
(the chat behind the scenes, the Kindertelefoon handover, schools during corona).
Loading twice changes nothing but the demo passwords, which are reset to the printed one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from vangnet.accounts.models import Membership, Role, User
from vangnet.contacts.models import AskerType, Channel, Contact, PersonRelation, Sector
from vangnet.contacts.services import (
    PersonDetails,
    name_dossier,
    note_contact_in_dossier,
    open_dossier,
)
from vangnet.demo.reports import load_demo_reports
from vangnet.meldcode import services as meldcode
from vangnet.meldcode.models import MeldcodeRecord
from vangnet.regions.models import Municipality, PartnerOrganisation, Region, SocialMapEntry

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
    # The national desk's team lead: the national view of the figures and the pooled forecast.
    DemoUser("hanna", "Hanna", "Willems", (("LANDELIJK", Role.TEAM_LEAD),)),
    DemoUser("priya", "Priya", "Ramdin", (("VT09", Role.PRIVACY_OFFICER),)),
    DemoUser("fons", "Fons", "Mulder", (("VT09", Role.FUNCTIONAL_ADMIN),)),
    DemoUser("anouk", "Anouk", "Meijer", (("VT13", Role.ADVICE_DESK),)),
    DemoUser("ruben", "Ruben", "de Boer", (("VT13", Role.TRIAGE),)),
    DemoUser("els", "Els", "Berghout", (("VT22", Role.ADVICE_DESK),)),
    DemoUser("noor", "Noor", "Hendriks", (("LANDELIJK", Role.ADVICE_DESK),)),
    # Reads the access log of every region; regional privacy officers read their own.
    DemoUser("lotte", "Lotte", "Vermeulen", (("LANDELIJK", Role.NATIONAL_PRIVACY_OFFICER),)),
    # Keeps the national entries of the social map (and the national desk's accounts).
    DemoUser("yara", "Yara", "Bos", (("LANDELIJK", Role.FUNCTIONAL_ADMIN),)),
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
    # The meldcode assistant: a teacher and the school's contact person (aandachtsfunctionaris).
    DemoUser(
        "juf-lisa",
        "Lisa",
        "de Groot",
        (("VT09", Role.PROFESSIONAL),),
        organisation="Basisschool De Regenboog",
    ),
    DemoUser(
        "aandacht-regenboog",
        "Marloes",
        "Kramer",
        (("VT09", Role.MELDCODE_CONTACT_PERSON),),
        organisation="Basisschool De Regenboog",
    ),
)

DEMO_ORGANISATIONS = (
    ("De Kindertelefoon", PartnerOrganisation.Kind.HELPLINE, "LANDELIJK"),
    ("Wijkteam Amersfoort", PartnerOrganisation.Kind.LOCAL_TEAM, "VT09"),
    ("SAVE-team Utrecht", PartnerOrganisation.Kind.SAVE_TEAM, "VT09"),
    ("Christelijk Lyceum Utrecht", PartnerOrganisation.Kind.SCHOOL, "VT09"),
    ("Basisschool De Regenboog", PartnerOrganisation.Kind.SCHOOL, "VT09"),
)

# Regions whose intake takes reports sent from the meldcode assistant (the others: by phone).
DEMO_ONLINE_REPORT_REGIONS = ("VT09", "VT22")

# The social map (DOMAIN.md, seed 004: links to signals of child abuse, Villa Pinedo, the
# local team). National entries have no region: the chat offers them in every region.
# (name, kind, url, description for the visitor)
DEMO_NATIONAL_SOCIAL_MAP = (
    (
        "Villa Pinedo",
        SocialMapEntry.Kind.SUPPORT,
        "https://www.villapinedo.nl",
        "Buddy's, verhalen en tips voor kinderen en jongeren met gescheiden ouders.",
    ),
    (
        "De Kindertelefoon",
        SocialMapEntry.Kind.HELPLINE,
        "https://www.kindertelefoon.nl",
        "Praat anoniem met iemand die naar je luistert: bel gratis 0800-0432 of chat.",
    ),
    (
        "Veilig Thuis",
        SocialMapEntry.Kind.HELPLINE,
        "https://www.veiligthuis.nl",
        "Bel gratis 0800-2000, dag en nacht, ook als je twijfelt.",
    ),
    (
        "Signalen van kindermishandeling",
        SocialMapEntry.Kind.WEBSITE,
        "https://www.vooreenveiligthuis.nl",
        "Wat zijn signalen van huiselijk geweld en kindermishandeling, en wat kun je doen?",
    ),
    (
        "Slachtofferhulp Nederland",
        SocialMapEntry.Kind.SUPPORT,
        "https://www.slachtofferhulp.nl",
        "Gratis hulp en steun als je slachtoffer bent van een misdrijf of geweld.",
    ),
    (
        "Fier",
        SocialMapEntry.Kind.SUPPORT,
        "https://www.fier.nl",
        "Hulp bij geweld in afhankelijkheidsrelaties, ook via chat.",
    ),
)

# A local team per region, in its largest or central municipality.
# (region, municipality code, name, url)
DEMO_LOCAL_TEAMS = (
    ("VT01", "GM0014", "WIJ-team Groningen", "https://www.groningen.nl/wij"),
    ("VT02", "GM0080", "Gebiedsteam Leeuwarden", "https://www.leeuwarden.nl/gebiedsteams"),
    ("VT03", "GM0106", "Wijkteam Assen", "https://www.assen.nl/wijkteams"),
    ("VT04", "GM0193", "Wijkteam Zwolle", "https://www.zwolle.nl/wijkteams"),
    ("VT05", "GM0153", "Wijkteam Enschede", "https://www.enschede.nl/wijkteams"),
    ("VT06", "GM0200", "Sociaal wijkteam Apeldoorn", "https://www.apeldoorn.nl/wijkteams"),
    ("VT07", "GM0202", "Wijkteam Arnhem", "https://www.arnhem.nl/wijkteams"),
    ("VT08", "GM0268", "Sociaal wijkteam Nijmegen", "https://www.nijmegen.nl/wijkteams"),
    ("VT09", "GM0344", "Buurtteams Utrecht", "https://www.buurtteamsutrecht.nl"),
    ("VT09", "GM0307", "Wijkteam Amersfoort", "https://www.amersfoort.nl/wijkteams"),
    ("VT10", "GM0361", "Sociaal wijkteam Alkmaar", "https://www.alkmaar.nl/wijkteams"),
    ("VT11", "GM0479", "Wijkteam Zaanstad", "https://www.zaanstad.nl/wijkteams"),
    ("VT12", "GM0392", "Sociaal wijkteam Haarlem", "https://www.haarlem.nl/wijkteams"),
    ("VT13", "GM0363", "Ouder- en Kindteams Amsterdam", "https://www.oktamsterdam.nl"),
    ("VT14", "GM0402", "Sociaal wijkteam Hilversum", "https://www.hilversum.nl/wijkteams"),
    ("VT15", "GM0518", "Wijkteam Den Haag", "https://www.denhaag.nl/wijkteams"),
    ("VT16", "GM0546", "Sociaal wijkteam Leiden", "https://www.leiden.nl/wijkteams"),
    ("VT17", "GM0599", "Wijkteam Rotterdam", "https://www.rotterdam.nl/wijkteams"),
    ("VT18", "GM0505", "Sociaal wijkteam Dordrecht", "https://www.dordrecht.nl/wijkteams"),
    ("VT19", "GM0687", "Gebiedsteam Middelburg", "https://www.middelburg.nl/gebiedsteams"),
    ("VT20", "GM0855", "Wijkteam Tilburg", "https://www.tilburg.nl/wijkteams"),
    (
        "VT21",
        "GM0796",
        "Sociaal wijkteam 's-Hertogenbosch",
        "https://www.s-hertogenbosch.nl/wijkteams",
    ),
    ("VT22", "GM0772", "WIJeindhoven", "https://www.eindhoven.nl/wijeindhoven"),
    ("VT23", "GM0983", "Wijkteam Venlo", "https://www.venlo.nl/wijkteams"),
    ("VT24", "GM0935", "Sociaal wijkteam Maastricht", "https://www.maastricht.nl/wijkteams"),
    ("VT25", "GM0034", "Wijkteam Almere", "https://www.almere.nl/wijkteams"),
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


DEMO_SECTORS = {
    "pedagogisch medewerker kinderopvang": Sector.CHILDCARE,
    "intern begeleider basisschool": Sector.EDUCATION,
}
# The grandfather who considers a report chose to name his grandchildren: a named dossier.
NAMED_DEMO_CONTACT = "Grootvader schrijft"
NAMED_DEMO_PERSONS = [
    PersonDetails(
        relation=PersonRelation.CHILD, name="Lieke de Groot", date_of_birth=date(2015, 6, 1)
    ),
    PersonDetails(
        relation=PersonRelation.CHILD, name="Daan de Groot", date_of_birth=date(2018, 2, 11)
    ),
]


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
        contact, was_created = Contact.objects.get_or_create(
            region=regions[region_code],
            summary=summary,
            defaults={
                "channel": channel,
                "asker_type": asker,
                "asker_sector": DEMO_SECTORS.get(name, ""),
                "participants": name,
                "received_at": now - timedelta(days=days_ago, hours=days_ago * 3 % 7),
                "registered_by": users[by],
            },
        )
        created += was_created
        if contact.dossier_id is None:
            # Every registered contact sits in an advice dossier, anonymous unless named.
            contact.dossier = open_dossier(region=contact.region, by=users[by])
            contact.save(update_fields=["dossier"])
            note_contact_in_dossier(contact=contact, by=users[by])
            if summary.startswith(NAMED_DEMO_CONTACT):
                name_dossier(dossier=contact.dossier, by=users[by], persons=NAMED_DEMO_PERSONS)
    load_demo_social_map(regions)
    load_demo_meldcode(regions, users)
    load_demo_reports(users, regions)
    return DemoResult(users=list(DEMO_USERS), contacts_created=created)


def load_demo_social_map(regions: dict[str, Region]) -> None:
    """The national entries and a local team per region; loading again changes nothing."""
    for name, kind, url, description in DEMO_NATIONAL_SOCIAL_MAP:
        SocialMapEntry.objects.update_or_create(
            name=name,
            region=None,
            defaults={"kind": kind, "url": url, "description": description, "is_active": True},
        )
    municipalities = Municipality.objects.in_bulk(
        [code for _, code, _, _ in DEMO_LOCAL_TEAMS], field_name="code"
    )
    for region_code, municipality_code, name, url in DEMO_LOCAL_TEAMS:
        region = regions.get(region_code)
        if region is None:
            continue
        municipality = municipalities.get(municipality_code)
        place = municipality.name if municipality else region.name
        SocialMapEntry.objects.update_or_create(
            name=name,
            region=region,
            defaults={
                "kind": SocialMapEntry.Kind.LOCAL_TEAM,
                "url": url,
                "description": (
                    f"Hulp dichtbij huis in {place}: bij opvoeden en opgroeien, ruzie thuis "
                    "of geldzorgen. Je kunt zelf contact opnemen."
                ),
                "municipality": municipality,
                "is_active": True,
            },
        )


def load_demo_meldcode(regions: dict[str, Region], users: dict[str, User]) -> None:
    """Online reports in a few regions, and one meldcode record in progress (steps 1 and 2);
    loading again changes nothing."""
    Region.objects.filter(code__in=DEMO_ONLINE_REPORT_REGIONS).update(accepts_online_reports=True)
    lisa = users["juf-lisa"]
    if not lisa.phone_number:
        lisa.phone_number = "030-0000000"
        lisa.save(update_fields=["phone_number"])
    if MeldcodeRecord.objects.filter(professional=lisa).exists():
        return
    record = meldcode.open_record(
        by=lisa,
        sector="education",
        pseudonym="Leerling groep 5",
        concern=(
            "Komt de laatste weken vaak te laat, met blauwe plekken op de armen, en wil na "
            "school niet naar huis."
        ),
        forms_of_violence=["physical_abuse"],
    )
    today = timezone.localdate()
    meldcode.add_signals(
        record=record,
        by=lisa,
        codes=["repeated_injury", "afraid_to_go_home", "absence"],
        description="Zei bij het omkleden voor gym: 'papa was heel boos'.",
        observed_on=today - timedelta(days=6),
    )
    meldcode.add_consultation(
        record=record,
        by=lisa,
        consulted="contact_person",
        held_on=today - timedelta(days=4),
        notes="Marloes herkent de signalen; advies vragen bij Veilig Thuis zonder namen.",
    )
