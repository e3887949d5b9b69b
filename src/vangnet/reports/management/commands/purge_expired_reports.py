"""Delete closed reports past their retention date; run it daily (cron, or a scheduler)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from vangnet.reports.services import purge_expired_reports


class Command(BaseCommand):
    help = "Delete closed reports whose retention date has passed, unless under a legal hold."

    def handle(self, *args: Any, **options: Any) -> None:
        count = purge_expired_reports()
        self.stdout.write(f"{count} reports deleted")
