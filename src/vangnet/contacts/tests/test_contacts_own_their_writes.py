"""The contacts app owns writing a contact: one service builds it, for every channel, so the
registration's checks and limits are the same whether the desk, a chat or a call-back files it."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django.utils import timezone

import vangnet
from vangnet.accounts.models import Role
from vangnet.chat import services as chat_services
from vangnet.chat.models import ConversationStatus
from vangnet.contacts.models import CONTACT_TEXT_LIMITS, Contact
from vangnet.testing.factories import ConversationFactory, RegionFactory, make_user

ROOT = Path(vangnet.__file__).parent


def test_only_the_contacts_service_builds_a_contact():
    builders = []
    for path in ROOT.rglob("*.py"):
        if {"tests", "migrations", "demo"} & set(path.parts):  # demo data bulk-loads contacts
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "Contact"
            ):
                builders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert [place.split(":")[0] for place in builders] == ["contacts/services.py"]


@pytest.mark.django_db
def test_a_chat_closed_with_too_long_agreements_is_refused_and_stays_open():
    region = RegionFactory.create()
    employee = make_user(Role.ADVICE_DESK, region=region)
    chat = ConversationFactory.create(
        region=region,
        status=ConversationStatus.ACTIVE,
        assigned_to=employee,
        accepted_at=timezone.now(),
    )
    outcome = chat_services.ClosingRegistration(
        asker_type="child",
        forms_of_violence=["physical_abuse"],
        question="Jongen wordt thuis geslagen.",
        advice_given="Praat met je mentor.",
        referral="",
        advised_to_report=False,
        agreements="x" * (CONTACT_TEXT_LIMITS["agreements"] + 1),
    )

    with pytest.raises(chat_services.ChatError, match="hoogstens 2000 tekens"):
        chat_services.close_chat(conversation=chat, by=employee, outcome=outcome)

    chat.refresh_from_db()
    assert chat.status == ConversationStatus.ACTIVE
    assert not Contact.objects.exists()
