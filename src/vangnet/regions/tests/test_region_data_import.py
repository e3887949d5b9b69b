"""Loading regions, municipalities and postcodes: idempotent, validated, all or nothing."""

from __future__ import annotations

import pytest

from vangnet.regions.data_import import (
    RegionDataError,
    load_municipalities,
    load_postcodes,
    load_regions,
)
from vangnet.regions.models import Municipality, Postcode, Region
from vangnet.regions.selectors import route_postcode
from vangnet.testing.factories import PartnerOrganisationFactory

from .files import DATA, write

# Fullwidth digits, as some phone keyboards type them: they look like 3511 but are not.
FULLWIDTH_3511 = "\uff13\uff15\uff11\uff11"

pytestmark = pytest.mark.django_db


def snapshot() -> tuple[list, list, list]:
    return (
        list(Region.objects.order_by("code").values_list("code", "name", "safety_region_code")),
        list(Municipality.objects.order_by("code").values_list("code", "name", "region__code")),
        list(Postcode.objects.order_by("code").values_list("code", "municipality__code")),
    )


# --- Idempotence -----------------------------------------------------------------------


def test_loading_the_same_files_twice_changes_nothing_the_second_time():
    first = [
        load_regions(path=DATA / "regions.csv"),
        load_municipalities(path=DATA / "municipalities.csv"),
        load_postcodes(path=DATA / "pc4.csv"),
    ]
    before = snapshot()
    second = [
        load_regions(path=DATA / "regions.csv"),
        load_municipalities(path=DATA / "municipalities.csv"),
        load_postcodes(path=DATA / "pc4.csv"),
    ]

    assert [(r.created, r.updated) for r in first] == [(4, 0), (4, 0), (5, 0)]
    assert [(r.created, r.updated, r.removed) for r in second] == [(0, 0, 0)] * 3
    assert [r.unchanged for r in second] == [4, 4, 5]
    assert not any(r.changed for r in second)
    assert snapshot() == before


def test_a_changed_row_is_updated_and_reported(loaded_regions, tmp_path):
    renamed = write(
        tmp_path,
        "municipalities.csv",
        "municipality_code,municipality_name,safety_region_code\n"
        "GM0307,Amersfoort,VR09\n"
        "GM0344,Utrecht (stad),VR09\n"
        "GM0363,Amsterdam,VR13\n"
        "GM0855,Tilburg,VR20\n",
    )

    result = load_municipalities(path=renamed)

    assert (result.created, result.updated, result.unchanged) == (0, 1, 3)
    assert Municipality.objects.get(code="GM0344").name == "Utrecht (stad)"


# --- Municipality → region is data ------------------------------------------------------


def test_municipality_belongs_to_the_region_of_its_safety_region(loaded_regions):
    assert Municipality.objects.get(code="GM0307").region.code == "VT09"
    assert Municipality.objects.get(code="GM0855").region.code == "VT20"


def test_a_region_code_column_overrides_the_safety_region(loaded_regions, tmp_path):
    # As when Midden- en West-Brabant had two Veilig Thuis organisations.
    Region.objects.create(code="VT20M", name="Midden-Brabant", safety_region_code="VR20")
    split = write(
        tmp_path,
        "municipalities.csv",
        "municipality_code,municipality_name,safety_region_code,region_code\n"
        "GM0855,Tilburg,VR20,VT20M\n"
        "GM0758,Breda,VR20,VT20\n",
    )

    load_municipalities(path=split)

    assert Municipality.objects.get(code="GM0855").region.name == "Midden-Brabant"
    assert Municipality.objects.get(code="GM0758").region.code == "VT20"
    assert route_postcode("5038").region.name == "Midden-Brabant"


