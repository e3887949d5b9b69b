"""Run the daily retention now (demo, tests, or after a worker outage) and make sure the
daily run is scheduled. Prints the counts per kind — never what was destroyed."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from vangnet.rights.retention import run_retention
from vangnet.rights.tasks import ensure_retention_scheduled


class Command(BaseCommand):
    help = (
        "Destroy every record past its retention period (reports, advice, chat transcripts, "
        "meldcode records, old access-log entries), except those under a legal hold."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        run = run_retention()
        ensure_retention_scheduled()
        counts = ", ".join(f"{kind}: {n}" for kind, n in run.counts.items())
        if run.failed:
            self.stderr.write(f"Retention failed for: {', '.join(run.failed)}")
        self.stdout.write(self.style.SUCCESS(f"Retention run for {run.for_day}: {counts}."))
