"""Rate limits per partner API key (issue 12, hole 9: one key sent 1,127 handover requests in
four minutes). Limits are per key, not per address, and say when to try again."""

from __future__ import annotations

import pytest

from vangnet.chat.models import Handover

from .helpers import HANDOVER_BODY, client_with, key_for, partner_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def tight_limits(settings):
    settings.API_PARTNER_RATE = "5/minute"
    settings.API_PARTNER_WRITE_RATE = "3/minute"


def test_a_key_that_asks_too_many_handovers_is_stopped_and_told_when_to_try_again(tight_limits):
    world = partner_world(with_transfers=False)
    client = client_with(key_for(world.helpline))
    before = Handover.objects.count()

    answers = [client.post("/api/v1/handovers/", HANDOVER_BODY, format="json") for _ in range(4)]

    assert [a.status_code for a in answers] == [201, 201, 201, 429]
    refused = answers[-1]
    assert 1 <= int(refused["Retry-After"]) <= 60
    body = refused.json()
    assert body["error"] == "throttled" and body["fields"] == {}
    assert "API-sleutel" in body["detail"] and refused["Retry-After"] in body["detail"]
    assert Handover.objects.count() == before + 3  # the refused request made nothing


def test_the_limit_is_per_key_not_per_address(tight_limits):
    world = partner_world(with_transfers=False)
    first = client_with(key_for(world.helpline, name="eerste"))
    second = client_with(key_for(world.helpline, name="tweede"))  # same address, own key

    for _ in range(3):
        first.post("/api/v1/handovers/", HANDOVER_BODY, format="json")

    assert first.post("/api/v1/handovers/", HANDOVER_BODY, format="json").status_code == 429
    assert second.post("/api/v1/handovers/", HANDOVER_BODY, format="json").status_code == 201


def test_reading_has_its_own_larger_budget_that_writes_count_towards(tight_limits):
    world = partner_world(with_transfers=False)
    client = client_with(key_for(world.helpline))
    url = f"/api/v1/handovers/{world.own_handover.pk}"

    statuses = [client.get(url).status_code for _ in range(6)]

    assert statuses == [200] * 5 + [429]
    # The write budget is separate but every request counts towards the overall one.
    assert client.post("/api/v1/handovers/", HANDOVER_BODY, format="json").status_code == 429


def test_in_english_the_limit_is_explained_in_english(tight_limits):
    world = partner_world(with_transfers=False)
    client = client_with(key_for(world.helpline))
    url = f"/api/v1/handovers/{world.own_handover.pk}"
    for _ in range(5):
        client.get(url)

    client.cookies["django_language"] = "en"  # Dutch unless chosen (core.middleware)
    refused = client.get(url)

    assert refused.status_code == 429
    assert "API key" in refused.json()["detail"]


def test_without_a_key_nothing_is_counted_against_a_partner(tight_limits):
    world = partner_world(with_transfers=False)
    anonymous = client_with(None)
    for _ in range(10):
        assert anonymous.get(f"/api/v1/handovers/{world.own_handover.pk}").status_code == 401
    client = client_with(key_for(world.helpline))
    assert client.get(f"/api/v1/handovers/{world.own_handover.pk}").status_code == 200


def test_a_refused_key_counts_too_so_it_cannot_flood_the_access_log(tight_limits):
    from vangnet.audit.models import AccessLogAction, AccessLogEntry

    world = partner_world(with_transfers=False)
    school = client_with(key_for(world.school))

    statuses = [school.get("/api/v1/transfers/").status_code for _ in range(7)]

    assert statuses == [403] * 5 + [429] * 2
    assert AccessLogEntry.objects.filter(action=AccessLogAction.REFUSED).count() == 5
