"""The command that makes the first functional administrator of a new installation."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.test import Client

from vangnet.accounts.management.commands import create_functional_admin as command
from vangnet.accounts.models import Role, User
from vangnet.audit.models import AccessLogAction, AccessLogEntry
from vangnet.testing.auth import login_verified
from vangnet.testing.factories import RegionFactory, make_user

pytestmark = pytest.mark.django_db

PASSWORD = "Beheer-Vangnet-Utrecht-2026"


@pytest.fixture
def utrecht():
    return RegionFactory.create(code="VT09", name="Utrecht")


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("create_functional_admin", *args, stdout=out)
    return out.getvalue()


def test_creates_an_administrator_who_can_then_manage_users(monkeypatch, utrecht):
    monkeypatch.setenv("VANGNET_ADMIN_PASSWORD", PASSWORD)

    output = run("--username", "beheer", "--region", "vt09", "--email", "beheer@vt.example")

    assert "created for Utrecht (VT09)" in output
    admin = User.objects.get(username="beheer")
    assert admin.email == "beheer@vt.example"
    assert [(m.region, m.role) for m in admin.memberships.all()] == [
        (utrecht, Role.FUNCTIONAL_ADMIN)
    ]
    client = login_verified(Client(), admin, password=PASSWORD)
    assert client.get("/accounts/users/").status_code == 200
    assert AccessLogEntry.objects.filter(
        action=AccessLogAction.CREATE, object_id=str(admin.pk), username="beheeropdracht"
    ).exists()


def test_refuses_a_weak_password_with_the_validators_messages(monkeypatch, utrecht):
    weak = "beheer2026"
    monkeypatch.setenv("VANGNET_ADMIN_PASSWORD", weak)
    with pytest.raises(ValidationError) as expected:
        password_validation.validate_password(weak, user=User(username="beheer"))

    with pytest.raises(CommandError) as refused:
        run("--username", "beheer", "--region", "VT09")

    assert all(message in str(refused.value) for message in expected.value.messages)
    assert not User.objects.filter(username="beheer").exists()


def test_refuses_an_existing_username_and_changes_nothing(monkeypatch, utrecht):
    existing = make_user(Role.ADVICE_DESK, region=utrecht, username="beheer")
    monkeypatch.setenv("VANGNET_ADMIN_PASSWORD", PASSWORD)

    with pytest.raises(CommandError, match="already exists"):
        run("--username", "Beheer", "--region", "VT09")

    assert list(existing.memberships.values_list("role", flat=True)) == [Role.ADVICE_DESK]
    assert existing.check_password("correct-horse-battery-staple-42")


def test_refuses_an_unknown_region(monkeypatch, utrecht):
    monkeypatch.setenv("VANGNET_ADMIN_PASSWORD", PASSWORD)
    with pytest.raises(CommandError, match="no region with code 'VT99'"):
        run("--username", "beheer", "--region", "VT99")
    assert not User.objects.filter(username="beheer").exists()


def test_asks_for_the_password_at_a_terminal(monkeypatch, utrecht):
    monkeypatch.delenv("VANGNET_ADMIN_PASSWORD", raising=False)
    monkeypatch.setattr(command.sys.stdin, "isatty", lambda: True, raising=False)
    answers = iter([PASSWORD, PASSWORD])
    monkeypatch.setattr(command, "getpass", lambda prompt: next(answers))

    run("--username", "beheer", "--region", "VT09")

    assert User.objects.get(username="beheer").check_password(PASSWORD)


def test_two_different_answers_at_the_terminal_create_nothing(monkeypatch, utrecht):
    monkeypatch.delenv("VANGNET_ADMIN_PASSWORD", raising=False)
    monkeypatch.setattr(command.sys.stdin, "isatty", lambda: True, raising=False)
    answers = iter([PASSWORD, PASSWORD + "!"])
    monkeypatch.setattr(command, "getpass", lambda prompt: next(answers))

    with pytest.raises(CommandError, match="differ"):
        run("--username", "beheer", "--region", "VT09")
    assert not User.objects.filter(username="beheer").exists()


def test_without_a_terminal_or_variable_it_says_how_to_give_the_password(monkeypatch, utrecht):
    monkeypatch.delenv("VANGNET_ADMIN_PASSWORD", raising=False)
    monkeypatch.setattr(command.sys.stdin, "isatty", lambda: False, raising=False)

    with pytest.raises(CommandError, match="VANGNET_ADMIN_PASSWORD"):
        run("--username", "beheer", "--region", "VT09")
