"""The warm handover through the REST API, for a helpline's own system."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

from vangnet.api.auth import create_token
from vangnet.chat.models import Handover, HandoverStatus
from vangnet.testing.factories import PartnerOrganisationFactory, helpline, national_desk

from .helpers import region_with_postcode

pytestmark = pytest.mark.django_db

BODY = {
    "channel": "chat",
    "consent": True,
    "summary_by": "child",
    "volunteer_stays": False,
    "child_anonymous": True,
    "summary": "Meisje van 12, moeder wordt geslagen door haar vriend.",
    "external_reference": "KT-2026-88",
}


def partner_client(organisation=None) -> APIClient:
    region_with_postcode()
    _token, key = create_token(organisation=organisation or helpline(), name="chat-koppeling")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def test_a_helpline_system_requests_a_handover_and_follows_its_status():
    client = partner_client()

    created = client.post("/api/v1/handovers/", BODY, format="json")

    assert created.status_code == 201
    body = created.json()
    assert body["status"] == "requested" and body["external_reference"] == "KT-2026-88"
    assert len(body["join_code"].replace("-", "")) == 8
    handover = Handover.objects.get()
    assert handover.region == national_desk() and handover.conversation is not None

    Handover.objects.filter(pk=handover.pk).update(status=HandoverStatus.ACCEPTED)
    status = client.get(f"/api/v1/handovers/{handover.pk}")
    assert status.status_code == 200 and status.json()["status"] == "accepted"
    assert "summary" not in status.json()  # nothing of the conversation goes back


def test_bad_input_gets_field_messages_and_creates_nothing():
    client = partner_client()

    response = client.post(
        "/api/v1/handovers/", {**BODY, "channel": "fax", "consent": False}, format="json"
    )
    assert response.status_code == 400
    assert "channel" in response.json()["fields"]
    refused = client.post("/api/v1/handovers/", {**BODY, "consent": False}, format="json")
    assert refused.status_code == 400
    assert "toestemming" in refused.json()["detail"]
    assert Handover.objects.count() == 0


def test_another_organisations_handover_is_not_shown():
    mine = partner_client()
    mine.post("/api/v1/handovers/", BODY, format="json")
    other = PartnerOrganisationFactory.create(
        name="Andere hulplijn", kind="helpline", region=national_desk()
    )
    _token, key = create_token(organisation=other, name="x")
    theirs = APIClient()
    theirs.credentials(HTTP_AUTHORIZATION=f"Token {key}")

    # The same answer as for an id that does not exist (vangnet/api/tests/test_refusals.py).
    assert theirs.get(f"/api/v1/handovers/{Handover.objects.get().pk}").status_code == 404


def test_a_revoked_key_stops_working_at_once():
    client = partner_client()
    from vangnet.accounts.models import PartnerApiToken

    token = PartnerApiToken.objects.get()
    out = StringIO()
    call_command("revoke_partner_token", str(token.pk), stdout=out)

    assert "Revoked." in out.getvalue()
    assert client.post("/api/v1/handovers/", BODY, format="json").status_code == 401


def test_the_create_command_prints_the_key_once_and_stores_only_its_hash():
    region_with_postcode()
    helpline()
    out = StringIO()
    call_command("create_partner_token", organisation="De Kindertelefoon", name="chat", stdout=out)
    key = out.getvalue().strip().splitlines()[-1]
    from vangnet.accounts.models import PartnerApiToken

    assert key.startswith("vgn_")
    assert not PartnerApiToken.objects.filter(digest=key).exists()


def test_the_openapi_schema_describes_the_handover_endpoints(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/handovers/" in schema["paths"]
    assert "/api/v1/handovers/{handover_id}" in schema["paths"]
    assert "partnerToken" in schema["components"]["securitySchemes"]