def test_a_safety_region_with_two_veilig_thuis_regions_needs_an_explicit_region(
    loaded_regions, tmp_path
):
    Region.objects.create(code="VT20M", name="Midden-Brabant", safety_region_code="VR20")
    ambiguous = write(
        tmp_path,
        "municipalities.csv",
        "municipality_code,municipality_name,safety_region_code\nGM0758,Breda,VR20\n",
    )

    with pytest.raises(RegionDataError) as refused:
        load_municipalities(path=ambiguous)

    assert refused.value.lines == [2]
    assert "VT20, VT20M" in str(refused.value)
    assert "region_code" in str(refused.value)
    assert not Municipality.objects.filter(code="GM0758").exists()


def test_a_municipality_of_an_unknown_safety_region_is_refused(loaded_regions, tmp_path):
    unknown = write(
        tmp_path,
        "municipalities.csv",
        "municipality_code,municipality_name,safety_region_code\nGM0014,Groningen,VR01\n",
    )

    with pytest.raises(RegionDataError, match=r"line 2: no Veilig Thuis region serves .*VR01"):
        load_municipalities(path=unknown)


# --- CBS formats -----------------------------------------------------------------------


def test_cbs_municipality_table_with_bom_and_semicolons_loads():
    load_regions(path=DATA / "regions.csv")

    result = load_municipalities(path=DATA / "cbs_gemeenten.csv", file_format="cbs")

    assert result.created == 4
    assert dict(Municipality.objects.values_list("code", "region__code")) == {
        "GM0307": "VT09",
        "GM0344": "VT09",
        "GM0363": "VT13",
        "GM0855": "VT20",
    }


def test_cbs_column_names_are_matched_whatever_their_case_and_codes_are_padded(tmp_path):
    load_regions(path=DATA / "regions.csv")
    lower_case = write(
        tmp_path,
        "gemeenten.csv",
        "gemeentecode,GEMEENTENAAM,Veiligheidsregiocode\n344,Utrecht,VR09\n0363,Amsterdam,13\n",
    )

    load_municipalities(path=lower_case, file_format="cbs")

    assert dict(Municipality.objects.values_list("code", "region__code")) == {
        "GM0344": "VT09",
        "GM0363": "VT13",
    }


def test_cbs_table_without_safety_regions_is_refused_with_the_reason(tmp_path):
    load_regions(path=DATA / "regions.csv")
    alphabetical = write(
        tmp_path,
        "gemeenten-alfabetisch.csv",
        "Gemeentecode;GemeentecodeGM;Gemeentenaam;Provinciecode;ProvinciecodePV;Provincienaam\n"
        "344;GM0344;Utrecht;26;PV26;Utrecht\n",
    )

    with pytest.raises(RegionDataError, match="VeiligheidsregioCode"):
        load_municipalities(path=alphabetical, file_format="cbs")


def test_cbs_address_file_gives_each_pc4_the_municipality_with_most_addresses():
    load_regions(path=DATA / "regions.csv")
    load_municipalities(path=DATA / "cbs_gemeenten.csv", file_format="cbs")

    result = load_postcodes(path=DATA / "cbs_pc6hnr.csv", file_format="cbs-pc6hnr")

    assert result.created == 5
    assert dict(Postcode.objects.values_list("code", "municipality__code")) == {
        "1011": "GM0363",
        "3511": "GM0344",
        "3512": "GM0344",
        "3811": "GM0307",  # 3 addresses in Amersfoort, 1 in Utrecht
        "5038": "GM0855",
    }
    assert route_postcode("3811").region.code == "VT09"


def test_cbs_address_file_breaks_a_tie_by_the_lowest_municipality_code(loaded_regions, tmp_path):
    tie = write(
        tmp_path,
        "pc6hnr.csv",
        "PC6;Huisnummer;Buurt2024;Wijk2024;Gemeente2024\n"
        "3999AA;1;3440101;34401;344\n"
        "3999AB;1;3070101;30701;307\n",
    )

    load_postcodes(path=tie, file_format="cbs-pc6hnr")

    assert Postcode.objects.get(code="3999").municipality.code == "GM0307"


