"""The management commands an operator runs to load and refresh the region data."""

from __future__ import annotations

import shutil
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from vangnet.regions.models import Municipality, Postcode, Region
from vangnet.regions.selectors import route_postcode

from .files import DATA, write

pytestmark = pytest.mark.django_db


def run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_operator_imports_cbs_files_step_by_step_and_routing_follows():
    out, _ = run("import_regions", str(DATA / "regions.csv"))
    assert "regions: 4 created" in out
    out, _ = run("import_municipalities", str(DATA / "cbs_gemeenten.csv"), "--format", "cbs")
    assert "municipalities: 4 created" in out
    out, _ = run("import_postcodes", str(DATA / "cbs_pc6hnr.csv"), "--format", "cbs-pc6hnr")
    assert "postcodes: 5 created, 0 updated, 0 unchanged, 0 removed" in out

    assert route_postcode("3511").region.name == "Utrecht"


def test_import_of_a_bad_file_fails_with_the_line_and_changes_nothing(loaded_regions, tmp_path):
    bad = write(tmp_path, "pc4.csv", "postcode,municipality_code\n3511,GM0344\n0999,GM0344\n")

    with pytest.raises(CommandError, match="line 3: postcode '0999'"):
        run("import_postcodes", str(bad), "--prune")
    assert Postcode.objects.count() == 5


def test_import_without_prune_keeps_what_the_file_lacks_and_says_how_to_delete_it(
    loaded_regions, tmp_path
):
    shorter = write(tmp_path, "pc4.csv", "postcode,municipality_code\n3511,GM0344\n")

    out, _ = run("import_postcodes", str(shorter))

    assert "4 postcodes in the database are not in the file and were kept" in out
    assert "--prune" in out
    assert Postcode.objects.count() == 5


def test_load_region_data_loads_a_directory_and_a_second_run_changes_nothing(tmp_path):
    for name in ("regions.csv", "municipalities.csv", "pc4.csv"):
        shutil.copy(DATA / name, tmp_path / name)

    first, _ = run("load_region_data", "--data-dir", str(tmp_path))
    second, _ = run("load_region_data", "--data-dir", str(tmp_path))

    assert "postcodes: 5 created" in first
    assert "regions: 0 created, 0 updated, 4 unchanged, 0 removed" in second
    assert "municipalities: 0 created, 0 updated, 4 unchanged, 0 removed" in second
    assert "postcodes: 0 created, 0 updated, 5 unchanged, 0 removed" in second


def test_load_region_data_without_a_postcode_file_warns_and_routes_to_the_national_desk(
    tmp_path,
):
    for name in ("regions.csv", "municipalities.csv"):
        shutil.copy(DATA / name, tmp_path / name)

    _, err = run("load_region_data", "--data-dir", str(tmp_path))

    assert "pc4.csv is missing" in err
    assert Municipality.objects.count() == 4
    assert route_postcode("3511").national_desk_fallback is True


def test_load_region_data_is_all_or_nothing(tmp_path):
    for name in ("regions.csv", "municipalities.csv"):
        shutil.copy(DATA / name, tmp_path / name)
    write(tmp_path, "pc4.csv", "postcode,municipality_code\n3511,GM0344\n3511,GM0344\n")

    with pytest.raises(CommandError, match="line 3"):
        run("load_region_data", "--data-dir", str(tmp_path))
    assert not Region.objects.exists()
    assert not Municipality.objects.exists()


def test_exported_files_load_back_to_the_same_routing(loaded_regions, tmp_path):
    run("export_region_data", str(tmp_path))
    exported = (tmp_path / "municipalities.csv").read_text(encoding="utf-8").splitlines()
    assert exported[0] == (
        "municipality_code,municipality_name,safety_region_code,safety_region_name,region_code"
    )
    assert "GM0344,Utrecht,VR09,Utrecht,VT09" in exported

    Postcode.objects.all().delete()
    Municipality.objects.all().delete()
    run("import_municipalities", str(tmp_path / "municipalities.csv"))
    run("import_postcodes", str(tmp_path / "pc4.csv"))

    amersfoort = route_postcode("3811").municipality
    assert amersfoort is not None and amersfoort.name == "Amersfoort"
    assert Postcode.objects.count() == 5


def test_load_region_data_with_prune_follows_a_municipal_merger(loaded_regions, tmp_path):
    # Amersfoort merged into Utrecht: its postcodes move first, then it can go.
    shutil.copy(DATA / "regions.csv", tmp_path / "regions.csv")
    write(
        tmp_path,
        "municipalities.csv",
        "municipality_code,municipality_name,safety_region_code\n"
        "GM0344,Utrecht,VR09\nGM0363,Amsterdam,VR13\nGM0855,Tilburg,VR20\n",
    )
    write(
        tmp_path,
        "pc4.csv",
        "postcode,municipality_code\n1011,GM0363\n3511,GM0344\n3811,GM0344\n5038,GM0855\n",
    )

    out, _ = run("load_region_data", "--data-dir", str(tmp_path), "--prune")

    assert "municipalities: 0 created, 0 updated, 3 unchanged, 1 removed" in out
    assert "postcodes: 0 created, 1 updated, 3 unchanged, 1 removed" in out
    assert not Municipality.objects.filter(code="GM0307").exists()
    assert route_postcode("3811").region.code == "VT09"
