"""Who is on the other end of a staff WebSocket — asked again for as long as it is open.

A socket counts as a staff member's only while the session is logged in, passed the second
factor, carries the user's current security stamp and has not been idle longer than the
session limit: exactly what the HTTP middleware demands of a page (accounts.middleware).

The session is read from the session store every time it is asked, never from the copy the
socket got at its handshake: a logout, "log out everywhere", a deactivation or the idle
timeout elsewhere must reach a socket that is already open (ADR 0022).

Services that change who may see what call `recheck_sockets(user_id=...)`; once their
transaction has committed, every open socket of that user checks its session and its
rights again and closes when they are gone.

Asked on every message, the full check cost five to eight statements (ADR 0036). So the full
check (`verify`) also keeps what it found — the session as stored, the user's password, stamp
and active flag, the device, the memberships the policy read — and `still_current` confirms
with one statement that none of it changed and the session is neither expired nor idle.
Whatever differs sends the socket back to the full check, which decides as before.
"""

from __future__ import annotations

import contextlib
import logging
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import import_module
from types import SimpleNamespace
from typing import Any

from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async
from channels.layers import get_channel_layer
from django.conf import settings
from django.contrib.auth import get_user
from django.contrib.sessions.backends.base import SessionBase, UpdateError
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.contrib.sessions.models import Session
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models import Exists, Model, OuterRef, Subquery
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.models import Device

from .middleware import IDLE_KEY
from .models import User
from .policy import policy_inputs

logger = logging.getLogger(__name__)

# The message a socket gets when it must check its session and rights again.
ACCESS_CHANGED = "access.changed"


def user_group(user_id: int) -> str:
    """The channel-layer group of every open socket of one user."""
    return f"accounts.u.{user_id}"


def _send_access_changed(user_id: int) -> None:
    layer = get_channel_layer()
    if layer is None:
        return
    try:
        async_to_sync(layer.group_send)(user_group(user_id), {"type": ACCESS_CHANGED})
    except Exception:  # Redis briefly away: every socket re-checks on its next frame and tick
        logger.warning("Could not tell the open sockets of a user to re-check their access")


def recheck_sockets(*, user_id: int) -> None:
    """After the current transaction commits, make every open socket of the user re-check."""
    transaction.on_commit(lambda: _send_access_changed(user_id))


def session_of(scope: dict[str, Any]) -> SessionBase | None:
    """The socket's session as the store holds it now (None: it has no session cookie)."""
    key = scope.get("cookies", {}).get(settings.SESSION_COOKIE_NAME)
    if not key:
        return None
    engine = import_module(settings.SESSION_ENGINE)
    return engine.SessionStore(session_key=key)


def _idle_too_long(session: SessionBase) -> bool:
    last_seen = session.get(IDLE_KEY)
    limit = settings.SESSION_IDLE_TIMEOUT_MINUTES * 60
    return last_seen is None or time.time() - int(last_seen) > limit


def verified_user(scope: dict[str, Any]) -> User | None:
    """The verified, active, not idle user of the socket's session now, or None.

    A logged-out, expired or flushed session holds no user; a session signed with an old
    security stamp or password is refused by Django's own check (and flushed).
    """
    verified = verify(scope)
    return verified.user if verified is not None else None


def _person(
    is_active: Any, password: str, stamp: Any, organisation_id: int | None
) -> tuple[Any, ...]:
    """What of the user row decides whether the session still holds them (Django's session
    hash is made of the password and the security stamp) and what the policy reads — alike
    from a `User` and from the quick check's raw row (a flag 0/1 and the stamp as 32 hex
    digits on SQLite)."""
    return (bool(is_active), password, uuid.UUID(str(stamp)), organisation_id)


def _without_idle_mark(data: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in data.items() if key != IDLE_KEY}


@dataclass
class Verified:
    """What the last full check of a socket found, to be confirmed by `still_current`.

    `memberships` is filled in by the socket once its own check has asked the policy
    (`remember_policy_inputs`): the memberships that decision read."""

    user: User
    session_key: str
    session: dict[str, Any]  # the session as stored, without its idle mark
    last_seen: int  # the idle mark, time.time() seconds
    device: tuple[type[Model], int]
    person: tuple[Any, ...]
    memberships: frozenset[tuple[int, str]] | None = None
    raw: str = ""  # the stored session text last confirmed (decoding it again is skipped)
    statement: _Statement | None = None  # the quick check, compiled at its first use

    def remember_policy_inputs(self) -> None:
        self.memberships = policy_inputs(self.user)

    def idle(self) -> bool:
        limit = settings.SESSION_IDLE_TIMEOUT_MINUTES * 60
        return time.time() - self.last_seen > limit


def verify(scope: dict[str, Any]) -> Verified | None:
    """The full check of `verified_user`, and what it found (None: refused)."""
    session = session_of(scope)
    if session is None:
        return None
    user = get_user(SimpleNamespace(session=session))  # type: ignore[arg-type]  # only .session is read
    if not isinstance(user, User) or not user.is_active:
        return None
    persistent_id = session.get(DEVICE_ID_SESSION_KEY)
    device = Device.from_persistent_id(persistent_id) if persistent_id else None
    if device is None or device.user_id != user.pk or not device.confirmed:
        return None
    if _idle_too_long(session):
        return None
    assert session.session_key is not None
    return Verified(
        user=user,
        session_key=session.session_key,
        session=_without_idle_mark(dict(session.items())),
        last_seen=int(session[IDLE_KEY]),
        device=(type(device), device.pk),
        person=_person(user.is_active, user.password, user.security_stamp, user.organisation_id),
    )


