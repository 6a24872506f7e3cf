"""Cached fragments, made stale by generation numbers that writes bump.

Two generations, both in Django's default cache (Redis in production, shared by every process; local
memory in the single-process default install), each bumped at once and again when the write commits:

- The **data generation** goes up on every write: `audit_log` / `audit_log_many` bump it. Fragments
  cached with `cached_fragment` carry it in their key, so any write makes them all stale at once. Use
  it for anything that shows data.
- The **access generation** goes up only on writes that can change who may see or do what: an org
  unit or a membership created, changed, moved, merged or deleted, a user account changed, or a
  campaign requirement (its deadline may lock reports) saved or deleted. Fragments cached with
  `cached_access_fragment` carry only this one, so the memberships read on every request
  (`orgs/access.py`) and a campaign's report deadlines (`reports/services/deadline.py`) survive the
  stream of report saves at a deadline. Use it only for values built from memberships, org units,
  users and requirements.

Who bumps the access generation, so that no write can forget it:
1. `audit_log` / `audit_log_many`, when an audited object is an OrgUnit, a Membership, a user or a
   Requirement (`is_access_object_type`). A service that audits with the unit, membership or user it changed
   needs nothing more; this covers its writes made with queryset `.update()` (treebeard's moves,
   a merge re-pointing memberships).
2. post_save / post_delete on OrgUnit and Membership and on Requirement and its units
   (`watch_access_writes`, called by the orgs and campaigns apps), for writes outside the services:
   the shell, tests, cascades of a deleted user, unit or campaign.
A write that changes units or memberships with `.update()` / raw SQL and audits some other object
must call `bump_access_generation()` itself.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils.translation import get_language

GENERATION_KEY = "sciweek:generation"
ACCESS_GENERATION_KEY = "sciweek:generation:access"
FRAGMENT_TTL = 600
T = TypeVar("T")


@functools.cache
def _access_object_types() -> frozenset[str]:
    return frozenset(
        {"orgs.orgunit", "orgs.membership", "campaigns.requirement", settings.AUTH_USER_MODEL.lower()}
    )


def is_access_object_type(object_type: str) -> bool:
    """Whether an audited write on this object type (``app_label.model``) bumps the access generation."""
    return object_type in _access_object_types()


def generation(key: str = GENERATION_KEY) -> int:
    value = cache.get(key)
    if value is None:
        # Start from the clock, not 1: if the number is evicted or Redis restarts, counting again
        # from 1 would reach keys of fragments cached before and serve them stale.
        start = time.time_ns() // 1000
        cache.add(key, start, timeout=None)
        value = cache.get(key) or start
    return int(value)


def _bump(key: str) -> None:
    try:
        cache.incr(key)
    except ValueError:  # not there (evicted): any new number makes every old fragment unreachable
        generation(key)


def _bump_now_and_at_commit(key: str) -> None:
    # Now (readers inside this transaction) and again at commit (a reader that cached the old
    # data between the two would otherwise keep it under the new number).
    _bump(key)
    transaction.on_commit(functools.partial(_bump, key))


def bump_generation() -> None:
    """Any write: every `cached_fragment` goes stale."""
    _bump_now_and_at_commit(GENERATION_KEY)


def bump_access_generation() -> None:
    """A write that can change who may see what: every `cached_access_fragment` goes stale."""
    _bump_now_and_at_commit(ACCESS_GENERATION_KEY)


def _cached(generation_key: str, name: str, parts: tuple[object, ...], build: Callable[[], T], ttl: int) -> T:
    number = str(generation(generation_key))
    key = ":".join(["sciweek:frag", name, get_language() or "", number, *map(str, parts)])
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, ttl)
    return value


def _access_written(sender: type, **kwargs: object) -> None:
    # Raw saves (loaddata) too: loaded rows change who may see what all the same.
    bump_access_generation()


def watch_access_writes(*models: type, relations: tuple[type, ...] = ()) -> None:
    """Bump the access generation on every save or delete of ``models`` and every change of the
    many-to-many ``relations`` (their through models), however it is made."""
    from django.db.models.signals import m2m_changed, post_delete, post_save

    for model in models:
        label = model._meta.label_lower  # type: ignore[attr-defined]
        post_save.connect(_access_written, sender=model, dispatch_uid=f"sciweek-access-save-{label}")
        post_delete.connect(_access_written, sender=model, dispatch_uid=f"sciweek-access-delete-{label}")
    for through in relations:
        label = through._meta.label_lower  # type: ignore[attr-defined]
        m2m_changed.connect(_access_written, sender=through, dispatch_uid=f"sciweek-access-m2m-{label}")


def cached_fragment(name: str, *parts: object, build: Callable[[], T], ttl: int = FRAGMENT_TTL) -> T:
    """`build()`'s result (rendered HTML, or any picklable value) until the next write anywhere."""
    return _cached(GENERATION_KEY, name, parts, build, ttl)


def cached_access_fragment(name: str, *parts: object, build: Callable[[], T], ttl: int = FRAGMENT_TTL) -> T:
    """`build()`'s result until the next write that can change who may see what (see above): only
    for values built from memberships, org units, users and requirements."""
    return _cached(ACCESS_GENERATION_KEY, f"access:{name}", parts, build, ttl)
