"""The API against its own contract: Schemathesis generates requests from /api/v1/openapi.json.

For every operation, with and without a partner key, valid and invalid input: no server error,
every status and header the answer has is in the document (401, 403, 404, 429 included), and
every error is JSON in the one error shape. The budget is small and the run derandomized, so
it takes seconds and finds the same thing every time; the document is the contract partners
build on, so a mismatch here is a bug in the code or in the document.
"""

from __future__ import annotations

import pytest
import schemathesis
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis.checks import not_a_server_error
from schemathesis.generation.modes import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from .helpers import key_for, partner_world

pytestmark = pytest.mark.django_db

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
EXAMPLES_PER_OPERATION = 15


@pytest.fixture
def api_schema():
    # In process, through Django's own WSGI handler and the test's database transaction. As
    # Django's test client does, keep the handler from closing that connection after a request.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/v1/openapi.json", WSGIHandler())
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


def operations(api_schema):
    return [result.ok() for result in api_schema.get_all_operations()]


def fuzz(api_schema, headers: dict[str, str]) -> list[str]:
    """Run every operation in both modes; answer what was seen, per operation and status."""
    seen: list[str] = []
    for operation in operations(api_schema):
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            strategy = operation.as_strategy(generation_mode=mode)

            @settings(
                max_examples=EXAMPLES_PER_OPERATION,
                derandomize=True,
                database=None,
                deadline=None,
                suppress_health_check=list(HealthCheck),
            )
            @given(case=strategy)
            def check(case):
                response = case.call_and_validate(headers=headers, checks=CHECKS)
                seen.append(f"{case.operation.label} {response.status_code}")

            try:
                check()
            except Unsatisfiable:
                # Nothing to make invalid (no parameters, no body): only positive cases exist.
                assert mode == GenerationMode.NEGATIVE, operation.label
    return seen


def statuses(seen: list[str], operation: str) -> set[int]:
    return {int(s.rsplit(" ", 1)[1]) for s in seen if s.rsplit(" ", 1)[0] == operation}


def test_without_a_key_every_answer_keeps_to_the_document(api_schema):
    partner_world(with_transfers=False)

    seen = fuzz(api_schema, {})

    for operation in ("POST /api/v1/handovers/", "GET /api/v1/transfers/"):
        assert statuses(seen, operation) == {401}, operation


def test_with_a_helplines_key_every_answer_keeps_to_the_document(api_schema, settings):
    settings.API_PARTNER_WRITE_RATE = "10/minute"  # so that the fuzzer meets the limit too
    world = partner_world(with_transfers=False)
    key = key_for(world.helpline)

    seen = fuzz(api_schema, {"Authorization": f"Token {key}"})

    assert {201, 400, 429} <= statuses(seen, "POST /api/v1/handovers/")
    assert 403 in statuses(seen, "GET /api/v1/transfers/")  # a helpline has no transfers


def test_with_a_teams_key_every_answer_keeps_to_the_document(api_schema):
    world = partner_world()
    key = key_for(world.team)

    seen = fuzz(api_schema, {"Authorization": f"Token {key}"})

    assert 200 in statuses(seen, "GET /api/v1/transfers/")  # the transfer, in its documented form
    assert 403 in statuses(seen, "POST /api/v1/handovers/")
