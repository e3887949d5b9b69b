"""Forget a user's authenticator from the command line (a lost phone, a demo account).

In the workspace a functional administrator does this for the people they manage; this
command is for when nobody can log in to do it, such as the only administrator.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from vangnet.accounts.models import User
from vangnet.accounts.services import reset_two_factor_by_operator


class Command(BaseCommand):
    help = (
        "Forget the authenticator of one user: at the next login (password first) they set up "
        "a new one. Every session of the user ends. Recorded in the access log."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--username", required=True)

    def handle(self, *args: Any, **options: Any) -> None:
        username: str = options["username"].strip()
        user = User.objects.filter(username__iexact=username).first()
        if user is None:
            raise CommandError(f"There is no user named {username!r}; nothing was changed.")
        removed = reset_two_factor_by_operator(user=user)
        self.stdout.write(
            self.style.SUCCESS(
                f"Two-factor authentication of {user.username} reset ({removed} authenticator(s) "
                "forgotten). At the next login they set up a new one."
            )
        )
