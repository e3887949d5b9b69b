"""Verify the access log's hash chain and name the first broken entry.

Exit status 0 when the whole chain is intact, 1 when it is broken — so a cron job or a
monitoring check can alert on it. Prints no personal data, only sequence numbers.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from vangnet.audit.services import verify_chain


class Command(BaseCommand):
    help = (
        "Walk the whole access log in order and check every entry's HMAC and its link to the "
        "entry before it. Reports the first broken entry and exits with status 1 if any."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        checked, broken = verify_chain()
        if broken is not None:
            raise CommandError(
                f"Access log broken at entry #{broken.sequence}: {broken.problem}. "
                f"The {checked} entries before it are intact.",
                returncode=1,
            )
        self.stdout.write(self.style.SUCCESS(f"Access log intact: {checked} entries checked."))
