"""The one clock every time-dependent domain rule reads: deadlines, late flags, countdowns,
registration windows, check-in, campaign status, reminders.

Outside demo mode (``settings.DEMO_MODE`` off) ``now()`` is ``timezone.now()``, always, and costs
nothing more. In demo mode the platform runs on a demo clock: one row (``core.DemoClock``) says which
demo moment was chosen at which real moment, and the demo time runs on from there at the real pace, so
every process (web workers, Celery, commands) shows the same demo time. Each process keeps the offset
for about a second, so the registration and check-in paths pay one query a second at most.

What stays on the real time, on purpose: audit entries, job and message timestamps, sessions, one-time
passwords and API tokens, rate limits and cache lifetimes (they record or limit what happened when in
the real world, not the campaign's day), and ``auto_now`` columns.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import time
from collections.abc import Iterator

from django.conf import settings
from django.core.signals import setting_changed
from django.db import DatabaseError
from django.utils import timezone
from django.utils.translation import gettext as _

_REFRESH = 1.0  # seconds a process trusts its copy of the offset
_ZERO = dt.timedelta(0)
_cached: tuple[float, dt.timedelta, str] | None = None  # (read at, monotonic; offset; label)
_pinned: dt.datetime | None = None  # clock.demo_at(): a fixed moment while the demo is being built


def now() -> dt.datetime:
    """The current moment for domain rules (aware, UTC)."""
    if not settings.DEMO_MODE:
        return timezone.now()
    if _pinned is not None:
        return _pinned
    return timezone.now() + _offset()[0]


def localdate() -> dt.date:
    """Today in the platform's time zone (Asia/Shanghai), by the same clock."""
    return timezone.localtime(now()).date()


def is_demo() -> bool:
    """True when the platform runs on the demo clock (demo mode with a demo moment set)."""
    return bool(settings.DEMO_MODE) and (_pinned is not None or _offset()[1] != "")


def demo_label() -> str:
    """The name of the phase last chosen ('' when a moment without a name was set)."""
    return _offset()[1].removeprefix("=") if settings.DEMO_MODE else ""


def _offset() -> tuple[dt.timedelta, str]:
    global _cached
    tick = time.monotonic()
    if _cached is not None and tick - _cached[0] < _REFRESH:
        return _cached[1], _cached[2]
    from .models import DemoClock  # models import after the app registry is ready

    try:
        row = DemoClock.objects.order_by("pk").first()
    except DatabaseError:  # before the first migrate
        row = None
    # The label is "=" + phase so that a set clock is never "" (is_demo() tells the two apart).
    offset, label = (row.demo_at - row.real_at, "=" + row.label) if row else (_ZERO, "")
    _cached = (tick, offset, label)
    return offset, label


def forget() -> None:
    """Drop this process's copy of the offset (after setting the clock, or between tests)."""
    global _cached
    _cached = None


def set_demo_time(moment: dt.datetime, *, label: str = "") -> None:
    """Put the demo clock at ``moment`` from now on (demo mode only); other processes follow within ~1 s."""
    from .models import DemoClock

    if not settings.DEMO_MODE:
        raise RuntimeError(_("演示时钟只在演示模式（SCIWEEK_DEMO=1）下可用"))
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    real = timezone.now()
    updated = DemoClock.objects.update(demo_at=moment, real_at=real, label=label)
    if not updated:
        DemoClock.objects.create(demo_at=moment, real_at=real, label=label)
    forget()


def clear_demo_time() -> None:
    """Back to the real time (demo mode stays on)."""
    from .models import DemoClock

    DemoClock.objects.all().delete()
    forget()


@contextlib.contextmanager
def demo_at(moment: dt.datetime) -> Iterator[None]:
    """In demo mode, hold this process's clock at ``moment`` inside the block (the demo loader records
    what happened later in the week). Outside demo mode it changes nothing: the real time is later anyway."""
    global _pinned
    previous, _pinned = _pinned, moment
    try:
        yield
    finally:
        _pinned = previous


def _on_setting_changed(*, setting: str, **kwargs: object) -> None:
    if setting == "DEMO_MODE":
        forget()


setting_changed.connect(_on_setting_changed)
