"""Revoke a partner organisation's API key; it stops working at once."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from vangnet.accounts.models import PartnerApiToken


class Command(BaseCommand):
    help = "Revoke an API key by its number (shown when it was made) or its prefix."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("key", help="The key's number, or its first 12 characters.")

    def handle(self, *args: Any, **options: Any) -> None:
        key: str = options["key"].strip()
        tokens = PartnerApiToken.objects.filter(
            **({"pk": int(key)} if key.isdigit() else {"prefix": key[:12]})
        )
        if tokens.count() != 1:
            raise CommandError(f"No single API key matches {key!r}; nothing was revoked.")
        revoked = tokens.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
        self.stdout.write(self.style.SUCCESS("Revoked." if revoked else "Was already revoked."))
