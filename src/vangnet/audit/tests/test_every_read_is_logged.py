"""Reads of personal data that used to leave no trace (issue 12, hole 3): each is in the log
now, with every record shown."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone

from vangnet.accounts.models import Role
from vangnet.audit.models import AccessLogAction, AccessLogEntry
from vangnet.chat.models import ConversationStatus
from vangnet.contacts.models import Channel
from vangnet.testing.auth import login_verified
from vangnet.testing.factories import (
    ContactFactory,
    ConversationFactory,
    DossierPersonFactory,
    HandoverFactory,
    RegionFactory,
    make_user,
)

pytestmark = pytest.mark.django_db


def seen_by(user, object_type: str, object_id: int) -> bool:
    entries = AccessLogEntry.objects.filter(user_id=user.pk, action=AccessLogAction.VIEW)
    return (
        entries.filter(object_type=object_type, object_id=str(object_id)).exists()
        or entries.filter(records__object_type=object_type, records__object_id=object_id).exists()
    )


def test_a_report_intake_filled_from_a_dossier_logs_the_dossier():
    region = RegionFactory.create()
    user = make_user(Role.TRIAGE, region=region)
    dossier = DossierPersonFactory.create(dossier__region=region, name="Lisa Bakker").dossier
    ContactFactory.create(region=region, dossier=dossier, channel=Channel.PHONE)
    client = login_verified(Client(), user)

    page = client.get(f"/staff/reports/new/?dossier={dossier.pk}")

    assert "Lisa Bakker" in page.content.decode()
    assert seen_by(user, "contacts.advicedossier", dossier.pk)


def test_a_dossier_of_another_region_fills_nothing_and_is_not_read():
    region, other = RegionFactory.create(), RegionFactory.create()
    user = make_user(Role.TRIAGE, region=region)
    dossier = DossierPersonFactory.create(dossier__region=other, name="Lisa Bakker").dossier
    client = login_verified(Client(), user)

    page = client.get(f"/staff/reports/new/?dossier={dossier.pk}")

    assert "Lisa Bakker" not in page.content.decode()
    assert not seen_by(user, "contacts.advicedossier", dossier.pk)


def test_the_employees_own_chats_and_phone_handovers_on_the_queue_are_logged():
    region = RegionFactory.create()
    employee = make_user(Role.ADVICE_DESK, region=region)
    mine = [
        ConversationFactory.create(
            region=region,
            status=ConversationStatus.ACTIVE,
            assigned_to=employee,
            accepted_at=timezone.now(),
        )
        for _ in range(2)
    ]
    handover = HandoverFactory.create(region=region)
    client = login_verified(Client(), employee)

    assert client.get("/staff/chat/").status_code == 200

    for chat in mine:
        assert seen_by(employee, "chat.conversation", chat.pk)
    assert seen_by(employee, "chat.handover", handover.pk)
