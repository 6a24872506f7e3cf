"""When a rule's reminders fall due: the slots of one requirement, and which one a tick sends.

A tick at ``at`` sends only the latest slot at or before ``at`` (after an outage people get one
reminder, not every one they missed), and none more than MAX_LATE late; a slot before the deadline
is no longer sent once the deadline has passed. Overdue slots fall on working days (core/workdays.py: public holidays and
调休 counted) at the rule's time, starting the first working day after the deadline's day.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from sciweek.core.workdays import is_workday

from .models import DEFAULT_BEFORE, ReminderRule

# A slot more than this late is not sent any more: a scheduler back after a day's outage still sends it,
# but a campaign of years ago (the demo, a past week entered today) does not wake everyone up.
MAX_LATE = dt.timedelta(days=1)


@dataclass(frozen=True)
class Slot:
    key: str  # part of the occurrence's unique key
    at: dt.datetime
    overdue: int = 0  # 1 for the first overdue reminder, ...
    escalation: bool = False

    @property
    def label(self) -> str:
        if self.overdue:
            return f"第{self.overdue}次逾期提醒" + ("（已升级）" if self.escalation else "")
        return "截止前提醒"


def default_rule(requirement) -> ReminderRule:  # noqa: ANN001 — a Requirement
    return ReminderRule(requirement=requirement, before_minutes=list(DEFAULT_BEFORE))


def working_days_after(day: dt.date, count: int) -> list[dt.date]:
    days: list[dt.date] = []
    d = day
    while len(days) < count:
        d += dt.timedelta(days=1)
        if is_workday(d):
            days.append(d)
    return days


def all_slots(rule: ReminderRule, due_at: dt.datetime) -> list[Slot]:
    slots = [
        Slot(key=f"b{int(m)}", at=due_at - dt.timedelta(minutes=int(m)))
        for m in sorted({int(m) for m in rule.before_minutes or [] if int(m) > 0}, reverse=True)
    ]
    due_day = timezone.localtime(due_at).date()
    for n, day in enumerate(working_days_after(due_day, rule.overdue_max), 1):
        at = timezone.make_aware(dt.datetime.combine(day, rule.overdue_time))
        escalation = bool(rule.escalate_after) and n > rule.escalate_after
        slots.append(Slot(key=f"o{n}", at=at, overdue=n, escalation=escalation))
    return slots


def current_slot(rule: ReminderRule, due_at: dt.datetime, at: dt.datetime) -> Slot | None:
    """The slot a tick at ``at`` sends for this rule, if any."""
    if not rule.enabled:
        return None
    latest = None
    for slot in all_slots(rule, due_at):
        if slot.at <= at and (latest is None or slot.at >= latest.at):
            latest = slot
    if latest is None or (not latest.overdue and at >= due_at) or at - latest.at > MAX_LATE:
        return None
    return latest


def quiet_shift(at: dt.datetime, start: dt.time, end: dt.time) -> dt.datetime:
    """``at`` moved to the end of the quiet hours if it falls inside them (22:00–08:00 → 08:00)."""
    local = timezone.localtime(at)
    t = local.time()
    if start == end:
        return at
    inside = (start <= t or t < end) if start > end else (start <= t < end)
    if not inside:
        return at
    day = local.date() if t < end else local.date() + dt.timedelta(days=1)
    return timezone.make_aware(dt.datetime.combine(day, end))


def deadline_text(due_at: dt.datetime) -> str:
    """5月30日17:30 (the way the texts name a deadline)."""
    local = timezone.localtime(due_at)
    return f"{local.month}月{local.day}日{local:%H:%M}"
