"""Load the region data shipped in regions/data/: regions, municipalities, postcodes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from vangnet.regions.data_import import DATA_DIR, RegionDataError, load_shipped_region_data

from ._output import report


class Command(BaseCommand):
    help = (
        f"Load the shipped region data from {DATA_DIR}: regions.csv, then municipalities.csv "
        "and pc4.csv when present. Idempotent; all or nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--data-dir",
            type=Path,
            default=DATA_DIR,
            help="Load the files from this directory instead of the shipped ones.",
        )
        parser.add_argument(
            "--prune",
            action="store_true",
            help="Also delete municipalities and postcodes that the shipped files no longer have.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            outcome = load_shipped_region_data(data_dir=options["data_dir"], prune=options["prune"])
        except RegionDataError as exc:
            raise CommandError(str(exc)) from exc
        for warning in outcome.skipped:
            self.stderr.write(self.style.WARNING(f"Skipped: {warning}"))
        if options["verbosity"] >= 1:
            for result in outcome.results:
                report(self, result, pruning_possible=result.what != "regions")