def test_cbs_address_file_with_a_bad_row_names_its_line_and_changes_nothing(
    loaded_regions, tmp_path
):
    before = snapshot()
    bad = write(
        tmp_path,
        "pc6hnr.csv",
        "PC6;Huisnummer;Buurt2023;Wijk2023;Gemeente2023\n"
        "3511AA;1;3440101;34401;344\n"
        "3511AA;2;3440101;34401;344\n"
        "35114A;3;3440101;34401;344\n"
        "3512AB;3;3440101;34401;\n",
    )

    with pytest.raises(RegionDataError) as refused:
        load_postcodes(path=bad, file_format="cbs-pc6hnr", prune=True)

    assert refused.value.lines == [4, 5]
    assert "line 4: postcode '35114A' must look like 3511AB" in str(refused.value)
    assert "nothing was changed" in str(refused.value)
    assert snapshot() == before


def test_a_postcode_of_a_municipality_not_loaded_is_refused(loaded_regions, tmp_path):
    before = snapshot()
    stray = write(tmp_path, "pc4.csv", "postcode,municipality_code\n3511,GM0344\n9711,GM0014\n")

    with pytest.raises(RegionDataError, match="line 3: municipality GM0014 is not in the database"):
        load_postcodes(path=stray)

    assert snapshot() == before


# --- Bad files change nothing ----------------------------------------------------------


def test_a_bad_municipality_row_changes_nothing_and_names_its_line(loaded_regions, tmp_path):
    before = snapshot()
    bad = write(
        tmp_path,
        "municipalities.csv",
        "municipality_code,municipality_name,safety_region_code\n"
        "GM0344,Utrecht (nieuw),VR09\n"  # valid, and would change a name
        "GM9999,Nieuwegemeente,VR09\n"  # valid, and would be created
        "344,Utrecht,VR09\n"  # the shipped format wants GM0344
        "GM0363,,VR13\n",
    )

    with pytest.raises(RegionDataError) as refused:
        load_municipalities(path=bad)

    assert refused.value.lines == [4, 5]
    assert "line 4: municipality code '344' must look like GM0344" in str(refused.value)
    assert "line 5: municipality GM0363 needs a name" in str(refused.value)
    assert snapshot() == before


def test_a_duplicate_postcode_names_both_lines(loaded_regions, tmp_path):
    twice = write(
        tmp_path, "pc4.csv", "postcode,municipality_code\n3511,GM0344\n3811,GM0307\n3511,GM0307\n"
    )

    with pytest.raises(RegionDataError, match="line 4: postcode 3511 also appears on line 2"):
        load_postcodes(path=twice)


@pytest.mark.parametrize("postcode", ["0123", "12345", FULLWIDTH_3511, "35 1"])
def test_a_malformed_postcode_in_the_file_is_refused(loaded_regions, tmp_path, postcode):
    bad = write(
        tmp_path, "pc4.csv", f"postcode,municipality_code\n3511,GM0344\n{postcode},GM0344\n"
    )

    with pytest.raises(RegionDataError, match="line 3: postcode"):
        load_postcodes(path=bad)


def test_a_file_that_is_not_utf8_is_refused_with_advice(loaded_regions, tmp_path):
    latin1 = write(
        tmp_path,
        "municipalities.csv",
        "municipality_code,municipality_name,safety_region_code\nGM1900,Súdwest-Fryslân,VR02\n",
        encoding="latin-1",
    )

    with pytest.raises(RegionDataError, match="line 2: the file is not UTF-8"):
        load_municipalities(path=latin1)


def test_a_missing_column_is_named(tmp_path):
    headless = write(tmp_path, "pc4.csv", "postcode;gemeente\n3511;GM0344\n")

    with pytest.raises(RegionDataError, match="lacks a required column: municipality_code"):
        load_postcodes(path=headless)


def test_two_national_desks_are_refused(db, tmp_path):
    two = write(
        tmp_path,
        "regions.csv",
        "region_code,region_name,safety_region_code,is_national_desk\n"
        "LANDELIJK,Landelijk loket,,true\n"
        "KT,Kindertelefoon-loket,,ja\n",
    )

    with pytest.raises(RegionDataError, match="line 3: only one national desk"):
        load_regions(path=two)
    assert not Region.objects.exists()


