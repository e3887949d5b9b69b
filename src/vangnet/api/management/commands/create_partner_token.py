"""Make an API key for a partner organisation's system; the key is printed once."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from vangnet.api.auth import create_token
from vangnet.regions.models import PartnerOrganisation


class Command(BaseCommand):
    help = "Create an API key for a partner organisation. The key is shown once; keep it safe."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--organisation", required=True, help="The organisation's name.")
        parser.add_argument("--name", required=True, help="What the key is for.")

    def handle(self, *args: Any, **options: Any) -> None:
        organisations = PartnerOrganisation.objects.filter(name=options["organisation"])
        if organisations.count() != 1:
            raise CommandError(
                f"Found {organisations.count()} organisations named {options['organisation']!r}; "
                "nothing was created."
            )
        token, key = create_token(organisation=organisations.get(), name=options["name"])
        self.stdout.write(self.style.SUCCESS(f"API key {token.pk} created. It is shown once:"))
        self.stdout.write(key)
