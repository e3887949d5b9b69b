"""Health checks used by /healthz: the database and the channel layer must both answer."""

from __future__ import annotations

import asyncio
import uuid
import weakref

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import connection


def check_database() -> str | None:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any failure means "not healthy"; the type is reported
        return type(exc).__name__
    return None


# One channel per event loop, kept: with the Redis pub/sub layer a channel is a subscription
# that lasts until a receive on it is cancelled, so a channel per probe would pile up in a
# long-running process (a load balancer asks every few seconds).
_channels: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, str] = weakref.WeakKeyDictionary()
# A layer that takes longer than this to hand a message back is not healthy.
ROUND_TRIP_SECONDS = 5.0


async def _round_trip() -> None:
    layer = get_channel_layer()
    if layer is None:
        raise RuntimeError("no channel layer configured")
    loop = asyncio.get_running_loop()
    channel = _channels.get(loop)
    if channel is None:
        channel = _channels[loop] = await layer.new_channel(prefix="healthz.")
    token = uuid.uuid4().hex
    await layer.send(channel, {"type": "health.ping", "token": token})
    try:
        async with asyncio.timeout(ROUND_TRIP_SECONDS):
            # An answer to an earlier probe that gave up may still come first: skip it.
            while (await layer.receive(channel)).get("token") != token:
                pass
    except BaseException:
        # A cancelled receive ends the channel's subscription: the next probe takes a new one.
        _channels.pop(loop, None)
        raise


def check_channel_layer() -> str | None:
    try:
        async_to_sync(_round_trip)()
    except Exception as exc:  # any failure means "not healthy"; the type is reported
        return type(exc).__name__
    return None
