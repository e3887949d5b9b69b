"""A copy of what the file holds about one person: the passages to review, and the PDF.

Each piece of the report becomes a passage the employee releases or withholds (with a
reason). Never part of it: the reporter — their identity, and the reporter's own account of
what they did (`actions_taken`), which could reveal them. A passage that contains any part of
the reporter's identity is marked and can never be released, whatever the employee chooses.
Another person's data is a passage too, marked "about another", released only when the
employee marks it shareable. The person's own statements are always in the copy (ADR 0032).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from vangnet.core.pdf import Document, Section
from vangnet.reports.models import Report, ReportPerson
from vangnet.reports.transfer_document import own_statements_section
from vangnet.reports.transfer_package import TransferStatement

from .models import CopyPassage, Release, SubjectRequest


@dataclass(frozen=True)
class Passage:
    heading: str
    text: str
    about_other: bool = False


def _person_text(person: ReportPerson) -> str:
    parts = [
        person.name,
        person.date_of_birth.strftime("%d-%m-%Y") if person.date_of_birth else "",
        person.address,
        _("slachtoffer") if person.is_victim else "",
        _("vermoedelijk pleger") if person.is_alleged_perpetrator else "",
    ]
    return ", ".join(str(part) for part in parts if part)


def file_passages(report: Report, person: ReportPerson) -> list[Passage]:
    """The pieces of the file to review for a copy for `person`, in the file's order."""
    passages = [
        Passage(
            _("Gegevens van %(role)s") % {"role": person.get_role_display()}, _person_text(person)
        )
    ]
    passages += [
        Passage(
            _("Gegevens van %(role)s (andere betrokkene)") % {"role": other.get_role_display()},
            _person_text(other),
            about_other=True,
        )
        for other in report.persons.exclude(pk=person.pk)
    ]
    texts = [
        (_("Zorgen"), report.concerns),
        (_("Signalen"), report.signals),
        (_("Veiligheidsbeoordeling"), report.assessment),
        (_("Direct genomen maatregelen"), report.immediate_action),
        (_("Onderbouwing triage"), report.triage_rationale),
        (_("Conclusie onderzoek"), report.investigation_conclusion),
        (_("Overdrachtsinformatie"), report.transfer_summary),
    ]
    passages += [Passage(str(heading), text) for heading, text in texts if text.strip()]
    passages += [
        Passage(_("Veiligheidsvoorwaarde"), f"{c.description} ({c.responsible})")
        for c in report.conditions.all()
    ]
    passages += [
        Passage(_("Monitoring %(day)s") % {"day": m.planned_on.strftime("%d-%m-%Y")}, m.notes)
        for m in report.monitoring_moments.all()
        if m.notes.strip()
    ]
    passages += [
        Passage(
            _("Journaal %(day)s") % {"day": timezone.localtime(j.at).strftime("%d-%m-%Y")},
            j.text,
        )
        for j in report.journal.filter(step__in=["note", "correct_file"])
        if j.text.strip()
    ]
    passages += [
        Passage(
            _("Eigen verklaring van %(role)s (andere betrokkene)")
            % {"role": s.person.get_role_display()},
            s.text,
            about_other=True,
        )
        for s in report.own_statements.exclude(person=person).select_related("person")
    ]
    return passages


def reporter_markers(report: Report) -> list[str]:
    """What would reveal the reporter in a text: their name (and its longer parts), their
    organisation, phone and e-mail. Read here only to keep them out; never shown."""
    reporter = getattr(report, "reporter", None)
    if reporter is None:
        return []
    markers = [reporter.name, reporter.organisation, reporter.phone, reporter.email]
    markers += [part for part in re.split(r"\W+", reporter.name) if len(part) >= 4]
    return [m.strip().lower() for m in markers if m and m.strip()]


def reveals(text: str, markers: list[str]) -> bool:
    lowered = text.lower()
    return any(marker in lowered for marker in markers)


def copy_document(subject_request: SubjectRequest) -> Document:
    """The copy as released: the passages the employee released, and the own statements."""
    released = subject_request.passages.filter(
        decision=Release.RELEASE, reveals_reporter=False
    ).order_by("position")
    sections = [
        Section(
            _("Afschrift"),
            rows=[
                (_("Kenmerk"), subject_request.report_reference),
                (_("Voor"), subject_request.person_label),
                (_("Aangevraagd door"), subject_request.requester_name),
                (_("Datum"), timezone.localdate().strftime("%d-%m-%Y")),
            ],
        )
    ]
    sections += [Section(p.heading, paragraphs=[p.text]) for p in released]
    report, person = subject_request.report, subject_request.person
    if report is not None and person is not None:
        statements = [
            TransferStatement(
                role_label=str(person.get_role_display()),
                name=person.name,
                text=s.text,
                added_on=s.added_at.date(),
            )
            for s in report.own_statements.filter(person=person)
        ]
        if statements:
            sections.append(own_statements_section(statements))
    withheld = subject_request.passages.exclude(decision=Release.RELEASE).count()
    return Document(
        title=_("Afschrift uit het dossier van Veilig Thuis"),
        subtitle=_("Persoonlijk en vertrouwelijk."),
        sections=sections,
        footer=_(
            "%(n)s passage(s) van het dossier zijn niet in dit afschrift opgenomen, ter "
            "bescherming van anderen. Wat niet is verstrekt en waarom, is vastgelegd. Veilig "
            "Thuis deelt de identiteit van de melder niet."
        )
        % {"n": withheld},
    )


def snapshot(subject_request: SubjectRequest, report: Report, person: ReportPerson) -> None:
    """Write the passages to review, marking those that would reveal the reporter."""
    markers = reporter_markers(report)
    CopyPassage.objects.bulk_create(
        CopyPassage(
            request=subject_request,
            position=n,
            heading=p.heading[:200],
            text=p.text,
            about_other=p.about_other,
            reveals_reporter=reveals(p.heading + " " + p.text, markers),
        )
        for n, p in enumerate(file_passages(report, person))
    )
