"""/healthz and ws/healthz/: what a load balancer asks before it sends people to a process."""

from __future__ import annotations

import asyncio
from typing import Any
from unittest import mock

import pytest
from asgiref.sync import async_to_sync
from channels.testing import WebsocketCommunicator
from django.db import OperationalError

from vangnet.asgi import application
from vangnet.core import health

pytestmark = pytest.mark.django_db


class UnreachableDatabase:
    def cursor(self) -> Any:
        raise OperationalError("connection refused")


class UnreachableChannelLayer:
    async def new_channel(self, prefix: str = "") -> str:
        raise ConnectionError("channel layer unreachable")


def test_healthy_process_answers_ok_with_both_checks_without_login(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "checks": {"database": "ok", "channel_layer": "ok"},
    }
    assert "no-store" in response["Cache-Control"]


def test_unreachable_database_makes_the_process_unavailable(client):
    with mock.patch("vangnet.core.health.connection", UnreachableDatabase()):
        response = client.get("/healthz")

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["checks"] == {"database": "OperationalError", "channel_layer": "ok"}


def test_unreachable_channel_layer_makes_the_process_unavailable(client):
    with mock.patch(
        "vangnet.core.health.get_channel_layer", return_value=UnreachableChannelLayer()
    ):
        response = client.get("/healthz")

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["checks"] == {"database": "ok", "channel_layer": "ConnectionError"}


async def _ask_websocket_health(origin: bytes) -> tuple[bool, Any]:
    communicator = WebsocketCommunicator(application, "/ws/healthz/", headers=[(b"origin", origin)])
    connected, _ = await communicator.connect()
    answer = await communicator.receive_json_from() if connected else None
    await communicator.disconnect()
    return connected, answer


def test_websocket_health_answers_ok():
    connected, answer = async_to_sync(_ask_websocket_health)(b"http://localhost")

    assert connected
    assert answer == {"status": "ok"}


def test_websocket_from_another_site_is_refused():
    connected, answer = async_to_sync(_ask_websocket_health)(b"https://evil.example")

    assert not connected
    assert answer is None


class SilentChannelLayer:
    """Takes every message and hands none back (a layer that lost its subscription)."""

    async def new_channel(self, prefix: str = "") -> str:
        return f"{prefix}silent"

    async def send(self, channel: str, message: dict[str, Any]) -> None:
        return None

    async def receive(self, channel: str) -> dict[str, Any]:
        await asyncio.Event().wait()
        raise AssertionError("never")


def test_a_channel_layer_that_never_answers_makes_the_process_unavailable_not_stuck(client):
    with (
        mock.patch("vangnet.core.health.get_channel_layer", return_value=SilentChannelLayer()),
        mock.patch("vangnet.core.health.ROUND_TRIP_SECONDS", 0.2),
    ):
        response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["checks"]["channel_layer"] == "TimeoutError"


class CountingChannelLayer:
    """An echoing layer that counts the channels asked for."""

    def __init__(self) -> None:
        self.channels_made = 0
        self.pending: dict[str, list[dict[str, Any]]] = {}

    async def new_channel(self, prefix: str = "") -> str:
        self.channels_made += 1
        return f"{prefix}{self.channels_made}"

    async def send(self, channel: str, message: dict[str, Any]) -> None:
        self.pending.setdefault(channel, []).append(message)

    async def receive(self, channel: str) -> dict[str, Any]:
        return self.pending[channel].pop(0)


def test_a_running_process_probes_on_one_channel_however_often_it_is_asked():
    """On the Redis pub/sub layer a channel is a subscription kept until its receive is
    cancelled: a new one per probe would pile up in a process a load balancer asks all day."""
    layer = CountingChannelLayer()

    async def probed_often() -> None:
        for _ in range(5):
            await health._round_trip()

    with mock.patch("vangnet.core.health.get_channel_layer", return_value=layer):
        async_to_sync(probed_often)()

    assert layer.channels_made == 1
