"""Load 4-digit postcode → municipality from our CSV or CBS's postcode-house-number file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from vangnet.regions.data_import import POSTCODE_FORMATS, RegionDataError, load_postcodes

from ._output import report


class Command(BaseCommand):
    help = (
        "Create or update which municipality each 4-digit postcode (PC4) belongs to. "
        "--format vangnet (default): postcode,municipality_code. --format cbs-pc6hnr: CBS's "
        "'buurt, wijk en gemeente voor postcode-huisnummer' file "
        "(PC6;Huisnummer;Buurt<year>;Wijk<year>;Gemeente<year>), streamed and aggregated: "
        "each PC4 goes to the municipality with the most addresses in it. Load the "
        "municipalities of the same year first."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)
        parser.add_argument("--format", choices=POSTCODE_FORMATS, default="vangnet")
        parser.add_argument(
            "--prune", action="store_true", help="Delete postcodes that are not in the file."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = load_postcodes(
                path=options["path"], file_format=options["format"], prune=options["prune"]
            )
        except RegionDataError as exc:
            raise CommandError(str(exc)) from exc
        report(self, result)
