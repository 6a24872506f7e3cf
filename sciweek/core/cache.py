"""Rendered-fragment cache invalidated by any write.

Every write goes through `audit_log`, which bumps one generation number after its transaction
commits; cached fragments carry the generation in their key, so a write makes them all stale at
once. The number lives in Django's default cache: Redis in production (shared by every process),
local memory in the single-process default install.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache
from django.db import transaction
from django.utils.translation import get_language

GENERATION_KEY = "sciweek:generation"
FRAGMENT_TTL = 600
T = TypeVar("T")


def generation() -> int:
    value = cache.get(GENERATION_KEY)
    if value is None:
        cache.add(GENERATION_KEY, 1, timeout=None)
        value = cache.get(GENERATION_KEY) or 1
    return int(value)


def _bump() -> None:
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.set(GENERATION_KEY, 2, timeout=None)


def bump_generation() -> None:
    # Now (readers inside this transaction) and again at commit (a reader that cached the old
    # data between the two would otherwise keep it under the new number).
    _bump()
    transaction.on_commit(_bump)


def cached_fragment(name: str, *parts: object, build: Callable[[], T], ttl: int = FRAGMENT_TTL) -> T:
    """`build()`'s result (rendered HTML, or any picklable value) until the next write anywhere."""
    key = ":".join(["sciweek:frag", name, get_language() or "", str(generation()), *map(str, parts)])
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, ttl)
    return value
