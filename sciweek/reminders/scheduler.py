"""The minute's duties — campaign status moves on their dates, reminders, the morning digest — and the
two ways they are run.

- With CELERY_BROKER_URL: Celery beat sends ``sciweek.reminders_tick`` every minute
  (CELERY_BEAT_SCHEDULE in settings) and a worker runs it (tasks.py).
- Without a broker (the default ``make run``): a daemon thread of the web process runs it every
  minute, so nothing else has to be started. Several web processes each have a thread; a lease on a
  database row (``SchedulerLock``, taken by a conditional UPDATE, which both SQLite and PostgreSQL
  serialize) lets one of them work each minute, and the occurrences' unique keys would make even a
  double run send nothing twice.
- ``sciweek reminders`` does the same from cron.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import secrets
import sys
import threading
import time
from typing import Any

from django.conf import settings
from django.db import IntegrityError, close_old_connections, connection, transaction
from django.db.models import Q
from django.utils import timezone

from sciweek.campaigns.lifecycle import due_status
from sciweek.campaigns.models import Campaign
from sciweek.core import clock

from .models import SchedulerLock

log = logging.getLogger("sciweek.reminders")
LEASE = dt.timedelta(minutes=5)
DIGEST_HOUR = 8


def take_lease(name: str, *, holder: str, now: dt.datetime | None = None) -> bool:
    """True if ``holder`` now holds the lease ``name`` (it was free or expired)."""
    now = now or dt.datetime.now(dt.UTC)
    try:
        with transaction.atomic():
            SchedulerLock.objects.get_or_create(name=name)
    except IntegrityError:
        pass  # created by another process meanwhile
    return bool(
        SchedulerLock.objects.filter(name=name)
        .filter(Q(until__isnull=True) | Q(until__lt=now) | Q(holder=holder))
        .update(holder=holder, until=now + LEASE)
    )


def release_lease(name: str, *, holder: str) -> None:
    SchedulerLock.objects.filter(name=name, holder=holder).update(
        holder="", until=None, last_tick=dt.datetime.now(dt.UTC)
    )


def once(name: str) -> bool:
    """True the first time ``name`` is claimed, ever (one row per daily duty)."""
    try:
        with transaction.atomic():
            SchedulerLock.objects.create(name=name)
    except IntegrityError:
        return False
    return True


def advance_statuses(*, at: dt.datetime) -> list[tuple[Campaign, str]]:
    """Move every campaign whose dates call for it to its next status (audited, notified)."""
    from sciweek.campaigns.services import campaign_set_status

    moved = []
    for campaign in Campaign.objects.exclude(status__in=[Campaign.Status.DRAFT, Campaign.Status.CLOSED]):
        target = due_status(campaign, at)
        if target != campaign.status:
            campaign_set_status(actor=None, campaign=campaign, status=target)
            moved.append((campaign, target))
    return moved


def run_due(*, at: dt.datetime | None = None, holder: str | None = None) -> dict[str, Any] | None:
    """One scheduler minute. None if another process holds the lease."""
    from .digest import send_digests
    from .sending import tick

    at = at or clock.now()
    holder = holder or secrets.token_hex(8)
    if not take_lease("reminders", holder=holder):
        return None
    try:
        moved = advance_statuses(at=at)
        result = tick(at=at).as_dict()
        result["status_moves"] = len(moved)
        local = timezone.localtime(at)
        if local.hour >= DIGEST_HOUR and once(f"digest:{local.date().isoformat()}"):
            result["digests"] = send_digests(at=at)
        return result
    finally:
        release_lease("reminders", holder=holder)


# --- the thread of a web process without a broker ------------------------------------------------


_started = False


def wants_thread() -> bool:
    mode = getattr(settings, "SCIWEEK_SCHEDULER", "auto")
    if mode == "off" or getattr(settings, "TESTING", False):
        return False
    if mode == "thread":
        return True
    if settings.CELERY_BROKER_URL:
        return False  # beat and the worker do it
    argv = " ".join(sys.argv)
    serving = "gunicorn" in argv or "runserver" in argv or "uwsgi" in argv
    # runserver's autoreloader imports the project twice; the thread belongs in the child.
    reloading = "runserver" in argv and "--noreload" not in argv
    return serving and (not reloading or os.environ.get("RUN_MAIN") == "true")


def start_thread() -> None:
    global _started
    if _started:
        return
    _started = True
    holder = f"{os.getpid()}-{secrets.token_hex(4)}"

    def loop() -> None:
        time.sleep(5)  # let the process finish starting
        while True:
            try:
                run_due(holder=holder)
            except Exception:  # noqa: BLE001 — the thread must outlive a bad minute
                log.exception("reminder tick failed")
            finally:
                close_old_connections()
                connection.close()
            time.sleep(60 - time.time() % 60 + 1)

    threading.Thread(target=loop, name="sciweek-scheduler", daemon=True).start()
