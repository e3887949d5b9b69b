"""Count every figure again from the facts, and make sure the recurring rollup is scheduled."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from vangnet.insights import rollup
from vangnet.insights.tasks import ensure_rollup_scheduled


class Command(BaseCommand):
    help = "Herbereken alle cijfers (rollups) uit de registraties."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--recent",
            action="store_true",
            help="Alleen de recente dagen (zoals de taak elk kwartier doet).",
        )

    def handle(self, *args: Any, recent: bool = False, **options: Any) -> None:
        result = rollup.refresh() if recent else rollup.rebuild()
        scheduled = ensure_rollup_scheduled()
        self.stdout.write(
            f"{result.days} day(s) counted, {result.rows} tally row(s)"
            + ("; the recurring rollup is scheduled." if scheduled else ".")
        )