def test_a_missing_file_is_reported(db, tmp_path):
    with pytest.raises(RegionDataError, match="cannot open the file"):
        load_regions(path=tmp_path / "regions.csv")


# --- Removing rows only with prune -----------------------------------------------------


def test_a_postcode_no_longer_in_the_file_is_kept_unless_pruned(loaded_regions, tmp_path):
    shorter = write(tmp_path, "pc4.csv", "postcode,municipality_code\n3511,GM0344\n")

    kept = load_postcodes(path=shorter)
    assert (kept.removed, kept.kept) == (0, 4)
    assert Postcode.objects.count() == 5

    pruned = load_postcodes(path=shorter, prune=True)
    assert pruned.removed == 4
    assert list(Postcode.objects.values_list("code", flat=True)) == ["3511"]
    assert route_postcode("3811").national_desk_fallback is True


def test_a_municipality_is_pruned_only_when_nothing_refers_to_it(loaded_regions, tmp_path):
    # Amersfoort merged away: first the municipalities, then the postcodes, then prune.
    without_amersfoort = write(
        tmp_path,
        "municipalities.csv",
        "municipality_code,municipality_name,safety_region_code\n"
        "GM0344,Utrecht,VR09\nGM0363,Amsterdam,VR13\nGM0855,Tilburg,VR20\n",
    )
    postcodes = write(
        tmp_path,
        "pc4.csv",
        "postcode,municipality_code\n1011,GM0363\n3511,GM0344\n3512,GM0344\n"
        "3811,GM0344\n5038,GM0855\n",
    )

    with pytest.raises(RegionDataError, match=r"GM0307 Amersfoort .* still has 1 postcodes"):
        load_municipalities(path=without_amersfoort, prune=True)
    assert Municipality.objects.filter(code="GM0307").exists()

    load_postcodes(path=postcodes, prune=True)
    result = load_municipalities(path=without_amersfoort, prune=True)

    assert result.removed == 1
    assert not Municipality.objects.filter(code="GM0307").exists()
    moved = route_postcode("3811").municipality
    assert moved is not None and moved.name == "Utrecht"


def test_a_municipality_with_a_partner_organisation_is_not_pruned(loaded_regions, tmp_path):
    tilburg = Municipality.objects.get(code="GM0855")
    PartnerOrganisationFactory.create(region=tilburg.region, municipality=tilburg)
    Postcode.objects.filter(municipality=tilburg).delete()
    without_tilburg = write(
        tmp_path,
        "municipalities.csv",
        "municipality_code,municipality_name,safety_region_code\n"
        "GM0307,Amersfoort,VR09\nGM0344,Utrecht,VR09\nGM0363,Amsterdam,VR13\n",
    )

    with pytest.raises(RegionDataError, match="1 partner organisations"):
        load_municipalities(path=without_tilburg, prune=True)
    assert Municipality.objects.filter(code="GM0855").exists()


def test_regions_are_never_removed_by_a_load(loaded_regions, tmp_path):
    only_utrecht = write(
        tmp_path,
        "regions.csv",
        "region_code,region_name,safety_region_code,is_national_desk\nVT09,Utrecht,VR09,false\n",
    )

    result = load_regions(path=only_utrecht)

    assert (result.unchanged, result.kept, result.removed) == (1, 3, 0)
    assert Region.objects.count() == 4


def test_two_regions_may_swap_names(loaded_regions, tmp_path):
    swapped = write(
        tmp_path,
        "regions.csv",
        "region_code,region_name,safety_region_code,is_national_desk\n"
        "VT09,Amsterdam-Amstelland,VR09,false\n"
        "VT13,Utrecht,VR13,false\n",
    )

    result = load_regions(path=swapped)

    assert result.updated == 2
    assert Region.objects.get(code="VT09").name == "Amsterdam-Amstelland"
