"""A request served over ASGI leaves no database connection open behind it."""

from __future__ import annotations

from typing import Any

import pytest
from asgiref.sync import async_to_sync
from asgiref.testing import ApplicationCommunicator
from django.core.asgi import get_asgi_application
from django.db import connection
from django.db.backends.signals import connection_created
from django.test import Client


async def _get(path: str) -> int:
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"testserver")],
        "client": ("127.0.0.1", 50000),
        "server": ("testserver", 80),
    }
    communicator = ApplicationCommunicator(get_asgi_application(), scope)
    await communicator.send_input({"type": "http.request", "body": b"", "more_body": False})
    start = await communicator.receive_output(timeout=10)
    await communicator.receive_output(timeout=10)  # the body
    await communicator.wait(timeout=10)  # the request has ended, its thread with it
    return int(start["status"])


@pytest.mark.django_db(transaction=True)
def test_every_connection_a_request_opened_is_closed_when_it_ends() -> None:
    opened: list[Any] = []

    def remember(sender: Any, connection: Any, **kwargs: Any) -> None:
        opened.append(connection)

    connection_created.connect(remember)
    try:
        statuses = [async_to_sync(_get)("/healthz") for _ in range(3)]
    finally:
        connection_created.disconnect(remember)
    assert statuses == [200, 200, 200]
    assert len(opened) == 3, "each request ran in a thread of its own, with its own connection"
    still_open = [wrapper for wrapper in opened if wrapper.connection is not None]
    assert still_open == []


@pytest.mark.django_db
def test_the_test_clients_requests_keep_the_tests_connection() -> None:
    """The test client serves a request in the test's own thread and transaction."""
    connection.ensure_connection()
    assert Client().get("/healthz").status_code == 200
    assert connection.connection is not None
    assert connection.in_atomic_block
