"""Load municipalities and their Veilig Thuis region from our CSV or CBS's table."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from vangnet.regions.data_import import MUNICIPALITY_FORMATS, RegionDataError, load_municipalities

from ._output import report


class Command(BaseCommand):
    help = (
        "Create or update municipalities and the Veilig Thuis region of each. "
        "--format vangnet (default): municipality_code,municipality_name,safety_region_code"
        "[,safety_region_name][,region_code]. --format cbs: a CBS municipality table with "
        "Gemeentecode or GemeentecodeGM, Gemeentenaam and VeiligheidsregioCode "
        "(comma or semicolon separated). The region is the one whose safety region matches, "
        "unless a region_code column names it. Load the regions first."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)
        parser.add_argument("--format", choices=MUNICIPALITY_FORMATS, default="vangnet")
        parser.add_argument(
            "--prune",
            action="store_true",
            help="Delete municipalities that are not in the file (refused while postcodes or "
            "partner organisations still refer to them).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = load_municipalities(
                path=options["path"], file_format=options["format"], prune=options["prune"]
            )
        except RegionDataError as exc:
            raise CommandError(str(exc)) from exc
        report(self, result)
