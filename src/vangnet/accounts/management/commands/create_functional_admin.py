"""Bootstrap the first functional administrator of a fresh installation.

The administrator then creates every other account in the workspace (/accounts/users/).
The password comes from VANGNET_ADMIN_PASSWORD or, at a terminal, is asked twice.
"""

from __future__ import annotations

import os
import sys
from getpass import getpass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from vangnet.accounts.models import User
from vangnet.accounts.services import create_first_functional_admin
from vangnet.regions.models import Region

PASSWORD_ENV = "VANGNET_ADMIN_PASSWORD"  # noqa: S105  (the name of a variable, not a password)


class Command(BaseCommand):
    help = (
        "Create a functional administrator for one region. Reads the password from "
        f"{PASSWORD_ENV}, or asks for it when run at a terminal."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--username", required=True)
        parser.add_argument("--region", required=True, help="Region code, e.g. VT09.")
        parser.add_argument("--email", default="")

    def handle(self, *args: Any, **options: Any) -> None:
        username: str = options["username"].strip()
        code: str = options["region"].strip().upper()
        if User.objects.filter(username__iexact=username).exists():
            raise CommandError(
                f"A user named {username!r} already exists; nothing was changed. "
                "Choose another username, or manage that account in the workspace."
            )
        region = Region.objects.filter(code=code).first()
        if region is None:
            raise CommandError(
                f"There is no region with code {code!r}. Load the regions first "
                "(manage.py load_region_data) and use a code such as VT09."
            )
        password = self._password()
        try:
            user = create_first_functional_admin(
                username=username, region=region, password=password, email=options["email"]
            )
        except ValidationError as exc:
            problems = "\n".join(f"  - {m}" for m in exc.messages)
            raise CommandError(f"The account was not created:\n{problems}") from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Functional administrator {user.username!r} created for {region.name} "
                f"({region.code}). At the first login they set up two-factor authentication."
            )
        )

    def _password(self) -> str:
        from_env = os.environ.get(PASSWORD_ENV, "")
        if from_env:
            return from_env
        if not sys.stdin.isatty():
            raise CommandError(
                f"No password given: set {PASSWORD_ENV}, or run the command at a terminal."
            )
        first = getpass("Password: ")
        if first != getpass("Password (again): "):
            raise CommandError("The two passwords differ; nothing was changed.")
        return first
