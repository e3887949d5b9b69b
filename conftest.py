"""Suite-wide pytest setup: fast password hashing, and the PostgreSQL/Redis switch."""

from __future__ import annotations

import copy
import uuid
from typing import Any

import pytest
from django.conf import settings
from django.db.backends.signals import connection_created
from django.utils import translation
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings


def _allow_access_log_truncate(sender: Any, connection: Any, **kwargs: Any) -> None:
    # Django empties tables between transactional tests with TRUNCATE, which the access log's
    # PostgreSQL trigger refuses unless the session says so (audit migration 0002).
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET vangnet.allow_access_log_truncate = on")


connection_created.connect(_allow_access_log_truncate)

# Property tests check rules, not speed: on a busy machine (2 cores, CI) Hypothesis' health
# check for slow input generation fails tests that are correct.
hypothesis_settings.register_profile(
    "vangnet", suppress_health_check=[HealthCheck.too_slow], deadline=None
)
hypothesis_settings.load_profile("vangnet")


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


@pytest.fixture(scope="session", autouse=True)
def _own_cache_keys():  # type: ignore[no-untyped-def]
    # A Redis given to the suite may hold other data (another run, a development server):
    # this run writes its cache keys under a prefix of its own and deletes only those.
    from django.test.utils import override_settings

    caches = copy.deepcopy(settings.CACHES)
    default = caches["default"]
    if "redis" not in default["BACKEND"].lower():
        yield
        return
    default["KEY_PREFIX"] = f"{default.get('KEY_PREFIX', '')}_test_{uuid.uuid4().hex[:12]}"
    with override_settings(CACHES=caches):
        yield


@pytest.fixture(scope="session", autouse=True)
def _own_channel_layer_prefix():  # type: ignore[no-untyped-def]
    # The same for the Redis channel layer: groups are named by record ids, and two pytest
    # workers each have a database of their own, so their conversation 1 is not the same
    # conversation. Each worker (each pytest session) gets a prefix of its own, and the
    # workers can run side by side against one Redis.
    from django.test.utils import override_settings

    layers = copy.deepcopy(settings.CHANNEL_LAYERS)
    default = layers["default"]
    if "redis" not in default["BACKEND"].lower():
        yield
        return
    config = default.setdefault("CONFIG", {})
    config["prefix"] = f"{config.get('prefix', 'asgi')}_test_{uuid.uuid4().hex[:12]}"
    with override_settings(CHANNEL_LAYERS=layers):
        yield


def _clear_own_cache() -> None:
    from django.core.cache import caches
    from django.core.cache.backends.redis import RedisCache

    cache = caches["default"]
    if not isinstance(cache, RedisCache):
        cache.clear()  # a local-memory cache belongs to this process alone
        return
    # Never FLUSHDB: delete the keys under this run's prefix, and nothing else.
    client = cache._cache.get_client(write=True)
    keys = list(client.scan_iter(match=cache.make_key("*"), count=1000))
    if keys:
        client.delete(*keys)


@pytest.fixture(autouse=True)
def _fresh_cache(_own_cache_keys):  # type: ignore[no-untyped-def]
    _clear_own_cache()
    yield
    _clear_own_cache()


def pytest_report_header(config):  # type: ignore[no-untyped-def]
    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    layer = settings.CHANNEL_LAYERS["default"]["BACKEND"].rsplit(".", 1)[-1]
    return f"vangnet: database={engine} channel_layer={layer}"
