"""The PDF export of a meldcode record: the pseudonymous record and its timeline."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from vangnet.core.pdf import Document, Section, render

from . import selectors
from .models import MeldcodeRecord
from .reporting import prepared_report


def record_pdf(record: MeldcodeRecord) -> bytes:
    prepared = prepared_report(record)
    state = selectors.framework_state(record)
    facts = [
        (_("Kenmerk"), record.reference),
        (_("Organisatie"), record.organisation.name),
        (_("Professional"), record.professional.display_name),
        (_("Sector"), str(record.get_sector_display())),
        (_("Status"), str(record.get_status_display())),
        (_("Geopend"), f"{timezone.localtime(record.opened_at):%d-%m-%Y}"),
        (
            _("Uitkomst afwegingskader"),
            str(state.outcome.label) if state.outcome else _("nog niet bekend"),
        ),
    ]
    if record.reported_at:
        facts.append((_("Gemeld"), f"{timezone.localtime(record.reported_at):%d-%m-%Y}"))
    sections = [Section(heading=_("Dossier"), rows=facts)]
    sections += [
        Section(heading=heading, paragraphs=[f"- {item}" for item in items])
        for heading, items in prepared.sections
    ]
    sections.append(
        Section(
            heading=_("Tijdlijn"),
            paragraphs=[
                f"{timezone.localtime(entry.at):%d-%m-%Y %H:%M} "
                f"({entry.by.display_name if entry.by else 'Vangnet'}): {entry.text}"
                for entry in record.timeline.select_related("by")
            ],
        )
    )
    return render(
        Document(
            title=_("Meldcodedossier %(ref)s") % {"ref": record.reference},
            subtitle=_(
                "Meldcode huiselijk geweld en kindermishandeling. Vertrouwelijk; zonder namen "
                "van het kind of het gezin."
            ),
            sections=sections,
            footer=_("Vangnet, geëxporteerd op %(day)s")
            % {"day": f"{timezone.localtime():%d-%m-%Y %H:%M}"},
        )
    )
