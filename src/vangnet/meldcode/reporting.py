"""Preparing the report to Veilig Thuis from the record (step 5, when the decision is to report).

The prepared text is what the professional tells Veilig Thuis on the phone, or sends to the
intake where the region allows it. It is built from the pseudonymous record; the names and
details of the family are given only at the moment of reporting (a report needs them;
DOMAIN.md "Reports": a report requires the reporter's name and contact details).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from vangnet.regions.models import Region

from .framework import QUESTIONS_BY_NUMBER
from .models import MeldcodeRecord

# Tips from the seeds, shown next to the prepared report.
REPORT_TIPS: tuple[Promise, ...] = (
    # Seed 002: be transparent with the family; the meldcode: tell the parents first,
    # unless that endangers the child (or you).
    gettext_lazy(
        "Vertel de ouders dat u meldt en waarom, tenzij dat het kind (of uzelf) in gevaar "
        "brengt. Veilig Thuis vertelt het gezin niet wie er meldde, tenzij u dat goed vindt."
    ),
    # Seed 001, tip 3.
    gettext_lazy(
        "Voer lastige gesprekken met ouders altijd met z'n tweeën. Vraag Veilig Thuis om tips, "
        "of vraag iemand van het lokale team of Veilig Thuis om aan te sluiten."
    ),
    # Seed 002: after a report, keep a finger on the pulse.
    gettext_lazy(
        "Na de melding blijft uw contact met het gezin meestal bestaan. Houd een vinger aan "
        "de pols en werk aan de relatie met het gezin."
    ),
    # Seed 002: you always hear how the report is picked up and by whom.
    gettext_lazy(
        "U hoort van Veilig Thuis hoe de melding wordt opgepakt en door wie. Hoort u lang "
        "niets, bel dan zelf."
    ),
)


@dataclass
class PreparedReport:
    phone: str
    region_name: str
    sections: list[tuple[str, list[str]]] = field(default_factory=list)
    tips: tuple[Promise, ...] = REPORT_TIPS

    def as_text(self) -> str:
        lines: list[str] = []
        for heading, items in self.sections:
            lines.append(heading)
            lines.extend(f"- {item}" for item in items)
            lines.append("")
        return "\n".join(lines).strip()


def region_accepts_online_reports(region: Region) -> bool:
    return bool(getattr(region, "accepts_online_reports", False))


def prepared_report(record: MeldcodeRecord) -> PreparedReport:
    """What to tell Veilig Thuis, in the order its intake asks (DOMAIN.md: receipt)."""
    prepared = PreparedReport(
        phone=settings.VANGNET_PHONE_NUMBER, region_name=record.region.display_name
    )
    about = [
        _("Om wie het gaat: %(who)s (namen geeft u bij de melding).") % {"who": record.pseudonym},
        _("Uw zorg: %(concern)s") % {"concern": record.concern},
    ]
    if record.forms_of_violence:
        about.append(
            _("Waar u aan denkt: %(forms)s") % {"forms": ", ".join(record.violence_form_labels)}
        )
    prepared.sections.append((_("Waar gaat het om"), about))
    signals = [
        f"{s.observed_on:%d-%m-%Y}: {s.label}" + (f" — {s.description}" if s.description else "")
        for s in record.signals.all()
    ]
    prepared.sections.append(
        (_("Wat u zag en hoorde (stap 1)"), signals or [_("Geen signalen vastgelegd.")])
    )
    consulted = [
        f"{c.held_on:%d-%m-%Y}, {c.get_consulted_display()}: {c.notes}"
        for c in record.consultations.all()
    ]
    consulted += [
        _("Terugbelverzoek %(ref)s bij %(region)s (%(status)s)")
        % {"ref": r.reference, "region": r.region.display_name, "status": r.get_status_display()}
        for r in record.advice_requests.select_related("region")
    ]
    prepared.sections.append(
        (_("Met wie u overlegde (stap 2)"), consulted or [_("Geen overleg vastgelegd.")])
    )
    talks = [
        f"{c.held_on:%d-%m-%Y}, {c.participants}: {c.summary}" for c in record.conversations.all()
    ]
    prepared.sections.append(
        (_("Gesprek met ouders en kind (stap 3)"), talks or [_("Geen gesprek vastgelegd.")])
    )
    answers = [
        _("Vraag %(n)s — %(text)s %(answer)s. %(reasoning)s")
        % {
            "n": a.question,
            "text": QUESTIONS_BY_NUMBER[a.question].text,
            "answer": _("Ja") if a.answer else _("Nee"),
            "reasoning": a.reasoning,
        }
        for a in record.answers.all()
    ]
    prepared.sections.append(
        (_("Uw afweging (stap 4)"), answers or [_("Het afwegingskader is niet ingevuld.")])
    )
    decided = []
    if record.decision:
        decided.append(f"{record.get_decision_display()}: {record.decision_reasoning}")
    if record.help_plan:
        decided.append(_("Hulp die u organiseert: %(plan)s") % {"plan": record.help_plan})
    prepared.sections.append((_("Uw besluit (stap 5)"), decided or [_("Nog geen besluit.")]))
    return prepared
