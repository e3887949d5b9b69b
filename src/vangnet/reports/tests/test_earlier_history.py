"""Earlier history finds the same family whatever the case of the typing, in every region and
in named advice dossiers, and says on what it matched (ADR 0030 changed how it asks)."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection

from vangnet.reports.models import ReportPerson
from vangnet.reports.selectors import _find_earlier_history
from vangnet.reports.services import PersonDetails
from vangnet.testing.factories import DossierPersonFactory, RegionFactory
from vangnet.testing.reports import a_report

pytestmark = pytest.mark.django_db


def _person(**values: object) -> PersonDetails:
    return PersonDetails(**{"role": "child", **values})  # type: ignore[arg-type]  # keywords of a dataclass


def test_history_matches_name_and_birth_date_ignoring_case_in_another_region():
    utrecht, zwolle = RegionFactory.create(), RegionFactory.create()
    earlier = a_report(
        utrecht, persons=[_person(name="Sem Jansen", date_of_birth=date(2016, 4, 12))]
    ).report
    a_report(utrecht, persons=[_person(name="Sem Jansen", date_of_birth=date(2017, 4, 12))])
    later = a_report(
        zwolle, persons=[_person(name="SEM JANSEN", date_of_birth=date(2016, 4, 12))]
    ).report

    matches = _find_earlier_history(later)

    assert [(m.reference, m.matched_on, m.region_name) for m in matches] == [
        (earlier.reference, "name_dob", utrecht.name)
    ]


def test_history_names_the_first_thing_that_matched_once_per_report():
    region = RegionFactory.create()
    earlier = a_report(
        region,
        persons=[
            _person(name="Sem Jansen", date_of_birth=date(2016, 4, 12), bsn="111222333"),
            _person(role="parent", name="Peter Jansen", address="Lindelaan 4, Utrecht"),
        ],
    ).report
    later = a_report(
        region,
        persons=[
            _person(
                name="sem jansen",
                date_of_birth=date(2016, 4, 12),
                bsn="111222333",
                address="LINDELAAN 4, UTRECHT",
            )
        ],
    ).report

    matches = _find_earlier_history(later)

    assert [(m.reference, m.matched_on, m.person_role) for m in matches] == [
        (earlier.reference, "bsn", "Kind")
    ]


def test_history_finds_a_named_advice_dossier_by_address():
    region = RegionFactory.create()
    dossier_person = DossierPersonFactory.create(
        dossier__region=region, name="Iemand Anders", address="Kerkstraat 1, Zwolle"
    )
    later = a_report(region, persons=[_person(name="Noor", address="kerkstraat 1, zwolle")]).report

    matches = _find_earlier_history(later)

    assert [(m.kind, m.reference, m.matched_on) for m in matches] == [
        ("dossier", dossier_person.dossier.reference, "address")
    ]


def test_a_family_not_seen_before_has_no_history():
    region = RegionFactory.create()
    a_report(region, persons=[_person(name="Sem Jansen", date_of_birth=date(2016, 4, 12))])
    later = a_report(
        region, persons=[_person(name="Sem Jansens", date_of_birth=date(2016, 4, 12))]
    ).report
    assert _find_earlier_history(later) == []


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's plan; PostgreSQL's in bench")
def test_history_lookups_are_answered_from_the_indexes():
    from django.db.models import Q, Value
    from django.db.models.functions import Upper

    queryset = ReportPerson.objects.alias(
        name_key=Upper("name"), address_key=Upper("address")
    ).filter(
        Q(name_key=Upper(Value("Sem Jansen")), date_of_birth=date(2016, 4, 12))
        | Q(address_key=Upper(Value("Lindelaan 4")))
    )
    plan = queryset.explain()
    assert "reportperson_name_dob_idx" in plan and "reportperson_address_idx" in plan
