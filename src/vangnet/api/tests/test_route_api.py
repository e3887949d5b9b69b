"""GET /api/v1/regions/route and the region endpoints, as a partner system uses them."""

from __future__ import annotations

import pytest
from rest_framework.throttling import AnonRateThrottle

from vangnet.testing.factories import (
    MunicipalityFactory,
    PostcodeFactory,
    RegionFactory,
    national_desk,
)

pytestmark = pytest.mark.django_db

INVALID = (
    "Dit is geen geldige postcode. Een postcode begint met 4 cijfers, waarvan het eerste "
    "geen 0 is, bijvoorbeeld 3511 of 3511 AB."
)
EMPTY = "Vul de 4 cijfers van een postcode in, bijvoorbeeld 3511."


@pytest.fixture
def utrecht():
    region = RegionFactory.create(code="VT09", name="Utrecht", safety_region_code="VR09")
    municipality = MunicipalityFactory.create(code="GM0344", name="Utrecht", region=region)
    PostcodeFactory.create(code="3511", municipality=municipality)
    MunicipalityFactory.create(code="GM0307", name="Amersfoort", region=region)
    national_desk()
    return region


def test_postcode_3511_answers_veilig_thuis_utrecht(client, utrecht):
    response = client.get("/api/v1/regions/route", {"postcode": "3511"})

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "postcode": "3511",
        "region": {
            "code": "VT09",
            "name": "Utrecht",
            "display_name": "Veilig Thuis Utrecht",
            "is_national_desk": False,
        },
        "municipality": {"code": "GM0344", "name": "Utrecht"},
        "national_desk_fallback": False,
    }


def test_a_full_postcode_is_accepted_and_only_its_digits_are_echoed(client, utrecht):
    response = client.get("/api/v1/regions/route", {"postcode": "3511 ab"})

    assert response.status_code == 200
    assert response.json()["postcode"] == "3511"
    assert response.json()["region"]["code"] == "VT09"


def test_an_unassigned_postcode_goes_to_the_national_desk_and_says_so(client, utrecht):
    response = client.get("/api/v1/regions/route", {"postcode": "9999"})

    assert response.status_code == 200
    body = response.json()
    assert body["national_desk_fallback"] is True
    assert body["region"]["is_national_desk"] is True
    assert body["region"]["code"] == national_desk().code
    assert body["municipality"] is None


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"postcode": "abc"}, INVALID),
        ({"postcode": "0123"}, INVALID),
        ({"postcode": "12345"}, INVALID),
        ({"postcode": "\uff13\uff15\uff11\uff11"}, INVALID),  # fullwidth digits
        ({"postcode": "3511 A"}, INVALID),
        ({"postcode": ""}, EMPTY),
        ({}, EMPTY),
    ],
    ids=["letters", "leading-zero", "five-digits", "fullwidth", "one-letter", "empty", "missing"],
)
def test_a_malformed_postcode_gets_a_400_with_a_dutch_message(client, utrecht, query, message):
    response = client.get("/api/v1/regions/route", query)

    assert response.status_code == 400
    assert response.json() == {
        "error": "invalid",
        "detail": message,
        "fields": {"postcode": [message]},
    }


def test_without_region_data_the_answer_is_503_not_a_crash(client, db):
    response = client.get("/api/v1/regions/route", {"postcode": "3511"})

    assert response.status_code == 503
    assert response.json()["error"] == "unavailable"
    assert "niet geladen" in response.json()["detail"]


def test_anonymous_callers_are_throttled_with_the_error_shape(client, utrecht, monkeypatch):
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "2/minute"})

    answers = [client.get("/api/v1/regions/route", {"postcode": "3511"}) for _ in range(3)]

    assert [a.status_code for a in answers] == [200, 200, 429]
    refused = answers[-1]
    wait = int(refused["Retry-After"])
    assert refused.json() == {
        "error": "throttled",
        "detail": f"Te veel verzoeken vanaf dit adres. Probeer het over {wait} seconden opnieuw.",
        "fields": {},
    }


def test_the_regions_are_listed(client, utrecht):
    response = client.get("/api/v1/regions/")

    assert response.status_code == 200
    assert [(r["code"], r["is_national_desk"]) for r in response.json()] == [
        ("VT09", False),
        (national_desk().code, True),
    ]


def test_a_region_lists_its_municipalities(client, utrecht):
    response = client.get("/api/v1/regions/vt09/municipalities")

    assert response.status_code == 200
    assert response.json() == [
        {"code": "GM0307", "name": "Amersfoort"},
        {"code": "GM0344", "name": "Utrecht"},
    ]


def test_an_unknown_region_is_a_404_in_the_error_shape(client, utrecht):
    response = client.get("/api/v1/regions/VT99/municipalities")

    assert response.status_code == 404
    assert response.json() == {
        "error": "not_found",
        "detail": "Er is geen regio met code VT99.",
        "fields": {},
    }


def test_writing_is_refused_in_the_error_shape(client, utrecht):
    response = client.post("/api/v1/regions/route", {"postcode": "3511"})

    assert response.status_code == 405
    assert response.json()["error"] == "method_not_allowed"
    assert response.json()["fields"] == {}
