"""/healthz and ws/healthz/: what a load balancer asks before it sends people to a process."""

from __future__ import annotations

from typing import Any
from unittest import mock

import pytest
from asgiref.sync import async_to_sync
from channels.testing import WebsocketCommunicator
from django.db import OperationalError

from vangnet.asgi import application

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
