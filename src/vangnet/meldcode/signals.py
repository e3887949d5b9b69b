"""Signals a professional can tick at step 1 of the meldcode ("map the signals").

Data, not logic: a list per sector (vangnet.contacts.models.Sector) of coded signals with a
Dutch label, shown as a checklist; anything else goes in free text. The meldcode names the
step but prescribes no list (DOMAIN.md "The meldcode", seed 002). This list was compiled for
Vangnet from the categories the public signal lists use (signs in the child's body, in
behaviour and development, in the care and the parents, in the home situation) and from
what the seeds tell: the toddler with bruises in childcare, the pupil who is out of sight for
weeks (seed 004), a child kept away from the other parent after a divorce (seed 004). It is
not an official list: Veilig Thuis may correct it here, by code.

A code never changes meaning once used (records store codes); retire a signal by removing
it from a sector's list, the label stays readable through ALL_SIGNALS.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from vangnet.contacts.models import Sector


@dataclass(frozen=True)
class SignalType:
    code: str
    label: Promise
    group: Promise


BODY = _("Lichaam en verzorging")
BEHAVIOUR = _("Gedrag en ontwikkeling")
PARENTS = _("Ouders en gezin")
SITUATION = _("Situatie en omgeving")

_COMMON: tuple[SignalType, ...] = (
    SignalType("unexplained_injury", _("Letsel zonder passende verklaring"), BODY),
    SignalType("repeated_injury", _("Herhaaldelijk letsel, blauwe plekken of brandwonden"), BODY),
    SignalType("poor_hygiene", _("Slechte verzorging of hygiëne"), BODY),
    SignalType("hunger", _("Komt vaak met honger of zonder eten"), BODY),
    SignalType("inadequate_clothing", _("Kleding past niet bij het weer of is vaak vuil"), BODY),
    SignalType("fearful", _("Angstig, schrikachtig of overdreven waakzaam"), BEHAVIOUR),
    SignalType("withdrawn", _("Teruggetrokken, stil of somber"), BEHAVIOUR),
    SignalType("aggressive", _("Agressief of grensoverschrijdend gedrag"), BEHAVIOUR),
    SignalType(
        "sexualised_behaviour", _("Seksueel gedrag dat niet past bij de leeftijd"), BEHAVIOUR
    ),
    SignalType("afraid_to_go_home", _("Wil niet naar huis of is bang voor een ouder"), BEHAVIOUR),
    SignalType(
        "child_tells", _("Het kind vertelt zelf over geweld of onveiligheid thuis"), BEHAVIOUR
    ),
    SignalType(
        "developmental_delay", _("Achterstand in ontwikkeling zonder duidelijke oorzaak"), BEHAVIOUR
    ),
    SignalType(
        "parent_harsh", _("Ouder reageert hard, kleinerend of afwijzend op het kind"), PARENTS
    ),
    SignalType(
        "parent_unreachable", _("Ouders zijn moeilijk bereikbaar of mijden contact"), PARENTS
    ),
    SignalType(
        "parent_problems",
        _("Ouder heeft zichtbaar problemen (verslaving, psychisch, schulden)"),
        PARENTS,
    ),
    SignalType("partner_violence_signs", _("Signalen van geweld tussen de ouders"), PARENTS),
    SignalType(
        "conflict_divorce", _("Vechtscheiding; kind wordt bij een ouder weggehouden"), SITUATION
    ),
    SignalType(
        "honour_related", _("Zorgen over eer, gedwongen huwelijk of besnijdenis"), SITUATION
    ),
)

_BY_SECTOR_EXTRA: dict[str, tuple[SignalType, ...]] = {
    Sector.EDUCATION: (
        SignalType("absence", _("Vaak afwezig of te laat, of weken niet in beeld"), SITUATION),
        SignalType("avoids_gym", _("Wil zich niet omkleden bij gym of zwemmen"), BODY),
        SignalType("school_results_drop", _("Plotselinge terugval in leerprestaties"), BEHAVIOUR),
        SignalType("tired_in_class", _("Vaak moe of valt in slaap in de klas"), BEHAVIOUR),
    ),
    Sector.CHILDCARE: (
        SignalType("nappy_neglect", _("Luier niet verschoond, luieruitslag die blijft"), BODY),
        SignalType(
            "frozen_watchfulness", _("Verstijft of kijkt voortdurend afwachtend rond"), BEHAVIOUR
        ),
        SignalType("pickup_tension", _("Spanning of angst bij het brengen of halen"), PARENTS),
        SignalType("not_brought", _("Wordt onregelmatig of niet meer gebracht"), SITUATION),
    ),
    Sector.HEALTHCARE: (
        SignalType(
            "injury_history_mismatch", _("Letsel past niet bij het verhaal of de leeftijd"), BODY
        ),
        SignalType("delayed_care", _("Laat of niet gezocht om medische hulp"), PARENTS),
        SignalType("missed_appointments", _("Afspraken of vaccinaties steeds gemist"), SITUATION),
        SignalType("doctor_hopping", _("Wisselt vaak van huisarts of ziekenhuis"), SITUATION),
    ),
    Sector.YOUTH_CARE: (
        SignalType("runaway", _("Loopt weg of blijft weg van huis"), BEHAVIOUR),
        SignalType("self_harm", _("Zelfbeschadiging of praten over dood willen"), BEHAVIOUR),
        SignalType("help_refused", _("Gezin weigert of stopt eerder ingezette hulp"), PARENTS),
    ),
    Sector.SOCIAL_SUPPORT: (
        SignalType("isolated_household", _("Gezin is geïsoleerd, weinig netwerk"), SITUATION),
        SignalType("housing_problems", _("Onveilige of onhygiënische woonsituatie"), SITUATION),
        SignalType(
            "elder_dependency", _("Afhankelijke oudere lijkt bang voor een naaste"), PARENTS
        ),
    ),
    Sector.JUSTICE: (
        SignalType("police_callouts", _("Herhaalde politie-inzet op het adres"), SITUATION),
        SignalType(
            "restraining_order_breach", _("Contact- of huisverbod wordt overtreden"), SITUATION
        ),
    ),
    Sector.POLICE: (
        SignalType(
            "police_callouts_home", _("Herhaalde meldingen van ruzie op het adres"), SITUATION
        ),
        SignalType("weapons_threat", _("Bedreiging, ook met een wapen"), SITUATION),
    ),
}

SIGNALS_BY_SECTOR: dict[str, tuple[SignalType, ...]] = {
    sector: _COMMON + _BY_SECTOR_EXTRA.get(sector, ()) for sector in Sector.values
}

ALL_SIGNALS: dict[str, SignalType] = {
    signal.code: signal for signals in SIGNALS_BY_SECTOR.values() for signal in signals
}


def signals_for(sector: str) -> tuple[SignalType, ...]:
    return SIGNALS_BY_SECTOR.get(sector, _COMMON)


def signal_label(code: str) -> str:
    signal = ALL_SIGNALS.get(code)
    return str(signal.label) if signal else code
