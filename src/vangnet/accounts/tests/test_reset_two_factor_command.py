"""Someone who lost their authenticator (the only administrator, a demo user) gets back in."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django_otp.plugins.otp_totp.models import TOTPDevice

from vangnet.accounts.models import Role
from vangnet.audit.models import AccessLogAction, AccessLogEntry
from vangnet.testing.factories import confirmed_totp_device, make_user

pytestmark = pytest.mark.django_db


def test_the_command_forgets_the_authenticator_and_ends_the_sessions():
    admin = make_user(Role.FUNCTIONAL_ADMIN, username="beheer")
    confirmed_totp_device(admin)
    stamp = admin.security_stamp
    out = StringIO()

    call_command("reset_two_factor", "--username", "BEHEER", stdout=out)

    admin.refresh_from_db()
    assert not TOTPDevice.objects.filter(user=admin).exists()
    assert admin.security_stamp != stamp
    assert "reset" in out.getvalue()
    assert AccessLogEntry.objects.filter(
        action=AccessLogAction.CHANGE, object_id=str(admin.pk), username="beheeropdracht"
    ).exists()


def test_an_unknown_user_changes_nothing():
    with pytest.raises(CommandError, match="no user named"):
        call_command("reset_two_factor", "--username", "niemand")
