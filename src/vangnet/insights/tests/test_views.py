"""The team lead's pages: own region only, the national view only at the national desk."""

from __future__ import annotations

import pytest
from django.test import Client

from vangnet.accounts.models import Role
from vangnet.testing.auth import login_verified
from vangnet.testing.factories import RegionFactory, make_user, national_desk

pytestmark = pytest.mark.django_db


def test_team_lead_reads_own_region_and_downloads_csv_but_not_another_region(client: Client):
    utrecht, twente = RegionFactory.create(name="Utrecht"), RegionFactory.create(name="Twente")
    lead = make_user(Role.TEAM_LEAD, region=utrecht)
    login_verified(client, lead)

    page = client.get(f"/staff/insights/{utrecht.code}/?van=2026-03-01&tot=2026-03-31")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Inzicht — Utrecht" in text
    assert "<svg" in text and "<script" not in text.split("<main", 1)[1]
    csv = client.get(f"/staff/insights/{utrecht.code}/csv/chat/?van=2026-03-01&tot=2026-03-31")
    assert csv["Content-Type"].startswith("text/csv")
    assert "Chats aangeboden" in csv.content.decode()

    assert client.get(f"/staff/insights/{twente.code}/").status_code == 403
    assert client.get("/staff/insights/landelijk/").status_code == 403


def test_national_desk_lead_sees_the_national_view_and_the_pooled_forecast(client: Client):
    lead = make_user(Role.TEAM_LEAD, region=national_desk())
    login_verified(client, lead)
    assert client.get("/staff/insights/")["Location"] == "/staff/insights/landelijk/"
    assert "Inzicht — Landelijk" in client.get("/staff/insights/landelijk/").content.decode()
    forecast = client.get("/staff/insights/landelijk/bezetting/?niveau=80&seconden=60")
    assert "samen met het landelijk loket" in forecast.content.decode()


def test_statistics_download_as_csv_and_ods(client: Client):
    region = RegionFactory.create(name="Utrecht")
    login_verified(client, make_user(Role.TEAM_LEAD, region=region))
    csv = client.get(f"/staff/insights/{region.code}/statistiek/?kwartaal=2026-1&formaat=csv")
    assert "Celbeveiliging" in csv.content.decode()
    ods = client.get(f"/staff/insights/{region.code}/statistiek/?kwartaal=2026-1&formaat=ods")
    assert (
        ods.content[:2] == b"PK"
        and b"application/vnd.oasis.opendocument.spreadsheet" in ods.content
    )
