"""The transfer document (overdrachtsdocument) for a local team or SAVE team: the transfer
package (`transfer_package.py`, also what the API answers) as a PDF and as the partner's page."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from vangnet.core.pdf import Document, Section, render

from .models import Report
from .transfer_package import TransferStatement, transfer_package


def transfer_document(report: Report) -> Document:
    package = transfer_package(report)
    persons = [
        (
            p.role_label,
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
        for p in package.persons
    ]
    unsafety = []
    if package.acute_unsafety:
        unsafety.append(_("acute onveiligheid"))
    if package.structural_unsafety:
        unsafety.append(_("structurele onveiligheid"))
    sections = [
        Section(
            _("Overdracht"),
            rows=[
                (_("Kenmerk"), package.reference),
                (_("Van"), package.from_region),
                (_("Aan"), package.to_team),
                (
                    _("Overgedragen op"),
                    timezone.localtime(package.transferred_at).strftime("%d-%m-%Y")
                    if package.transferred_at
                    else "",
                ),
                (_("Vormen van geweld"), ", ".join(package.forms_of_violence_labels)),
                (
                    _("Veiligheid"),
                    ", ".join(str(u) for u in unsafety) or _("geen onveiligheid vastgesteld"),
                ),
                (_("Triagebesluit"), package.triage_outcome_label),
            ],
        ),
        Section(_("Betrokkenen"), rows=persons),
        Section(_("Wat het team moet weten"), paragraphs=[package.summary]),
    ]
    if package.conditions:
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
                    for c in package.conditions
                ],
            )
        )
        if package.monitoring_on:
            moments = [day.strftime("%d-%m-%Y") for day in package.monitoring_on]
            sections.append(
                Section(_("Monitoring door Veilig Thuis"), paragraphs=[", ".join(moments)])
            )
    if package.own_statements:
        sections.append(own_statements_section(package.own_statements))
    return Document(
        title=_("Overdracht van melding %(reference)s") % {"reference": package.reference},
        subtitle=_("Vertrouwelijk. Alleen voor het ontvangende team."),
        sections=sections,
        footer=_(
            "Veilig Thuis deelt de identiteit van de melder niet. Vragen over deze overdracht: "
            "bel %(region)s."
        )
        % {"region": package.from_region},
    )


def own_statements_section(statements: list[TransferStatement]) -> Section:
    """The own statements of the people involved, as every document of the file shows them."""
    return Section(
        _("Eigen verklaring van betrokkene"),
        paragraphs=[
            _("%(who)s (%(role)s), %(on)s: %(text)s")
            % {
                "who": s.name or s.role_label,
                "role": s.role_label,
                "on": s.added_on.strftime("%d-%m-%Y"),
                "text": s.text,
            }
            for s in statements
        ],
    )


def transfer_pdf(report: Report) -> bytes:
    return render(transfer_document(report))
