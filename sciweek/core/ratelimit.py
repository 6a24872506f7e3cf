"""Rate limits on what the public may submit (registrations, ticket look-ups, codes by text, votes).

Counters go to Redis when the default cache is Redis (atomic INCR), otherwise to a table of our own
with an atomic upsert (``RateCounter``, UNLOGGED on PostgreSQL), so with the default local-memory
cache several gunicorn workers still count one address together.
"""

from __future__ import annotations

import logging
import random
import time

from django.conf import settings
from django.core.cache import caches
from django.db import connection

log = logging.getLogger(__name__)


def _parse_rate(text: str, default: tuple[int, int]) -> tuple[int, int]:
    try:
        count, seconds = text.split("/", 1)
        return max(1, int(count)), max(1, int(seconds))
    except (AttributeError, ValueError):
        return default


def _shared_cache() -> bool:
    # `cache` is a proxy whose own type says nothing of the backend behind it: ask the backend.
    return "redis" in type(caches["default"]).__module__.lower()


# One round trip: count, and start the window's expiry on its first hit. Django's add() + incr() took
# three commands, more CPU than the database's upsert on the busiest public endpoints.
_INCR_EXPIRE = (
    "local n = redis.call('INCR', KEYS[1]) if n == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end return n"
)


def _count_in_cache(name: str, window: int) -> int:
    backend = caches["default"]
    key = backend.make_and_validate_key(name)
    client = backend._cache.get_client(key, write=True)  # type: ignore[attr-defined]  # Django's RedisCache
    return int(client.eval(_INCR_EXPIRE, 1, key, window + 5))


_UPSERT = (
    "INSERT INTO core_ratecounter (name, bucket, hits) VALUES (%s, %s, 1) "
    "ON CONFLICT (name, bucket) DO UPDATE SET hits = core_ratecounter.hits + 1 RETURNING hits"
)


def _count_in_db(name: str, bucket: int) -> int:
    with connection.cursor() as cursor:
        cursor.execute(_UPSERT, [name, bucket])
        hits = cursor.fetchone()[0]
        if random.random() < 0.01:  # now and then, forget old windows  # noqa: S311
            cursor.execute("DELETE FROM core_ratecounter WHERE bucket < %s", [bucket - 2])
    return int(hits)


def rate_limit_hit(*, scope: str, key: str, setting: str, default: tuple[int, int]) -> tuple[bool, int]:
    """Count one attempt for `key` in `scope`; return (over the limit?, window in seconds)."""
    limit, window = _parse_rate(getattr(settings, setting, ""), default)
    bucket = int(time.time() // window)
    name = f"{scope}:{key}"[:120]
    try:
        count = (
            _count_in_cache(f"sciweek:rl:{name}:{bucket}", window)
            if _shared_cache()
            else _count_in_db(name, bucket)
        )
    except Exception:  # noqa: BLE001 — a broken counter must not stop the public
        log.warning("rate-limit counter unavailable; not applied", exc_info=True)
        return False, window
    return count > limit, window
