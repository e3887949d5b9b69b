"""PostgreSQL connections are pooled per process (ADR 0030): more requests at once than the
pool holds wait their turn for a connection instead of failing with "too many clients", and
the process never holds more connections than the pool's maximum."""

from __future__ import annotations

import threading
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.conf import settings
from django.db import connection

from vangnet.core import views

ON_POSTGRESQL = settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"

pytestmark = [
    pytest.mark.skipif(not ON_POSTGRESQL, reason="the connection pool is PostgreSQL's"),
    pytest.mark.django_db(transaction=True),
]

POOL_SIZE = 2
REQUESTS = 12


def test_production_settings_pool_postgresql_connections():
    pool = settings.DATABASES["default"]["OPTIONS"]["pool"]
    assert pool["max_size"] >= pool["min_size"] >= 1
    assert settings.DATABASES["default"]["CONN_MAX_AGE"] == 0


@pytest.fixture
def small_pool() -> Iterator[None]:
    """The live server's pool shrunk to POOL_SIZE connections for this test."""
    options = connection.settings_dict["OPTIONS"]["pool"]
    saved = dict(options)
    connection.close_pool()  # type: ignore[attr-defined]  # PostgreSQL's wrapper has it (skipped elsewhere)
    options.update(min_size=1, max_size=POOL_SIZE, timeout=30)
    yield
    connection.close_pool()  # type: ignore[attr-defined]  # as above
    options.clear()
    options.update(saved)


def test_requests_beyond_the_pool_wait_for_a_connection_and_none_fails(
    live_server, small_pool, monkeypatch
):
    backends: set[int] = set()
    busy = 0
    most_busy = 0
    lock = threading.Lock()

    def slow_database_check() -> str | None:
        # A page that keeps its connection a while, so that requests overlap.
        nonlocal busy, most_busy
        with connection.cursor() as cursor:
            with lock:
                busy += 1
                most_busy = max(most_busy, busy)
            cursor.execute("SELECT pg_backend_pid(), pg_sleep(0.2)")
            backends.add(cursor.fetchone()[0])
            with lock:
                busy -= 1
        return None

    monkeypatch.setattr(views, "check_database", slow_database_check)

    def get(_: int) -> int:
        with urllib.request.urlopen(f"{live_server.url}/healthz", timeout=60) as response:  # noqa: S310  (the test's own server)
            return response.status

    with ThreadPoolExecutor(max_workers=REQUESTS) as executor:
        statuses = list(executor.map(get, range(REQUESTS)))

    assert statuses == [200] * REQUESTS
    assert len(backends) <= POOL_SIZE
    assert most_busy <= POOL_SIZE
