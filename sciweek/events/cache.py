"""The calendar's cache key, and rate limits on what the public may submit.

Nothing here depends on one process's memory being seen by another:

- the calendar's version is read from the database (the newest `updated_at` of the campaign's
  events, one index-only query), so every worker and machine agrees when a published event changed,
  whatever cache holds the rendered pages;
- rate-limit counters go to Redis when the default cache is Redis (atomic INCR), otherwise to a
  table of our own with an atomic upsert, so with the default local-memory cache several gunicorn
  workers still count one address together.
"""

from __future__ import annotations

import logging
import random
import time

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Max

log = logging.getLogger(__name__)


VERSION_TTL = 2  # seconds a process may answer from a version it read, before asking the database again


def version(campaign_id: int) -> str:
    """Changes whenever any event of the campaign is saved (published or taken off, edited, …).

    Read from the database and kept for two seconds; a save in this process (or anywhere, with Redis)
    forgets it at once (see `forget`)."""
    key = f"events:calver:{campaign_id}"
    value = cache.get(key)
    if value is None:
        from .models import Event

        newest = Event.objects.filter(campaign_id=campaign_id).aggregate(v=Max("updated_at"))["v"]
        value = newest.strftime("%Y%m%d%H%M%S%f") if newest else "0"
        cache.set(key, value, VERSION_TTL)
    return value


def campaign_key(campaign_id: int | None) -> str:
    return f"events:campaign:{campaign_id or 'current'}"


def forget(campaign_id: int) -> None:
    """After a write commits: the next calendar request reads the version (and campaign) afresh."""
    cache.delete_many([f"events:calver:{campaign_id}", campaign_key(campaign_id), campaign_key(None)])


def _forget_now_and_at_commit(campaign_id: int) -> None:
    # Now (a reader in between would cache the old state under the old version only until commit) and
    # again at commit (a reader between the two would otherwise keep the old data for VERSION_TTL).
    forget(campaign_id)
    transaction.on_commit(lambda: forget(campaign_id))


def on_event_saved(sender, instance, **kwargs) -> None:  # post_save / post_delete of Event
    _forget_now_and_at_commit(instance.campaign_id)


def on_campaign_saved(sender, instance, **kwargs) -> None:  # post_save of Campaign
    _forget_now_and_at_commit(instance.pk)


def _parse_rate(text: str, default: tuple[int, int]) -> tuple[int, int]:
    try:
        count, seconds = text.split("/", 1)
        return max(1, int(count)), max(1, int(seconds))
    except (AttributeError, ValueError):
        return default


def _shared_cache() -> bool:
    return "redis" in type(cache).__module__.lower()


def _count_in_cache(name: str, window: int) -> int:
    cache.add(name, 0, window + 5)
    try:
        return cache.incr(name)
    except ValueError:  # expired between add and incr
        cache.set(name, 1, window + 5)
        return 1


_UPSERT = (
    "INSERT INTO events_ratecounter (name, bucket, hits) VALUES (%s, %s, 1) "
    "ON CONFLICT (name, bucket) DO UPDATE SET hits = events_ratecounter.hits + 1 RETURNING hits"
)


def _count_in_db(name: str, bucket: int) -> int:
    with connection.cursor() as cursor:
        cursor.execute(_UPSERT, [name, bucket])
        hits = cursor.fetchone()[0]
        if random.random() < 0.01:  # now and then, forget old windows  # noqa: S311
            cursor.execute("DELETE FROM events_ratecounter WHERE bucket < %s", [bucket - 2])
    return int(hits)


def rate_limit_hit(*, scope: str, key: str, setting: str, default: tuple[int, int]) -> tuple[bool, int]:
    """Count one attempt for `key` in `scope`; return (over the limit?, window in seconds)."""
    limit, window = _parse_rate(getattr(settings, setting, ""), default)
    bucket = int(time.time() // window)
    name = f"{scope}:{key}"[:120]
    try:
        count = (
            _count_in_cache(f"events:rl:{name}:{bucket}", window)
            if _shared_cache()
            else _count_in_db(name, bucket)
        )
    except Exception:  # noqa: BLE001 — a broken counter must not stop the public from registering
        log.warning("rate-limit counter unavailable; not applied", exc_info=True)
        return False, window
    return count > limit, window
