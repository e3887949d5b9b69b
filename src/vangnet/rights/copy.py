"""A copy of what the file holds about one person: the passages to review, and the PDF.

One mechanism for both kinds of file, a report and an advice dossier: each kind only says
which passages it has (`file_passages`, `dossier_passages`) and what would reveal who came to
Veilig Thuis (`reporter_markers`, `asker_markers`); snapshot, review and PDF are shared.

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
from django.utils.translation import gettext_lazy

from vangnet.contacts.models import AdviceDossier, DossierPerson
from vangnet.core.pdf import Document, Section
from vangnet.reports.models import Report, ReportPerson
from vangnet.reports.transfer_document import own_statements_section
from vangnet.reports.transfer_package import TransferStatement

from .models import CopyPassage, Release, SubjectRequest

# Which parts of a contact in an advice dossier are considered for a copy. Never: who asked
# (name, organisation, phone), who took part and the chat's words, which are the asker's own
# account — a caller who asks advice about someone else is a reporter to that person.
CONTACT_TEXTS = (
    ("summary", gettext_lazy("Samenvatting contact %(day)s")),
    ("advice_given", gettext_lazy("Gegeven advies %(day)s")),
    ("referral", gettext_lazy("Verwijzing %(day)s")),
    ("agreements", gettext_lazy("Afspraken %(day)s")),
)


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


def _markers(name: str, *others: str) -> list[str]:
    markers = [name, *others]
    markers += [part for part in re.split(r"\W+", name) if len(part) >= 4]
    return [m.strip().lower() for m in markers if m and m.strip()]


def reporter_markers(report: Report) -> list[str]:
    """What would reveal the reporter in a text: their name (and its longer parts), their
    organisation, phone and e-mail. Read here only to keep them out; never shown."""
    reporter = getattr(report, "reporter", None)
    if reporter is None:
        return []
    return _markers(reporter.name, reporter.organisation, reporter.phone, reporter.email)


def _day(moment: object) -> str:
    return timezone.localtime(moment).strftime("%d-%m-%Y")  # type: ignore[arg-type]  # a datetime


def dossier_passages(dossier: AdviceDossier, person: DossierPerson) -> list[Passage]:
    """The pieces of an advice dossier to review for a copy for `person`: their details, the
    other persons (about another), what each contact says about the household, the dossier's
    corrections and the others' own statements. Who asked is never one of them."""
    passages = [
        Passage(
            _("Gegevens van %(role)s") % {"role": person.get_relation_display()},
            _dossier_person_text(person),
        )
    ]
    passages += [
        Passage(
            _("Gegevens van %(role)s (andere betrokkene)") % {"role": other.get_relation_display()},
            _dossier_person_text(other),
            about_other=True,
        )
        for other in dossier.persons.exclude(pk=person.pk)
    ]
    for contact in dossier.contacts.order_by("received_at", "pk"):
        day = _day(contact.received_at)
        passages += [
            Passage(str(heading) % {"day": day}, getattr(contact, name))
            for name, heading in CONTACT_TEXTS
            if getattr(contact, name).strip()
        ]
    passages += [
        Passage(
            _("Correctie %(day)s: %(what)s") % {"day": _day(c.at), "what": c.what},
            _("Oude tekst: %(old)s") % {"old": c.old_text},
        )
        for c in dossier.corrections.all()
    ]
    passages += [
        Passage(
            _("Eigen verklaring van %(role)s (andere betrokkene)")
            % {"role": s.person.get_relation_display()},
            s.text,
            about_other=True,
        )
        for s in dossier.own_statements.exclude(person=person).select_related("person")
    ]
    return passages


def _dossier_person_text(person: DossierPerson) -> str:
    parts = [
        person.name,
        person.date_of_birth.strftime("%d-%m-%Y") if person.date_of_birth else "",
        person.address,
    ]
    return ", ".join(str(part) for part in parts if part)


def asker_markers(dossier: AdviceDossier) -> list[str]:
    """What would reveal who asked advice in the dossier's contacts (DOMAIN.md: an asker about
    someone else is to that person what a reporter is): every asker's name and its longer
    parts, organisation and phone. Read only to keep them out; never shown."""
    markers: list[str] = []
    for name, organisation, phone in dossier.contacts.values_list(
        "asker_name", "asker_organisation", "asker_phone"
    ):
        markers += _markers(name or "", organisation or "", phone or "")
    return sorted(set(markers))


def reveals(text: str, markers: list[str]) -> bool:
    lowered = text.lower()
    return any(marker in lowered for marker in markers)


def own_statements(subject_request: SubjectRequest) -> list[TransferStatement]:
    """The person's own statements in the file, which every copy carries."""
    if subject_request.dossier is not None and subject_request.dossier_person is not None:
        dossier_person = subject_request.dossier_person
        return [
            TransferStatement(
                role_label=str(dossier_person.get_relation_display()),
                name=dossier_person.name,
                text=s.text,
                added_on=s.added_at.date(),
            )
            for s in subject_request.dossier.own_statements.filter(person=dossier_person)
        ]
    report, person = subject_request.report, subject_request.person
    if report is None or person is None:
        return []
    return [
        TransferStatement(
            role_label=str(person.get_role_display()),
            name=person.name,
            text=s.text,
            added_on=s.added_at.date(),
        )
        for s in report.own_statements.filter(person=person)
    ]


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
    statements = own_statements(subject_request)
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


def snapshot(subject_request: SubjectRequest, passages: list[Passage], markers: list[str]) -> None:
    """Write the passages to review, marking those that would reveal the reporter (or the
    one who asked advice): one mechanism for a report and an advice dossier."""
    CopyPassage.objects.bulk_create(
        CopyPassage(
            request=subject_request,
            position=n,
            heading=p.heading[:200],
            text=p.text,
            about_other=p.about_other,
            reveals_reporter=reveals(p.heading + " " + p.text, markers),
        )
        for n, p in enumerate(passages)
    )


def snapshot_report(subject_request: SubjectRequest, report: Report, person: ReportPerson) -> None:
    snapshot(subject_request, file_passages(report, person), reporter_markers(report))


def snapshot_dossier(
    subject_request: SubjectRequest, dossier: AdviceDossier, person: DossierPerson
) -> None:
    snapshot(subject_request, dossier_passages(dossier, person), asker_markers(dossier))
