"""The suite leaves other people's data alone: on a shared Redis it deletes only its own keys."""

from __future__ import annotations

import uuid

import pytest
from conftest import _clear_own_cache
from django.conf import settings
from django.core.cache import cache

pytestmark = pytest.mark.skipif(
    "redis" not in settings.CACHES["default"]["BACKEND"].lower(), reason="needs REDIS_URL"
)


def test_clearing_the_cache_between_tests_keeps_keys_that_are_not_ours():
    import redis

    other = redis.Redis.from_url(settings.CACHES["default"]["LOCATION"])
    foreign_key = f"not-vangnet-tests:{uuid.uuid4().hex}"
    other.set(foreign_key, "someone else's data", ex=60)
    cache.set("ours", "test data")
    try:
        _clear_own_cache()

        assert cache.get("ours") is None
        assert other.get(foreign_key) == b"someone else's data"
    finally:
        other.delete(foreign_key)
