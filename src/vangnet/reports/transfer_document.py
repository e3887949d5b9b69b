"""The transfer document (overdrachtsdocument) for a local team or SAVE team.

Only what the receiving team needs to pick the case up: who the family is, what worries
Veilig Thuis (in the employee's words for the team), the triage decision and the safety
conditions. NEVER the reporter's identity (DOMAIN.md: Veilig Thuis guarantees the reporter's
anonymity towards the family; the team works with the family), nor the reporter's own words.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from vangnet.core.pdf import Document, Section, render

from .models import Report


def transfer_document(report: Report) -> Document:
    persons = [
        (
            p.get_role_display(),
            ", ".join(
                part
                for part in (
                    p.name,
                    p.date_of_birth.strftime("%d-%m-%Y") if p.date_of_birth else "",
                    p.address,
                    _("slachtoffer") if p.is_victim else "",
                    _("vermoedelijk pleger") if p.is_alleged_perpetrator else "",
                )
                if part
            ),
        )
        for p in report.persons.all()
    ]
    unsafety = []
    if report.acute_unsafety:
        unsafety.append(_("acute onveiligheid"))
    if report.structural_unsafety:
        unsafety.append(_("structurele onveiligheid"))
    sections = [
        Section(
            _("Overdracht"),
            rows=[
                (_("Kenmerk"), report.reference),
                (_("Van"), report.region.display_name),
                (_("Aan"), report.transferred_to.name if report.transferred_to else ""),
                (
                    _("Overgedragen op"),
                    timezone.localtime(report.transferred_at).strftime("%d-%m-%Y")
                    if report.transferred_at
                    else "",
                ),
                (_("Vormen van geweld"), ", ".join(report.violence_form_labels)),
                (
                    _("Veiligheid"),
                    ", ".join(str(u) for u in unsafety) or _("geen onveiligheid vastgesteld"),
                ),
                (_("Triagebesluit"), report.get_triage_outcome_display()),
            ],
        ),
        Section(_("Betrokkenen"), rows=persons),
        Section(_("Wat het team moet weten"), paragraphs=[report.transfer_summary]),
    ]
    conditions = list(report.conditions.all())
    if conditions:
        sections.append(
            Section(
                _("Veiligheidsvoorwaarden"),
                paragraphs=[
                    _("%(what)s — verantwoordelijk: %(who)s — uiterlijk %(due)s")
                    % {
                        "what": c.description,
                        "who": c.responsible,
                        "due": c.due_on.strftime("%d-%m-%Y"),
                    }
                    for c in conditions
                ],
            )
        )
        moments = [m.planned_on.strftime("%d-%m-%Y") for m in report.monitoring_moments.all()]
        if moments:
            sections.append(
                Section(_("Monitoring door Veilig Thuis"), paragraphs=[", ".join(moments)])
            )
    return Document(
        title=_("Overdracht van melding %(reference)s") % {"reference": report.reference},
        subtitle=_("Vertrouwelijk. Alleen voor het ontvangende team."),
        sections=sections,
        footer=_(
            "Veilig Thuis deelt de identiteit van de melder niet. Vragen over deze overdracht: "
            "bel %(region)s."
        )
        % {"region": report.region.display_name},
    )


def transfer_pdf(report: Report) -> bytes:
    return render(transfer_document(report))
