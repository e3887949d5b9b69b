"""Who is on the other end of a staff WebSocket: the same rules as a staff page.

A socket counts as a staff member's only when the session is logged in, passed the second
factor, and has not been idle longer than the session limit — exactly what the HTTP
middleware demands of a page (accounts.middleware).
"""

from __future__ import annotations

import time
from typing import Any

from channels.auth import get_user
from channels.db import database_sync_to_async
from django.conf import settings
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.models import Device

from .middleware import IDLE_KEY
from .models import User


def _verified(user: Any, session: Any) -> User | None:
    if not isinstance(user, User) or not user.is_active:
        return None
    persistent_id = session.get(DEVICE_ID_SESSION_KEY)
    device = Device.from_persistent_id(persistent_id) if persistent_id else None
    if device is None or device.user_id != user.pk or not device.confirmed:
        return None
    last_seen = session.get(IDLE_KEY)
    if (
        last_seen is None
        or time.time() - int(last_seen) > settings.SESSION_IDLE_TIMEOUT_MINUTES * 60
    ):
        return None
    return user


async def verified_staff_user(scope: dict[str, Any]) -> User | None:
    """The verified user of a WebSocket's session, or None."""
    session = scope.get("session")
    if session is None:
        return None
    user = await get_user(scope)
    return await database_sync_to_async(_verified)(user, session)


def _touch(session: Any) -> None:
    session[IDLE_KEY] = int(time.time())
    session.save()


async def touch_session(scope: dict[str, Any]) -> None:
    """Activity on a socket counts as activity: typing a chat is not being idle."""
    session = scope.get("session")
    if session is not None:
        await database_sync_to_async(_touch)(session)
