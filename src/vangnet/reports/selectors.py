"""Reads of reports that the policy and the access log watch over."""

from __future__ import annotations

from django.db.models import Q

from vangnet.contacts.models import DossierPerson

from .models import Report, ReportPerson


def earlier_history(report: Report) -> list[dict[str, object]]:
    """Earlier reports and named advice dossiers about the same persons (DOMAIN.md: on
    receipt, earlier situations of unsafety are looked up): by citizen service number, by
    name with date of birth, by address — through keyed hashes, so nothing is compared
    readable. Callers show the result on a page that is logged as a view of the report."""
    persons = list(report.persons.all())
    match = Q(pk__in=[])
    for person in persons:
        for field in ("bsn_hash", "name_dob_hash", "address_hash"):
            value = getattr(person, field)
            if value:
                match |= Q(**{field: value})
    found: dict[str, dict[str, object]] = {}
    for other in (
        ReportPerson.objects.filter(match)
        .exclude(report=report)
        .select_related("report")
        .order_by("-report__received_at")
    ):
        item = found.setdefault(
            other.report.reference,
            {
                "kind": "report",
                "reference": other.report.reference,
                "id": other.report.pk,
                "date": other.report.received_at,
                "state": other.report.get_state_display(),
                "matched": set(),
            },
        )
        item["matched"].add(_why(other, persons))  # type: ignore[attr-defined]
    for person in persons:
        named = DossierPerson.objects.none()
        if person.date_of_birth:
            named = DossierPerson.objects.filter(
                name__iexact=person.name, date_of_birth=person.date_of_birth
            )
        if person.address:
            named = named | DossierPerson.objects.filter(address__iexact=person.address)
        for hit in named.select_related("dossier").exclude(dossier__reports=report):
            found.setdefault(
                hit.dossier.reference,
                {
                    "kind": "dossier",
                    "reference": hit.dossier.reference,
                    "id": hit.dossier.pk,
                    "date": hit.dossier.opened_at,
                    "state": "",
                    "matched": {"naam en geboortedatum of adres"},
                },
            )
    return list(found.values())


def _why(other: ReportPerson, persons: list[ReportPerson]) -> str:
    for person in persons:
        if person.bsn_hash and person.bsn_hash == other.bsn_hash:
            return "BSN"
        if person.name_dob_hash and person.name_dob_hash == other.name_dob_hash:
            return "naam en geboortedatum"
    return "adres"
