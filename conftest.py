"""Suite-wide pytest setup: fast password hashing, and the PostgreSQL/Redis switch."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.db.backends.signals import connection_created
from django.utils import translation


def _allow_access_log_truncate(sender: Any, connection: Any, **kwargs: Any) -> None:
    # Django empties tables between transactional tests with TRUNCATE, which the access log's
    # PostgreSQL trigger refuses unless the session says so (audit migration 0002).
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET vangnet.allow_access_log_truncate = on")


connection_created.connect(_allow_access_log_truncate)


@pytest.fixture(scope="session")
def django_db_modify_db_settings(  # type: ignore[no-untyped-def]
    django_db_modify_db_settings_parallel_suffix, tmp_path_factory
):
    # SQLite: a test database in a file, not in memory. Browser and chat tests run the server
    # in threads beside the test; an in-memory database shared between threads fails at once
    # with "table is locked" where a file database waits its turn, as in production.
    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.sqlite3":
        database.setdefault("TEST", {})["NAME"] = str(
            tmp_path_factory.mktemp("database") / "test.sqlite3"
        )


@pytest.fixture(autouse=True)
def _fast_test_settings(settings):  # type: ignore[no-untyped-def]
    # Argon2 is what production uses (tested in accounts); here speed matters more.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # WhiteNoise would rescan the static folders for every test client; the live server of
    # the browser tests serves static files itself.
    settings.WHITENOISE_USE_FINDERS = False
    settings.WHITENOISE_AUTOREFRESH = False
    # Tests say themselves when they are about the chat's opening hours.
    settings.CHAT_OPENING_HOURS = "always"
    # A request in English leaves English active in the thread; each test starts in Dutch.
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _fresh_channel_layer():  # type: ignore[no-untyped-def]
    # Tests run their sockets on an event loop of their own; the Redis channel layer keeps
    # asyncio locks and connections per loop, so each test gets a layer of its own.
    from channels.layers import channel_layers

    channel_layers.backends = {}
    yield
    channel_layers.backends = {}


@pytest.fixture(autouse=True)
def _fresh_cache():  # type: ignore[no-untyped-def]
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


def pytest_report_header(config):  # type: ignore[no-untyped-def]
    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    layer = settings.CHANNEL_LAYERS["default"]["BACKEND"].rsplit(".", 1)[-1]
    return f"vangnet: database={engine} channel_layer={layer}"
