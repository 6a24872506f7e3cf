"""The calendar's cache key.

Nothing here depends on one process's memory being seen by another:

- the calendar's version is read from the database (the newest `updated_at` of the campaign's
  events, one index-only query), so every worker and machine agrees when a published event changed,
  whatever cache holds the rendered pages;
- rate limits on what the public submits are core/ratelimit.py's (Redis or a shared table).
"""

from __future__ import annotations

from django.core.cache import cache
from django.db import transaction
from django.db.models import Max

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
