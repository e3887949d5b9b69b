"""The region data shipped in regions/data/ loads and routes well-known postcodes right."""

from __future__ import annotations

import csv

import pytest
from django.db.models import Count

from vangnet.regions.data_import import (
    MUNICIPALITIES_FILE,
    POSTCODES_FILE,
    load_shipped_region_data,
)
from vangnet.regions.models import Municipality, Region
from vangnet.regions.selectors import route_postcode

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not MUNICIPALITIES_FILE.exists(), reason="no municipalities.csv shipped"),
]


@pytest.fixture
def shipped(db):
    return load_shipped_region_data()


def shipped_postcodes() -> set[str]:
    if not POSTCODES_FILE.exists():
        return set()
    with POSTCODES_FILE.open(encoding="utf-8") as handle:
        return {row["postcode"] for row in csv.DictReader(handle)}


def test_shipped_data_has_25_veilig_thuis_regions_each_with_municipalities(shipped):
    regions = Region.objects.filter(is_national_desk=False).annotate(n=Count("municipalities"))

    assert regions.count() == 25
    assert all(region.n > 0 for region in regions), [r.code for r in regions if r.n == 0]
    assert Region.objects.filter(is_national_desk=True).count() == 1


def test_every_shipped_municipality_is_loaded(shipped):
    with MUNICIPALITIES_FILE.open(encoding="utf-8-sig") as handle:
        codes = {row["municipality_code"] for row in csv.DictReader(handle)}

    assert set(Municipality.objects.values_list("code", flat=True)) == codes


def test_loading_the_shipped_data_again_changes_nothing(shipped):
    again = load_shipped_region_data()

    assert not any(result.changed for result in again.results)


@pytest.mark.parametrize(
    ("postcode", "region_name"),
    [
        ("3511", "Utrecht"),
        ("1011", "Amsterdam-Amstelland"),
        ("3011", "Rotterdam-Rijnmond"),
        ("2511", "Haaglanden"),
        ("9711", "Groningen"),
        ("5611", "Brabant-Zuidoost"),
        ("6211", "Zuid-Limburg"),
    ],
)
def test_well_known_postcodes_route_to_their_region(shipped, postcode, region_name):
    if postcode not in shipped_postcodes():
        pytest.skip(f"pc4.csv does not contain {postcode}")

    route = route_postcode(postcode)

    assert route.region.name == region_name
    assert route.national_desk_fallback is False
