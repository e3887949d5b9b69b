"""Suite-wide pytest setup: fast password hashing, and the PostgreSQL/Redis switch."""

from __future__ import annotations

import pytest
from django.conf import settings


@pytest.fixture(autouse=True)
def _fast_test_settings(settings):  # type: ignore[no-untyped-def]
    # Argon2 is what production uses (tested in accounts); here speed matters more.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # WhiteNoise would rescan the static folders for every test client; the live server of
    # the browser tests serves static files itself.
    settings.WHITENOISE_USE_FINDERS = False
    settings.WHITENOISE_AUTOREFRESH = False


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
