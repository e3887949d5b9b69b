"""Write the municipalities and postcodes in the database as the shipped CSV files.

Used to refresh regions/data/ after importing newer CBS files (see data/README.md).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from vangnet.regions.data_import import export_region_data


class Command(BaseCommand):
    help = (
        "Write municipalities.csv and pc4.csv in the shipped format from the database into "
        "DIRECTORY (for example src/vangnet/regions/data)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("directory", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        counts = export_region_data(data_dir=options["directory"])
        self.stdout.write(
            self.style.SUCCESS(
                f"Wrote {counts['municipalities']} municipalities and {counts['postcodes']} "
                f"postcodes to {options['directory']}."
            )
        )
