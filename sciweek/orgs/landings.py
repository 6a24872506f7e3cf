"""Places where a person without a unit role has work: a contest judge, a school's entries, a 科技特派员.

The workbench's ``home`` sends bureau members and reporting units to their pages from memberships. Other
people get their work from domains orgs may not import (contests, innovation), so each domain registers a
landing here: ``@register_landing("contest-judge", order=10)`` on ``def f(user) -> Landing | list | None``,
answering (url, label) pairs for the places the user has work, or None. ``home`` sends a person with one
place straight there; the no-role page lists all of them (or says there are none). A provider that fails
is logged and left out: a broken domain must not stop anyone from logging in.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from typing import Any, NamedTuple

log = logging.getLogger(__name__)


class Landing(NamedTuple):
    url: str
    label: str


LandingProvider = Callable[[Any], "Landing | tuple[str, str] | Iterable[tuple[str, str]] | None"]
_PROVIDERS: dict[str, tuple[int, LandingProvider]] = {}


def register_landing(key: str, *, order: int = 50) -> Callable[[LandingProvider], LandingProvider]:
    def decorate(fn: LandingProvider) -> LandingProvider:
        _PROVIDERS[key] = (order, fn)
        return fn

    return decorate


def unregister_landing(key: str) -> None:
    _PROVIDERS.pop(key, None)


def _pairs(answer: Any) -> list[Landing]:
    if not answer:
        return []
    if isinstance(answer, tuple) and len(answer) == 2 and all(isinstance(x, str) for x in answer):
        return [Landing(*answer)]
    return [Landing(str(url), str(label)) for url, label in answer]


def landings_for(user: Any) -> list[Landing]:
    """Every place the user has work, in the providers' order, without repeats."""
    if not getattr(user, "is_authenticated", False):
        return []
    out: list[Landing] = []
    for key, (_order, fn) in sorted(_PROVIDERS.items(), key=lambda kv: (kv[1][0], kv[0])):
        try:
            found = _pairs(fn(user))
        except Exception:  # noqa: BLE001 — see the module docstring
            log.exception("landing provider %r failed", key)
            continue
        out.extend(x for x in found if x not in out)
    return out
