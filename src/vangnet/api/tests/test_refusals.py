"""Refusals through the API: logged once each, and another's record looks like a missing one.

Issue 12, hole 4: a partner key got 403 for another organisation's ids but 404 for ids that
do not exist, so ids could be counted; and nothing of it reached the access log.
"""

from __future__ import annotations

import json

import pytest

from vangnet.audit.models import AccessLogAction, AccessLogEntry
from vangnet.chat.models import Handover
from vangnet.reports.workflow import ReportState

from .helpers import HANDOVER_BODY, client_with, key_for, partner_world

pytestmark = pytest.mark.django_db

MISSING = 987654321


def refusals() -> list[AccessLogEntry]:
    return list(AccessLogEntry.objects.filter(action=AccessLogAction.REFUSED).order_by("sequence"))


def answer(response) -> tuple[int, str, object]:
    return response.status_code, response["Content-Type"], response.json()


def test_another_helplines_handover_answers_exactly_like_one_that_does_not_exist():
    world = partner_world(with_transfers=False)
    client = client_with(key_for(world.helpline))

    theirs = client.get(f"/api/v1/handovers/{world.other_handover.pk}")
    missing = client.get(f"/api/v1/handovers/{MISSING}")

    assert answer(theirs) == answer(missing)
    assert answer(missing)[0] == 404
    assert client.get(f"/api/v1/handovers/{world.own_handover.pk}").status_code == 200
    # Only the attempt on a real record of someone else is a refusal; it names the record.
    [refusal] = refusals()
    assert refusal.object_type == "chat.handover"
    assert refusal.object_id == str(world.other_handover.pk)
    assert refusal.username == "api:De Kindertelefoon" and refusal.user_id is None


def test_another_teams_transfer_answers_like_a_missing_one_and_stays_untouched():
    world = partner_world()
    assert world.other_transfer is not None and world.transfer is not None
    client = client_with(key_for(world.team))

    theirs = client.post(f"/api/v1/transfers/{world.other_transfer.pk}/accept")
    missing = client.post(f"/api/v1/transfers/{MISSING}/accept")

    assert answer(theirs) == answer(missing)
    assert answer(missing)[0] == 404
    world.other_transfer.refresh_from_db()
    assert world.other_transfer.state == ReportState.TRANSFER_PENDING
    [refusal] = refusals()
    assert refusal.object_type == "reports.report"
    assert refusal.object_id == str(world.other_transfer.pk)
    assert refusal.username == "api:Wijkteam Oost"


def test_a_key_of_an_organisation_of_the_wrong_kind_is_refused_and_logged_once():
    world = partner_world(with_transfers=False)
    school = client_with(key_for(world.school))

    handover = school.post("/api/v1/handovers/", HANDOVER_BODY, format="json")
    transfers = school.get("/api/v1/transfers/")

    assert handover.status_code == 403 and transfers.status_code == 403
    assert handover.json()["error"] == "permission_denied"
    assert Handover.objects.count() == 2  # the world's two; the school's request made none
    assert [(r.username, r.object_type, r.object_id) for r in refusals()] == [
        ("api:Basisschool De Regenboog", "api", "/api/v1/handovers/"),
        ("api:Basisschool De Regenboog", "api", "/api/v1/transfers/"),
    ]


def test_a_helpline_key_sees_no_transfers_and_a_team_key_requests_no_handovers():
    world = partner_world()
    assert world.transfer is not None
    helpline = client_with(key_for(world.helpline))
    team = client_with(key_for(world.team))

    assert helpline.get("/api/v1/transfers/").status_code == 403
    assert helpline.post(f"/api/v1/transfers/{world.transfer.pk}/accept").status_code == 403
    assert team.get(f"/api/v1/handovers/{world.own_handover.pk}").status_code == 403
    assert len(refusals()) == 3


def test_no_key_or_a_revoked_key_is_401_and_leaves_no_refusal():
    # Nobody to attribute it to; logging it would let anyone fill the access log.
    world = partner_world(with_transfers=False)
    key = key_for(world.helpline)
    from vangnet.accounts.models import PartnerApiToken

    PartnerApiToken.objects.update(revoked_at="2026-01-01T00:00:00Z")
    for client in (client_with(None), client_with(key), client_with("vgn_made-up")):
        response = client.get(f"/api/v1/handovers/{world.own_handover.pk}")
        assert response.status_code == 401
        assert response.json()["error"] in {"not_authenticated", "authentication_failed"}
    assert refusals() == []


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/handovers/abc",
        "/api/v1/handovers/-1",
        "/api/v1/handovers/99999999999999999999",
        "/api/v1/transfers/1e3/accept",
        "/api/v1/transfers/99999999999999999999/accept",
        "/api/v1/no-such-endpoint",
    ],
)
def test_a_malformed_or_oversized_id_gets_the_same_json_404(path):
    world = partner_world(with_transfers=False)
    client = client_with(key_for(world.helpline))

    response = client.generic("POST" if path.endswith("accept") else "GET", path)

    assert answer(response) == answer(client.get(f"/api/v1/handovers/{MISSING}"))
    assert response.json() == {"error": "not_found", "detail": "Niet gevonden.", "fields": {}}


def test_a_server_error_under_the_api_is_json_and_elsewhere_the_sites_page():
    from django.test import RequestFactory

    from vangnet.core.views import server_error

    api = server_error(RequestFactory().get("/api/v1/handovers/1"))
    page = server_error(RequestFactory().get("/staff/"))

    assert api.status_code == page.status_code == 500
    assert api["Content-Type"] == "application/json"
    body = json.loads(api.content)
    assert body["error"] == "error" and body["fields"] == {} and "mis" in body["detail"]
    assert page["Content-Type"].startswith("text/html")