def _confirmable() -> bool:
    """`still_current` reads the session row itself: only for sessions kept in the database."""
    engine = import_module(settings.SESSION_ENGINE)
    return issubclass(engine.SessionStore, DatabaseSessionStore)


# The columns of the quick check, in the order its statement reads them.
_PERSON = ("is_active", "password", "security_stamp", "organisation_id")
_COLUMNS = (
    *_PERSON,
    "memberships__region_id",
    "memberships__role",
    "_session",
    "_expires",
    "_device",
)


@dataclass
class _Statement:
    """The quick check of one socket, compiled once: what it asks never changes between two
    full checks (the user, the session key, the device, the socket's own record), so only
    the SQL is sent again. Building it through the ORM on every message (annotations,
    subqueries, compiling) cost more than running it (ADR 0036, 0037). Only the text is
    kept: the compiled query is some 300 objects, and a thousand sockets' worth made every
    full garbage collection of the process longer (ADR 0037)."""

    connection: Any  # the database wrapper of the thread it was compiled on
    sql: str
    params: tuple[Any, ...]


def _compile(verified: Verified, record: dict[str, Any]) -> _Statement:
    device_model, device_pk = verified.device
    stored = Session.objects.filter(session_key=verified.session_key)
    names = tuple(f"_record_{name}" for name in record)
    query = (
        User.objects.filter(pk=verified.user.pk)
        .annotate(
            _session=Subquery(stored.values("session_data")[:1]),
            _expires=Subquery(stored.values("expire_date")[:1]),
            _device=Exists(
                device_model._default_manager.filter(
                    pk=device_pk, user_id=OuterRef("pk"), confirmed=True
                )
            ),
            **dict(zip(names, record.values(), strict=True)),
        )
        .order_by()
        .values_list(*_COLUMNS, *names)
    )
    # The raw row is read by position: the fields first, then the annotations as added.
    selected = (*query.query.values_select, *query.query.annotation_select)
    assert selected == (*_COLUMNS, *names), selected
    sql, params = query.query.get_compiler(using=query.db).as_sql()
    return _Statement(connections[query.db], sql, tuple(params))


def _run(statement: _Statement) -> list[tuple[Any, ...]]:
    """The rows as the database driver gives them (on SQLite a flag is 0 or 1, a UUID 32 hex
    digits and a moment text): `still_current` reads each value only as far as it needs."""
    with statement.connection.cursor() as cursor:
        cursor.execute(statement.sql, statement.params)
        return cursor.fetchall()


def _moment(value: Any) -> datetime:
    """A stored moment as an aware datetime (SQLite gives text in UTC, PostgreSQL a datetime)."""
    moment = parse_datetime(value) if isinstance(value, str) else value
    assert isinstance(moment, datetime)
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def still_current(
    verified: Verified, record: Callable[[], dict[str, Any]]
) -> tuple[Any, ...] | None:
    """One statement: is everything the last full check found unchanged — the session
    stored and not expired (its idle mark aside), the user's password, security stamp and
    active flag, the second-factor device, the memberships — and the session not idle?

    `record` gives expressions of the socket's own record (such as the conversation's
    region), read in the same statement; asked once per full check, when the statement is
    compiled. Returns their values as the driver reads them (on SQLite a flag is 0 or 1,
    which compares equal to False or True) when all is unchanged; None when anything
    differs, which sends the socket back to the full check (`verify` and its own `admit`)."""
    if verified.memberships is None or not _confirmable():
        return None
    if verified.idle():
        return None
    statement = verified.statement
    if statement is None or statement.connection is not connections[DEFAULT_DB_ALIAS]:
        statement = verified.statement = _compile(verified, record())
    rows = _run(statement)
    if not rows:
        return None
    first = rows[0]
    if _person(*first[: len(_PERSON)]) != verified.person:
        return None
    memberships = frozenset((row[4], row[5]) for row in rows if row[4] is not None)
    if memberships != verified.memberships:
        return None
    raw, expires, device_ok = first[6], first[7], first[8]
    if raw is None or expires is None or _moment(expires) <= timezone.now() or not device_ok:
        return None
    if raw != verified.raw:
        # The session was written meanwhile — usually only its idle mark, by a page or by
        # `touch`: read it here; anything else in it that changed means the full check.
        data = DatabaseSessionStore().decode(raw)
        if _without_idle_mark(data) != verified.session or IDLE_KEY not in data:
            return None
        verified.last_seen = int(data[IDLE_KEY])
        verified.raw = raw
        if verified.idle():
            return None
    return tuple(first[9:])


def touch(scope: dict[str, Any]) -> None:
    """Mark the socket's session as active now (on the database thread)."""
    # Only the idle mark of the session as it is now: writing back the handshake's copy
    # would bring back keys that pages have since changed.
    session = session_of(scope)
    if session is not None and session.get(IDLE_KEY) is not None:
        session[IDLE_KEY] = int(time.time())
        # Logged out in the meantime: nothing to keep alive; the next check closes the socket.
        with contextlib.suppress(UpdateError):
            session.save()


async def touch_session(scope: dict[str, Any]) -> None:
    """Activity on a socket counts as activity: typing a chat is not being idle."""
    await database_sync_to_async(touch)(scope)
