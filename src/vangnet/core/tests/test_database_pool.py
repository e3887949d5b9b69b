"""PostgreSQL connections are pooled per process (ADR 0030): more requests at once than the
pool holds wait their turn for a connection instead of failing with "too many clients", and
the process never holds more connections than the pool's maximum."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from vangnet.core import views

ON_POSTGRESQL = settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"

PROJECT_DIR = Path(__file__).resolve().parents[4]
only_on_postgresql = pytest.mark.skipif(
    not ON_POSTGRESQL, reason="the connection pool is PostgreSQL's"
)

POOL_SIZE = 2
REQUESTS = 12


@pytest.fixture
def small_pool() -> Iterator[None]:
    """The database pooled as in production (settings.py), with POOL_SIZE connections."""
    options = connection.settings_dict["OPTIONS"]
    saved = options.get("pool")
    connection.close()
    options["pool"] = {"min_size": 1, "max_size": POOL_SIZE, "timeout": 30}
    yield
    connection.close()
    connection.close_pool()  # type: ignore[attr-defined]  # PostgreSQL's wrapper has it (skipped elsewhere)
    if saved is None:
        del options["pool"]
    else:
        options["pool"] = saved


@only_on_postgresql
@pytest.mark.django_db(transaction=True)
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
    # Only the database is asked here: the channel layer's round trip is another test's.
    monkeypatch.setattr(views, "check_channel_layer", lambda: None)

    def get(_: int) -> int:
        with urllib.request.urlopen(f"{live_server.url}/healthz", timeout=60) as response:  # noqa: S310  (the test's own server)
            return response.status

    with ThreadPoolExecutor(max_workers=REQUESTS) as executor:
        statuses = list(executor.map(get, range(REQUESTS)))

    assert statuses == [200] * REQUESTS
    assert len(backends) <= POOL_SIZE
    assert most_busy <= POOL_SIZE


PRODUCTION_ENV = {
    "VANGNET_ENV": "production",
    "SECRET_KEY": "k3J9#mQ2$vL8@xP5&nR7*tW4!zY6^bC1(dF0)gH3-jK9+sA2=eU8",
    "ALLOWED_HOSTS": "vangnet.example.nl",
    "DATABASE_URL": "postgres://vangnet@db.example/vangnet",
    "AUDIT_LOG_KEY": "a-production-audit-log-key-for-this-test",
    "FIELD_ENCRYPTION_KEYS": "tKJ4Zq4lq1v6o0m3y8cQ2yqzNfS3s6Tg1lI0v5Xb9bA=",
    "FIELD_HASH_KEY": "a-production-field-hash-key-for-this-test",
    "PUBLIC_BASE_URL": "https://vangnet.example.nl",
}


def _settings_with(**env: str) -> subprocess.CompletedProcess[str]:
    """Import the settings module in a fresh interpreter with `env` (no database is opened)."""
    clean = {"PATH": "/usr/local/bin:/usr/bin:/bin", "PYTHONDONTWRITEBYTECODE": "1", **env}
    code = (
        "import json, vangnet.settings as s; d = s.DATABASES['default'];"
        "print(json.dumps({'pool': {k: v for k, v in d.get('OPTIONS', {}).get('pool', {}).items()"
        " if k != 'check'}, 'max_age': d['CONN_MAX_AGE']}))"
    )
    return subprocess.run(  # noqa: S603  (our own interpreter, fixed arguments)
        [sys.executable, "-c", code],
        env=clean,
        cwd=PROJECT_DIR / "src",
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def test_production_pools_postgresql_connections_sized_from_the_environment():
    default = _settings_with(**PRODUCTION_ENV)
    sized = _settings_with(**PRODUCTION_ENV, DATABASE_POOL_MIN_SIZE="1", DATABASE_POOL_MAX_SIZE="4")
    external = _settings_with(**PRODUCTION_ENV, DATABASE_POOL="false", DATABASE_CONN_MAX_AGE="60")

    assert json.loads(default.stdout) == {
        "pool": {"min_size": 2, "max_size": 10, "timeout": 30},
        "max_age": 0,
    }
    assert json.loads(sized.stdout)["pool"]["max_size"] == 4
    assert json.loads(external.stdout) == {"pool": {}, "max_age": 60}


def test_persistent_connections_next_to_the_pool_stop_the_start_with_a_clear_message():
    refused = _settings_with(**PRODUCTION_ENV, DATABASE_CONN_MAX_AGE="60")
    assert refused.returncode != 0
    assert "DATABASE_POOL=false" in refused.stderr
