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
"""

from __future__ import annotations

import contextlib
import logging
import time
from importlib import import_module
from types import SimpleNamespace
from typing import Any

from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async
from channels.layers import get_channel_layer
from django.conf import settings
from django.contrib.auth import get_user
from django.contrib.sessions.backends.base import SessionBase, UpdateError
from django.db import transaction
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.models import Device

from .middleware import IDLE_KEY
from .models import User

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


def _session(scope: dict[str, Any]) -> SessionBase | None:
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
    session = _session(scope)
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
    return user


def touch(scope: dict[str, Any]) -> None:
    """Mark the socket's session as active now (on the database thread)."""
    # Only the idle mark of the session as it is now: writing back the handshake's copy
    # would bring back keys that pages have since changed.
    session = _session(scope)
    if session is not None and session.get(IDLE_KEY) is not None:
        session[IDLE_KEY] = int(time.time())
        # Logged out in the meantime: nothing to keep alive; the next check closes the socket.
        with contextlib.suppress(UpdateError):
            session.save()


async def touch_session(scope: dict[str, Any]) -> None:
    """Activity on a socket counts as activity: typing a chat is not being idle."""
    await database_sync_to_async(touch)(scope)
