"""Destroy closed reports past their retention end (REPORT_RETENTION_YEARS; schedule daily).

A report under a legal hold stays. Each destruction is an entry in the access log that names
only the report's id: nothing of the destroyed data remains.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from vangnet.reports.services import delete_expired_reports


class Command(BaseCommand):
    help = "Delete closed reports whose retention period has ended, unless under a legal hold."

    def handle(self, *args: Any, **options: Any) -> None:
        deleted = delete_expired_reports()
        self.stdout.write(
            self.style.SUCCESS(
                f"{deleted} report(s) destroyed "
                f"(retention {settings.REPORT_RETENTION_YEARS} years)."
            )
        )
