"""The OpenAPI document says what a partner system can meet: 401, 403, 404, 429, Retry-After."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db

PARTNER_OPERATIONS = [
    ("/api/v1/handovers/", "post"),
    ("/api/v1/handovers/{handover_id}", "get"),
    ("/api/v1/transfers/", "get"),
    ("/api/v1/transfers/{report_id}/accept", "post"),
]


@pytest.mark.parametrize(("path", "method"), PARTNER_OPERATIONS)
def test_every_partner_operation_documents_the_refusals_and_the_limit(client, path, method):
    operation = client.get("/api/v1/openapi.json").json()["paths"][path][method]

    assert {"401", "403", "404", "429"} <= set(operation["responses"])
    assert operation["security"] == [{"partnerToken": []}]
    assert "alike" in operation["responses"]["404"]["description"]


def test_every_429_in_the_document_carries_retry_after(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    too_many = [
        operation["responses"]["429"]
        for operations in paths.values()
        for operation in operations.values()
        if "429" in operation["responses"]
    ]

    assert len(too_many) >= 7  # three public region endpoints and four partner ones
    assert all(r["headers"]["Retry-After"]["required"] for r in too_many)
