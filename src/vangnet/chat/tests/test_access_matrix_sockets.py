# ruff: noqa: E501  (the matrix is a table: one route per line, one column per principal)
"""The access matrix of the WebSockets: for every route and every kind of visitor, what happens.

The same idea as `accounts/tests/test_access_matrix.py`, for the sockets of
`vangnet/routing.py`: each row opens a socket on one route as each principal, sends `hello`
and records what came back — the transcript (`HIS`), an open socket that shows no transcript
(`OPEN`: the health probe, the queue page), or the close code of a refused handshake
(4401: no verified login; 4403: the policy says no; 4404: nothing there). A 4403 leaves
exactly one REFUSED entry in the access log; nothing else leaves one.
`test_every_websocket_route_is_in_the_matrix` fails when a route has no row.

Principals: anonymous, a visitor whose browser started a chat, someone who gave the password
but not the code, every role in the region of `{own_*}` (records of `{other_*}` are in
another region, so each staff role is also tried out of region), and three who were an
advice-desk employee of the region a moment ago: logged out (the old cookie kept),
deactivated, and idle past the session limit. The volunteer's `{own_handover}` is one they
requested; `{other_handover}` another volunteer's.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass

import pytest
from asgiref.sync import async_to_sync
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.test import Client

from vangnet.accounts import services as account_services
from vangnet.accounts.middleware import IDLE_KEY
from vangnet.accounts.models import Role, User
from vangnet.asgi import application
from vangnet.audit.models import AccessLogAction, AccessLogEntry
from vangnet.chat import handovers, services
from vangnet.chat.models import Conversation, Handover
from vangnet.regions.models import Region
from vangnet.routing import websocket_urlpatterns
from vangnet.testing.auth import login_verified
from vangnet.testing.factories import (
    DEFAULT_PASSWORD,
    confirmed_totp_device,
    helpline,
    make_user,
    national_desk,
)

from .helpers import region_with_postcode

pytestmark = pytest.mark.django_db(transaction=True)

HIS = "history"  # connected, and `hello` returned the transcript
OPEN = "open"  # connected, and no transcript came back

ANONYMOUS = "anonymous"
VISITOR = "visitor"  # a browser that started a chat
UNVERIFIED = "unverified"
LOGGED_OUT = "logged out"
DEACTIVATED = "deactivated"
IDLE = "idle"
PRINCIPALS = (
    ANONYMOUS,
    VISITOR,
    UNVERIFIED,
    Role.ADVICE_DESK,
    Role.TRIAGE,
    Role.BEHAVIOURAL_SCIENTIST,
    Role.INVESTIGATOR,
    Role.MONITORING,
    Role.TEAM_LEAD,
    Role.PRIVACY_OFFICER,
    Role.FUNCTIONAL_ADMIN,
    Role.HELPLINE_VOLUNTEER,
    Role.LOCAL_TEAM_MEMBER,
    Role.PROFESSIONAL,
    LOGGED_OUT,
    DEACTIVATED,
    IDLE,
)

# fmt: off
MATRIX: list[tuple[str, tuple[int | str, ...]]] = [
    # route                                   anon  visit unver advice triage gw    invest monit lead  privacy admin volunt local prof  out   deact idle
    ("ws/healthz/",                           (OPEN, OPEN, OPEN, OPEN,  OPEN,  OPEN, OPEN,  OPEN, OPEN, OPEN,   OPEN, OPEN,  OPEN, OPEN, OPEN, OPEN, OPEN)),
    ("ws/chat/",                              (4404, HIS,  4404, 4404,  4404,  4404, 4404,  4404, 4404, 4404,   4404, 4404,  4404, 4404, 4404, 4404, 4404)),
    ("ws/staff/chat/queue/",                  (4401, 4401, 4401, OPEN,  4403,  4403, 4403,  4403, OPEN, 4403,   4403, 4403,  4403, 4403, 4401, 4401, 4401)),
    ("ws/staff/chat/{own_chat}/",             (4401, 4401, 4401, HIS,   4403,  4403, 4403,  4403, HIS,  4403,   4403, 4403,  4403, 4403, 4401, 4401, 4401)),
    ("ws/staff/chat/{other_chat}/",           (4401, 4401, 4401, 4403,  4403,  4403, 4403,  4403, 4403, 4403,   4403, 4403,  4403, 4403, 4401, 4401, 4401)),
    ("ws/staff/chat/{missing}/",              (4401, 4401, 4401, 4404,  4403,  4403, 4403,  4403, 4404, 4403,   4403, 4403,  4403, 4403, 4401, 4401, 4401)),
    ("ws/partner/handovers/{own_handover}/",  (4401, 4401, 4401, 4403,  4403,  4403, 4403,  4403, 4403, 4403,   4403, HIS,   4403, 4403, 4401, 4401, 4401)),
    ("ws/partner/handovers/{other_handover}/", (4401, 4401, 4401, 4403, 4403,  4403, 4403,  4403, 4403, 4403,   4403, 4403,  4403, 4403, 4401, 4401, 4401)),
    ("ws/partner/handovers/{missing}/",       (4401, 4401, 4401, 4403,  4403,  4403, 4403,  4403, 4403, 4403,   4403, 4403,  4403, 4403, 4401, 4401, 4401)),
]
# fmt: on

HANDOVER_REQUEST = handovers.HandoverRequest(
    channel=Handover.Channel.CHAT,
    consent=True,
    summary_by=Handover.SummaryBy.VOLUNTEER,
    volunteer_stays=True,
    child_anonymous=True,
    summary="Meisje van 12, ruzie thuis.",
    nickname="Meisje",
    age=12,
)


@dataclass
class World:
    own_region: Region
    visitor: Client
    own_chat: Conversation
    other_chat: Conversation
    volunteer: User
    own_handover: Handover
    other_handover: Handover

    def names(self) -> dict[str, object]:
        return {
            "own_chat": self.own_chat.pk,
            "other_chat": self.other_chat.pk,
            "own_handover": self.own_handover.pk,
            "other_handover": self.other_handover.pk,
            "missing": 999999,
        }


def build_world() -> World:
    own = region_with_postcode("Utrecht", "3511")
    region_with_postcode("Twente", "7511")
    visitor = Client()
    response = visitor.post("/chat/", {"nickname": "Sam", "age": "14", "postcode": "3511"})
    assert response.status_code == 302
    own_chat = Conversation.objects.latest("pk")
    other_chat = services.start_chat(
        intake=services.Intake(nickname="Kim", age=15, gender="", postcode="7511")
    )

    def volunteer() -> User:
        return make_user(Role.HELPLINE_VOLUNTEER, region=national_desk(), organisation=helpline())

    own_volunteer, other_volunteer = volunteer(), volunteer()
    own_handover, _code = handovers.request_handover(
        organisation=helpline(), by=own_volunteer, request=HANDOVER_REQUEST
    )
    other_handover, _code = handovers.request_handover(
        organisation=helpline(), by=other_volunteer, request=HANDOVER_REQUEST
    )
    return World(own, visitor, own_chat, other_chat, own_volunteer, own_handover, other_handover)


def session_of(client: Client) -> str | None:
    cookie = client.cookies.get(settings.SESSION_COOKIE_NAME)
    return cookie.value if cookie is not None and cookie.value else None


def principal_session(principal: str, world: World) -> tuple[str | None, User | None]:
    """The session cookie a socket of `principal` brings, and who they are."""
    if principal == ANONYMOUS:
        return None, None
    if principal == VISITOR:
        return session_of(world.visitor), None
    client = Client()
    if principal == UNVERIFIED:
        user = make_user(Role.ADVICE_DESK, region=world.own_region)
        confirmed_totp_device(user)
        client.post("/accounts/login/", {"username": user.username, "password": DEFAULT_PASSWORD})
        return session_of(client), user
    if principal == Role.HELPLINE_VOLUNTEER:
        login_verified(client, world.volunteer)
        return session_of(client), world.volunteer
    if principal in (LOGGED_OUT, DEACTIVATED, IDLE):
        user = make_user(Role.ADVICE_DESK, region=world.own_region)
        login_verified(client, user)
        key = session_of(client)
        if principal == LOGGED_OUT:
            client.post("/accounts/logout/")  # the browser forgets the cookie; a socket may not
        elif principal == DEACTIVATED:
            admin = make_user(Role.FUNCTIONAL_ADMIN, region=world.own_region)
            account_services.deactivate_user(by=admin, user=user)
        else:
            session = SessionStore(session_key=key)
            session[IDLE_KEY] = int(time.time()) - settings.SESSION_IDLE_TIMEOUT_MINUTES * 60 - 5
            session.save()
        return key, user
    user = make_user(principal, region=world.own_region)
    login_verified(client, user)
    return session_of(client), user


async def outcome(path: str, session_key: str | None) -> int | str:
    headers = [(b"origin", b"http://testserver")]
    if session_key:
        headers.append((b"cookie", f"{settings.SESSION_COOKIE_NAME}={session_key}".encode()))
    communicator = WebsocketCommunicator(application, "/" + path, headers=headers)
    connected, code = await communicator.connect(timeout=5)
    if not connected:
        return code
    try:
        await communicator.send_to(text_data=json.dumps({"type": "hello", "after": 0}))
        for _ in range(5):
            output = await communicator.receive_output(timeout=3)
            if output["type"] != "websocket.send":
                return OPEN
            if json.loads(output["text"]).get("type") == "history":
                return HIS
            if await communicator.receive_nothing(timeout=0.2):
                return OPEN
        return OPEN
    finally:
        await communicator.disconnect()


@pytest.mark.parametrize(("route", "row"), MATRIX, ids=[route for route, _ in MATRIX])
def test_socket_access_matrix(route, row):
    world = build_world()
    path = route.format(**world.names())
    problems = []
    for principal, expected in zip(PRINCIPALS, row, strict=True):
        session_key, user = principal_session(principal, world)
        refusals_before = AccessLogEntry.objects.filter(action=AccessLogAction.REFUSED).count()
        got = async_to_sync(outcome)(path, session_key)
        refusals = list(
            AccessLogEntry.objects.filter(action=AccessLogAction.REFUSED).order_by("sequence")[
                refusals_before:
            ]
        )
        if got != expected:
            problems.append(f"{principal}: expected {expected}, got {got}")
        elif expected == 4403 and [r.user_id for r in refusals] != [getattr(user, "pk", None)]:
            problems.append(
                f"{principal}: a 4403 must write one REFUSED entry, found {len(refusals)}"
            )
        elif expected != 4403 and refusals:
            problems.append(f"{principal}: {got} but a REFUSED entry was written")
    assert not problems, "\n".join(problems)


# --- The matrix covers every WebSocket route ----------------------------------------------


def project_websocket_routes() -> set[str]:
    return {str(pattern.pattern) for pattern in websocket_urlpatterns}


def covered_websocket_routes() -> set[str]:
    covered = set()
    for route, _row in MATRIX:
        path = route.format(own_chat=1, other_chat=2, own_handover=1, other_handover=2, missing=3)
        matches = [p for p in websocket_urlpatterns if p.pattern.match(path)]
        assert len(matches) == 1, f"{route} matches {len(matches)} routes"
        covered.add(str(matches[0].pattern))
    return covered


def test_every_websocket_route_is_in_the_matrix():
    missing = project_websocket_routes() - covered_websocket_routes()
    assert not missing, (
        "These WebSocket routes have no row in the socket access matrix; add one with the "
        f"outcome for every principal: {sorted(missing)}"
    )


def test_the_socket_matrix_enumerates_the_routes_of_the_project():
    # Guards the guard: if the walk found nothing, the test above could never fail.
    routes = project_websocket_routes()
    assert {"ws/chat/", "ws/staff/chat/<int:conversation_id>/", "ws/healthz/"} <= routes
    assert covered_websocket_routes() <= routes


# --- What a queue page is pushed (ADR 0035) -----------------------------------------------


QUEUE_ROW = dict(MATRIX)["ws/staff/chat/queue/"]


async def pushed_rows(session_keys: list[str | None], start_chat) -> list[list[dict]]:
    """Open a queue page (`?view=rows`) per session, start a chat, and collect the rows each
    page was pushed."""
    pages = []
    for key in session_keys:
        headers = [(b"origin", b"http://testserver")]
        if key:
            headers.append((b"cookie", f"{settings.SESSION_COOKIE_NAME}={key}".encode()))
        page = WebsocketCommunicator(
            application, "/ws/staff/chat/queue/?view=rows", headers=headers
        )
        connected, _code = await page.connect(timeout=5)
        pages.append(page if connected else None)
    from channels.db import database_sync_to_async

    await database_sync_to_async(start_chat)()
    seen: list[list[dict]] = []
    for page in pages:
        rows = []
        if page is not None:
            while not await page.receive_nothing(timeout=0.5):
                frame = json.loads((await page.receive_output())["text"])
                if frame["type"] == "queue.row" and frame["row"] is not None:
                    rows.append(frame["row"])
            await page.disconnect()
        seen.append(rows)
    return seen


def test_a_pushed_queue_row_reaches_only_who_may_handle_the_chat_and_is_logged_for_them():
    world = build_world()
    twente = Region.objects.get(name="Twente")
    principals = [p for p, cell in zip(PRINCIPALS, QUEUE_ROW, strict=True) if cell == OPEN]
    assert Role.ADVICE_DESK in principals
    own = [principal_session(p, world) for p in principals]
    elsewhere: list[tuple[str | None, User | None]] = []
    for principal in principals:
        stranger = make_user(principal, region=twente)
        elsewhere.append((session_of(login_verified(Client(), stranger)), stranger))
    everyone = own + elsewhere

    def start_chat() -> None:
        services.start_chat(
            intake=services.Intake(nickname="Noor", age=13, gender="", postcode="3511")
        )

    seen = async_to_sync(pushed_rows)([key for key, _user in everyone], start_chat)
    chat = Conversation.objects.get(nickname="Noor")
    for (principal, (_key, user)), rows in zip(
        [*zip(principals, own, strict=True), *zip(principals, elsewhere, strict=True)],
        seen,
        strict=True,
    ):
        assert user is not None
        in_region = user in [u for _k, u in own]
        assert [r["id"] for r in rows] == ([chat.pk] if in_region else []), principal
        views = AccessLogEntry.objects.filter(
            user_id=user.pk, object_type="chat.conversation", object_id=str(chat.pk)
        )
        assert views.count() == (1 if in_region else 0), principal
