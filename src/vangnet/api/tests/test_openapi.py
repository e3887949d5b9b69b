"""The OpenAPI document at /api/v1/openapi.json: the contract partner systems build on."""

from __future__ import annotations

import json

import pytest
from drf_spectacular.validation import validate_schema

pytestmark = pytest.mark.django_db


@pytest.fixture
def schema(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    return json.loads(response.content)


def test_the_schema_is_a_valid_openapi_3_document(schema):
    assert schema["openapi"].startswith("3.")
    validate_schema(schema)  # raises on anything the OpenAPI 3 JSON schema refuses


def test_the_schema_describes_routing_with_its_parameter_errors_and_examples(schema):
    route = schema["paths"]["/api/v1/regions/route"]["get"]

    parameter = next(p for p in route["parameters"] if p["name"] == "postcode")
    assert parameter["required"] is True
    assert {"200", "400", "429", "503"} <= set(route["responses"])
    ok = route["responses"]["200"]["content"]["application/json"]
    assert ok["examples"]["Utrecht"]["value"]["region"]["code"] == "VT09"
    fallback = next(e for e in ok["examples"].values() if e["value"]["national_desk_fallback"])
    assert fallback["value"]["region"]["is_national_desk"] is True
    error = route["responses"]["400"]["content"]["application/json"]
    assert error["schema"] == {"$ref": "#/components/schemas/Error"}
    assert set(schema["components"]["schemas"]["Error"]["properties"]) == {
        "error",
        "detail",
        "fields",
    }


def test_the_schema_describes_the_region_endpoints(schema):
    assert "get" in schema["paths"]["/api/v1/regions/"]
    municipalities = schema["paths"]["/api/v1/regions/{code}/municipalities"]["get"]
    assert {"200", "404"} <= set(municipalities["responses"])
