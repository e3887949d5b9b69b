"""Load the demo world (regions, people, contacts) and print how to log in."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from vangnet.accounts.models import Role
from vangnet.demo.activity import load_demo_activity
from vangnet.demo.people import DEMO_PASSWORD, load_demo_people_and_contacts
from vangnet.insights import rollup


class Command(BaseCommand):
    help = "Load demo data for all 25 regions: staff per role, partners and sample contacts."

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRODUCTION:
            raise CommandError("Demo data is never loaded in production mode.")
        call_command("load_region_data", verbosity=options["verbosity"])
        result = load_demo_people_and_contacts()
        load_demo_activity()  # a year of contacts, chats and reports for the dashboard
        rollup.rebuild()
        labels = dict(Role.choices)
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))
        self.stdout.write(f"Demo accounts (password for all: {DEMO_PASSWORD}):")
        for user in result.users:
            roles = ", ".join(f"{labels[role]} ({region})" for region, role in user.roles)
            self.stdout.write(f"  {user.username:<22} {roles}")
        self.stdout.write(
            "On the first login each account sets up two-factor authentication: scan the QR "
            "code with an authenticator app, or enter the key shown."
        )
        base = str(settings.PUBLIC_BASE_URL).rstrip("/")  # `make demo` sets it to HOST:PORT
        self.stdout.write(f"Open {base}/ (public) or {base}/staff/")
