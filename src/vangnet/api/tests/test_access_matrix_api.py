# ruff: noqa: E501  (the matrix is a table: one request per line, one column per principal)
"""The API's access matrix: every URL of /api/v1/ x every kind of caller, and what happens.

The project's matrix (accounts/tests/test_access_matrix.py) asks the API as a browser does; a
partner system asks with a key. Here each row is asked by: no key, a revoked key, a staff
member's verified session (the API does not accept sessions), a key of an organisation of the
wrong kind (a school), a key of another organisation of the right kind, and a key of the
organisation that owns the record. For the handover rows "own"/"other" are helplines, for the
transfer rows local teams.

`{own_*}` is the owning organisation's record, `{missing}` an id that does not exist. A 403
must leave exactly one REFUSED entry in the access log; so must a 404 that hides another
organisation's record (`HIDDEN`), which the caller cannot tell from a missing id (ADR 21).
Nothing else may leave one. `test_every_api_url_is_in_the_matrix` walks the URL resolver
under /api/ and fails when a pattern has no row here.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.utils import timezone
from rest_framework.test import APIClient

from vangnet.accounts.models import PartnerApiToken, Role
from vangnet.api.auth import PartnerTokenAuthentication
from vangnet.api.throttling import PartnerKeyRateThrottle, PartnerKeyWriteRateThrottle
from vangnet.audit.models import AccessLogAction, AccessLogEntry
from vangnet.regions.models import PartnerOrganisation
from vangnet.testing.auth import login_verified
from vangnet.testing.factories import make_user

from .helpers import HANDOVER_BODY, PartnerWorld, client_with, key_for, partner_world

HIDDEN = "404, refusal logged"  # another's record, answered as if it did not exist

NO_KEY = "no key"
REVOKED = "revoked key"
STAFF = "staff session"
WRONG_KIND = "school's key"
OTHER = "other organisation's key"
OWN = "owning organisation's key"
PRINCIPALS = (NO_KEY, REVOKED, STAFF, WRONG_KIND, OTHER, OWN)

# fmt: off
MATRIX: list[tuple[str, tuple[int | str, ...]]] = [
    # request                                                      nokey revoked staff school other own
    ("GET /api/v1/openapi.json",                                  (200,  200,    200,  200,   200,  200)),
    ("POST /api/v1/openapi.json",                                 (405,  405,    405,  405,   405,  405)),
    # --- public facts: no key needed, a key is not looked at --------------------------------------
    ("GET /api/v1/regions/",                                      (200,  200,    200,  200,   200,  200)),
    ("POST /api/v1/regions/",                                     (405,  405,    405,  405,   405,  405)),
    ("GET /api/v1/regions/route?postcode=3511",                   (200,  200,    200,  200,   200,  200)),
    ("GET /api/v1/regions/route?postcode=0000",                   (400,  400,    400,  400,   400,  400)),
    ("GET /api/v1/regions/{own_region_code}/municipalities",      (200,  200,    200,  200,   200,  200)),
    ("GET /api/v1/regions/VT99/municipalities",                   (404,  404,    404,  404,   404,  404)),
    # --- warm handovers: a helpline's system ------------------------------------------------------
    ("POST /api/v1/handovers/",                                   (401,  401,    401,  403,   201,  201)),
    ("GET /api/v1/handovers/",                                    (401,  401,    401,  403,   405,  405)),
    ("GET /api/v1/handovers/{own_handover}",                      (401,  401,    401,  403,   HIDDEN, 200)),
    ("GET /api/v1/handovers/{missing}",                           (401,  401,    401,  403,   404,  404)),
    ("POST /api/v1/handovers/{own_handover}",                     (401,  401,    401,  403,   405,  405)),
    # --- transfers: a local team's or SAVE team's system ------------------------------------------
    ("GET /api/v1/transfers/",                                    (401,  401,    401,  403,   200,  200)),
    ("POST /api/v1/transfers/",                                   (401,  401,    401,  403,   405,  405)),
    ("POST /api/v1/transfers/{own_transfer}/accept",              (401,  401,    401,  403,   HIDDEN, 200)),
    ("POST /api/v1/transfers/{missing}/accept",                   (401,  401,    401,  403,   404,  404)),
    ("GET /api/v1/transfers/{own_transfer}/accept",               (401,  401,    401,  403,   405,  405)),
]
# fmt: on

MISSING_ID = 987654321
BODIES = {"POST /api/v1/handovers/": HANDOVER_BODY}


@dataclass
class Callers:
    own: PartnerOrganisation
    other: PartnerOrganisation
    school: PartnerOrganisation


def callers(world: PartnerWorld, request_line: str) -> Callers:
    if "/transfers/" in request_line:
        return Callers(own=world.team, other=world.other_team, school=world.school)
    return Callers(own=world.helpline, other=world.other_helpline, school=world.school)


def caller(principal: str, world: PartnerWorld, who: Callers) -> tuple[APIClient, str | None]:
    """A fresh client of this kind of caller, and the name the access log knows it by."""
    if principal == NO_KEY:
        return client_with(None), None
    if principal == REVOKED:
        key = key_for(who.own, name="oud")
        PartnerApiToken.objects.filter(name="oud").update(revoked_at=timezone.now())
        return client_with(key), None
    if principal == STAFF:
        user = make_user(Role.TEAM_LEAD, region=world.region)
        return login_verified(APIClient(), user), user.get_username()  # type: ignore[return-value]  # an APIClient is a Client
    organisation = {WRONG_KIND: who.school, OTHER: who.other, OWN: who.own}[principal]
    return client_with(key_for(organisation)), f"api:{organisation.name}"


def outcome(response) -> int | str:
    return response.status_code


def names(world: PartnerWorld) -> dict[str, object]:
    return {
        "own_region_code": world.region.code,
        "own_handover": world.own_handover.pk,
        "own_transfer": world.transfer.pk if world.transfer is not None else MISSING_ID,
        "missing": MISSING_ID,
    }


@pytest.mark.django_db
@pytest.mark.parametrize(("request_line", "row"), MATRIX, ids=[line for line, _ in MATRIX])
def test_api_access_matrix(request_line, row):
    world = partner_world(with_transfers="/transfers/" in request_line)
    who = callers(world, request_line)
    method, path = request_line.split(" ", 1)
    url = path.format(**names(world))
    problems = []
    for principal, expected in zip(PRINCIPALS, row, strict=True):
        client, logged_as = caller(principal, world, who)
        before = AccessLogEntry.objects.filter(action=AccessLogAction.REFUSED).count()
        body = BODIES.get(request_line)
        response = (
            client.generic(method, url) if body is None else client.post(url, body, format="json")
        )
        refusals = list(
            AccessLogEntry.objects.filter(action=AccessLogAction.REFUSED).order_by("sequence")[
                before:
            ]
        )
        got = outcome(response)
        status = 404 if expected == HIDDEN else expected
        if got != status:
            problems.append(f"{principal}: expected {expected}, got {got}")
        elif not response["Content-Type"].split(";")[0].endswith("json"):
            problems.append(f"{principal}: {got} answered as {response['Content-Type']}, not JSON")
        elif got >= 400 and set(response.json()) != {"error", "detail", "fields"}:  # type: ignore[operator]  # a JSON object here
            problems.append(f"{principal}: {got} without the API's error shape")
        elif expected in (403, HIDDEN) and [r.username for r in refusals] != [logged_as]:
            problems.append(
                f"{principal}: {expected} must write one REFUSED entry, found {len(refusals)}"
            )
        elif expected not in (403, HIDDEN) and refusals:
            problems.append(f"{principal}: {got} but a REFUSED entry was written")
    assert not problems, "\n".join(problems)


# --- The matrix covers every API URL, and the rules hold for every endpoint ----------------


def api_url_patterns(patterns=None, prefix: str = "") -> dict[str, URLPattern]:
    """Every URL pattern under /api/, as its full route."""
    found: dict[str, URLPattern] = {}
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            found |= api_url_patterns(entry.url_patterns, route)
        elif isinstance(entry, URLPattern) and route.startswith("api/"):
            found[route] = entry
    return found


def covered_api_routes() -> set[str]:
    filler = {"own_region_code": "VT01", "own_handover": 1, "own_transfer": 1, "missing": 1}
    return {
        resolve(line.split(" ", 1)[1].format(**filler).split("?", 1)[0]).route for line, _ in MATRIX
    }


def test_every_api_url_is_in_the_matrix():
    missing = set(api_url_patterns()) - covered_api_routes()
    assert not missing, (
        "These API URL patterns have no row in the API access matrix; add one per method with "
        f"the outcome for every caller: {sorted(missing)}"
    )


def test_the_guard_finds_the_api_patterns():
    # Guards the guard: if the walk found nothing, the test above could never fail.
    routes = set(api_url_patterns())
    assert {"api/v1/handovers/", "api/v1/transfers/<id:report_id>/accept"} <= routes
    assert covered_api_routes() <= routes


def test_every_endpoint_that_takes_a_key_is_throttled_per_key():
    for route, pattern in api_url_patterns().items():
        view = getattr(pattern.callback, "cls", None)
        if view is None or PartnerTokenAuthentication not in view.authentication_classes:
            continue
        throttles = set(view.throttle_classes)
        assert {PartnerKeyRateThrottle, PartnerKeyWriteRateThrottle} <= throttles, route
