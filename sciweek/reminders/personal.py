"""Reminders to people who are not a unit's staff (a contest's judges, a selection's experts).

The engine's requirements are met by units; some duties fall on individual people instead. A domain
registers a personal tick here: ``@register_personal_tick("contest-judges")`` on ``def f(*, at) -> int``
(how many reminders it claimed). The minute's tick (sending.tick) runs every one after the units'
reminders. Each domain keeps its own once-only record (a unique key claimed before sending) and uses the
people's reminder preferences (models.Preference) and quiet hours (slots.quiet_shift) like the engine.
A tick that fails is logged and the others still run.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable

log = logging.getLogger("sciweek.reminders")

PersonalTick = Callable[..., int]
_TICKS: dict[str, PersonalTick] = {}


def register_personal_tick(name: str) -> Callable[[PersonalTick], PersonalTick]:
    def decorate(fn: PersonalTick) -> PersonalTick:
        _TICKS[name] = fn
        return fn

    return decorate


def run_personal_ticks(*, at: dt.datetime) -> int:
    claimed = 0
    for name, fn in sorted(_TICKS.items()):
        try:
            claimed += fn(at=at)
        except Exception:  # noqa: BLE001 — see the module docstring
            log.exception("personal reminder tick %r failed", name)
    return claimed
