"""The contact register: staff see their own region's contacts, and every look is logged."""

from __future__ import annotations

import pytest

from vangnet.accounts.models import Role
from vangnet.audit.models import AccessLogAction, AccessLogEntry
from vangnet.testing.auth import login_verified
from vangnet.testing.factories import ContactFactory, RegionFactory, make_user

pytestmark = pytest.mark.django_db


def test_advice_desk_sees_contacts_of_own_region_only(client):
    utrecht, twente = RegionFactory.create(name="Utrecht"), RegionFactory.create(name="Twente")
    ContactFactory.create(region=utrecht, summary="Zorgen over een buurjongen in Utrecht")
    ContactFactory.create(region=twente, summary="Zorgen over een buurmeisje in Twente")
    login_verified(client, make_user(Role.ADVICE_DESK, region=utrecht))

    page = client.get("/staff/contacts/").content.decode()

    assert "buurjongen in Utrecht" in page
    assert "Twente" not in page


def test_viewing_the_register_is_logged_with_the_records_shown(client):
    region = RegionFactory.create()
    shown = ContactFactory.create(region=region)
    user = make_user(Role.TRIAGE, region=region)
    login_verified(client, user)

    client.get("/staff/contacts/")

    entry = AccessLogEntry.objects.filter(action=AccessLogAction.VIEW, user_id=user.pk).first()
    assert entry is not None
    assert entry.object_type == "contacts.contact"
    assert entry.object_id == str(shown.pk)
    assert entry.roles == "triage"


def test_contact_of_another_region_is_refused_and_the_refusal_logged(client):
    own, other = RegionFactory.create(), RegionFactory.create()
    foreign = ContactFactory.create(region=other, summary="Geheim verhaal uit een andere regio")
    user = make_user(Role.ADVICE_DESK, region=own)
    login_verified(client, user)

    response = client.get(f"/staff/contacts/{foreign.pk}/")

    assert response.status_code == 403
    assert "Geheim verhaal" not in response.content.decode()
    refusal = AccessLogEntry.objects.get(action=AccessLogAction.REFUSED, user_id=user.pk)
    assert refusal.object_id == str(foreign.pk)


def test_break_the_glass_needs_a_reason_and_then_opens_one_contact(client):
    own, other = RegionFactory.create(), RegionFactory.create()
    foreign = ContactFactory.create(region=other, summary="Acute zorgen, kind in gevaar")
    user = make_user(Role.TRIAGE, region=own)
    login_verified(client, user)

    too_short = client.post(f"/staff/contacts/{foreign.pk}/break-glass/", {"reason": "nodig"})
    assert too_short.status_code == 400
    assert client.get(f"/staff/contacts/{foreign.pk}/").status_code == 403

    reason = "Politie belt over acute situatie, gezin is net verhuisd naar onze regio"
    client.post(f"/staff/contacts/{foreign.pk}/break-glass/", {"reason": reason})
    response = client.get(f"/staff/contacts/{foreign.pk}/")

    assert response.status_code == 200
    assert "kind in gevaar" in response.content.decode()
    entry = AccessLogEntry.objects.get(action=AccessLogAction.BREAK_GLASS)
    assert entry.reason == reason


def test_empty_register_says_so(client):
    login_verified(client, make_user(Role.ADVICE_DESK))
    assert "nog geen contacten" in client.get("/staff/contacts/").content.decode()
