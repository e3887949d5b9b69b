"""Load the Veilig Thuis regions and the national desk from regions.csv."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from vangnet.regions.data_import import REGIONS_FILE, RegionDataError, load_regions

from ._output import report


class Command(BaseCommand):
    help = (
        "Create or update the Veilig Thuis regions and the national desk from a CSV file "
        "(region_code,region_name,safety_region_code,is_national_desk). Regions are never "
        "deleted. Default file: the shipped regions/data/regions.csv."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", nargs="?", type=Path, default=REGIONS_FILE)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = load_regions(path=options["path"])
        except RegionDataError as exc:
            raise CommandError(str(exc)) from exc
        report(self, result, pruning_possible=False)
