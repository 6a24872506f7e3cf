"""Working days in mainland China: weekends, public holidays and the 调休 Saturdays / Sundays that are
worked. Used for periods counted in working days (公示 for 5 working days, …).

Holidays come from the maintained ``chinesecalendar`` package (the State Council's yearly notice,
2004 onwards). For a year the package does not know yet, or a local change, an organizer's data file
(``SCIWEEK_WORKDAYS_FILE``, JSON: {"holidays": ["2027-01-01", …], "workdays": ["2027-02-07", …]})
takes precedence; without either, a year beyond the package's counts weekends only, and says so.
"""

from __future__ import annotations

import datetime as dt
import json
from functools import lru_cache
from pathlib import Path

import chinese_calendar
from django.conf import settings


@lru_cache(maxsize=4)
def _overrides(path: str, mtime: float) -> tuple[frozenset[dt.date], frozenset[dt.date]]:
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    parse = dt.date.fromisoformat
    return frozenset(map(parse, data.get("holidays", []))), frozenset(map(parse, data.get("workdays", [])))


def overrides() -> tuple[frozenset[dt.date], frozenset[dt.date]]:
    path = getattr(settings, "SCIWEEK_WORKDAYS_FILE", "")
    if not path or not Path(path).exists():
        return frozenset(), frozenset()
    return _overrides(str(path), Path(path).stat().st_mtime)


def known(day: dt.date) -> bool:
    """Whether the holidays of ``day``'s year are known (package or data file)."""
    holidays, workdays = overrides()
    if any(d.year == day.year for d in holidays | workdays):
        return True
    try:
        chinese_calendar.is_workday(day)
    except NotImplementedError:
        return False
    return True


def is_workday(day: dt.date) -> bool:
    holidays, workdays = overrides()
    if day in workdays:
        return True
    if day in holidays:
        return False
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:  # a year the package does not know: weekends only
        return day.weekday() < 5


def add_workdays(start: dt.date, days: int) -> dt.date:
    """The ``days``-th working day counting from ``start`` itself when it is one (a 公示 from Friday
    2023-04-28 for 5 working days ends on Saturday 2023-05-06, a 调休 working day)."""
    if days < 1:
        raise ValueError("days must be at least 1")
    day, left = start, days
    while True:
        if is_workday(day):
            left -= 1
            if left == 0:
                return day
        day += dt.timedelta(days=1)
