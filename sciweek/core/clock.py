"""The one clock every time-dependent rule reads: deadlines, late flags, registration windows,
check-in, campaign status, reminders.

Outside demo mode it is the real time, always. In demo mode the platform may run on a demo clock
(issue: the first hour), so the whole system moves together; audit entries, job timestamps,
sessions and tokens keep the real time (they record what happened when, not the campaign's day).
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone


def now() -> dt.datetime:
    """The current moment for domain rules (aware, UTC)."""
    return timezone.now()


def localdate() -> dt.date:
    """Today in the platform's time zone (Asia/Shanghai), by the same clock."""
    return timezone.localtime(now()).date()
