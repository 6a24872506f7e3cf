"""Rate-limit counters: in Redis when Redis is the cache (one atomic round trip), else in our table."""

from __future__ import annotations

import uuid

import pytest
from django.core.cache import caches
from django.db import connection

from sciweek.core import ratelimit

pytestmark = pytest.mark.django_db

REDIS = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:6379/12",
    }
}


def _table_rows() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM core_ratecounter")
        return cursor.fetchone()[0]


def test_with_redis_as_the_cache_the_counter_is_kept_in_redis(settings):
    settings.CACHES = REDIS
    caches["default"].clear()
    before = _table_rows()
    key = uuid.uuid4().hex
    hits = [
        ratelimit.rate_limit_hit(scope="t", key=key, setting="NO_SUCH_RATE", default=(3, 60))[0]
        for _ in range(5)
    ]
    assert hits == [False, False, False, True, True]
    assert _table_rows() == before  # nothing went to the database
    client = caches["default"]._cache.get_client(None, write=True)
    names = [k.decode() for k in client.keys(f"*rl:t:{key}:*")]
    assert len(names) == 1 and 0 < client.ttl(names[0]) <= 65  # the window expires on its own


def test_with_a_local_cache_the_counter_is_shared_through_the_database(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    key = uuid.uuid4().hex
    hits = [
        ratelimit.rate_limit_hit(scope="t", key=key, setting="NO_SUCH_RATE", default=(2, 60))[0]
        for _ in range(3)
    ]
    assert hits == [False, False, True]
    with connection.cursor() as cursor:
        cursor.execute("SELECT hits FROM core_ratecounter WHERE name = %s", [f"t:{key}"])
        assert cursor.fetchone()[0] == 3
