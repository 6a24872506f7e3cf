"""Writes: reminder rules, preferences, resending, marking notifications read."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext

from sciweek.campaigns.lifecycle import check_open
from sciweek.campaigns.models import Requirement
from sciweek.core.audit import audit_log
from sciweek.core.cache import bump_generation
from sciweek.core.models import Notification
from sciweek.orgs.access import memberships_of

from .models import DEFAULT_BEFORE, Occurrence, Preference, ReminderRule

_UNITS = {"天": 24 * 60, "d": 24 * 60, "小时": 60, "h": 60, "分钟": 1, "分": 1, "m": 1}
_PART = re.compile(r"^(\d{1,4})\s*(天|d|小时|h|分钟|分|m)$")


def parse_offsets(text: str) -> list[int]:
    """ "3天, 1天, 2小时" → [4320, 1440, 120] (minutes before the deadline)."""
    out = []
    for part in re.split(r"[,，、;；\s]+", (text or "").strip()):
        if not part:
            continue
        m = _PART.match(part)
        if not m:
            raise ValidationError(
                {
                    "before": (
                        gettext("“%(part)s”看不懂，请写成“3天、1天、2小时”这样的格式。") % {"part": part}
                    )
                }
            )
        minutes = int(m.group(1)) * _UNITS[m.group(2)]
        if not 0 < minutes <= 60 * 24 * 60:
            raise ValidationError(
                {"before": (gettext("“%(part)s”超出范围（应在1分钟到60天之间）。") % {"part": part})}
            )
        out.append(minutes)
    if len(out) > 10:
        raise ValidationError({"before": gettext("截止前提醒最多10个时点。")})
    return sorted(set(out), reverse=True)


def format_offsets(minutes: list[int]) -> str:
    parts = []
    for m in minutes:
        if m % (24 * 60) == 0:
            parts.append(f"{m // (24 * 60)}天")
        elif m % 60 == 0:
            parts.append(f"{m // 60}小时")
        else:
            parts.append(f"{m}分钟")
    return "、".join(parts)


def rule_of(requirement: Requirement) -> ReminderRule:
    rule = ReminderRule.objects.filter(requirement=requirement).first()
    return rule or ReminderRule(requirement=requirement, before_minutes=list(DEFAULT_BEFORE))


@transaction.atomic
def rule_save(
    *,
    actor: Any,
    requirement: Requirement,
    version: int | None,
    enabled: bool | None = None,
    before: list[int] | None = None,
    overdue_max: int | None = None,
    overdue_time: dt.time | None = None,
    escalate_after: int | None = None,
) -> ReminderRule:
    check_open(requirement.campaign, "setup")
    rule, created = ReminderRule.objects.select_for_update().get_or_create(
        requirement=requirement, defaults={"before_minutes": list(DEFAULT_BEFORE)}
    )
    if not created and version is not None and version != rule.version:
        raise ValidationError(gettext("提醒规则已被他人修改，请刷新后重试。"), code="stale")
    errors: dict[str, str] = {}
    if overdue_max is not None and not 0 <= overdue_max <= 30:
        errors["overdue_max"] = gettext("逾期提醒次数应在0到30之间。")
    if escalate_after is not None and not 0 <= escalate_after <= 30:
        errors["escalate_after"] = gettext("升级前逾期提醒次数应在0到30之间。")
    if errors:
        raise ValidationError(errors)
    before_state = _snapshot(rule)
    for name, value in (
        ("enabled", enabled),
        ("before_minutes", before),
        ("overdue_max", overdue_max),
        ("overdue_time", overdue_time),
        ("escalate_after", escalate_after),
    ):
        if value is not None:
            setattr(rule, name, value)
    rule.version += 1
    rule.save()
    audit_log(
        actor=actor,
        action="reminder_rule.update",
        obj=rule,
        object_repr=f"{requirement.title} 的提醒规则",
        unit_path=requirement.campaign.org_unit.path,
        before=before_state,
        after=_snapshot(rule),
    )
    return rule


def _snapshot(rule: ReminderRule) -> dict[str, Any]:
    return {
        "enabled": rule.enabled,
        "before_minutes": rule.before_minutes,
        "overdue_max": rule.overdue_max,
        "overdue_time": rule.overdue_time.strftime("%H:%M") if rule.overdue_time else None,
        "escalate_after": rule.escalate_after,
    }


def preference_of(user: Any) -> Preference:
    return Preference.objects.filter(user=user).first() or Preference(user=user)


@transaction.atomic
def preference_save(*, user: Any, **fields: Any) -> Preference:
    pref, _ = Preference.objects.select_for_update().get_or_create(user=user)
    cap = fields.get("daily_cap")
    if cap is not None and not 1 <= cap <= 50:
        raise ValidationError({"daily_cap": gettext("每日最多提醒条数应在1到50之间。")})
    before = {k: str(getattr(pref, k)) for k in fields}
    for k, v in fields.items():
        setattr(pref, k, v)
    pref.version += 1
    pref.save()
    audit_log(
        actor=user,
        action="reminder_preference.update",
        obj=pref,
        object_repr=f"{user.get_username()} 的提醒设置",
        before=before,
        after={k: str(v) for k, v in fields.items()},
    )
    return pref


RESENDABLE = (Occurrence.Status.FAILED, Occurrence.Status.SENDING, Occurrence.Status.SKIPPED)


@transaction.atomic
def occurrence_resend(*, actor: Any, occurrence: Occurrence) -> Occurrence:
    """Put a failed (or stuck, or capped) e-mail or text back in the queue; the caller delivers it."""
    if occurrence.channel == "inapp":
        raise ValidationError(gettext("站内通知不需要重新发送。"))
    if occurrence.message is not None and occurrence.message.status == "failed":
        pass  # the gateway refused the text: a new one goes out
    elif occurrence.status not in RESENDABLE:
        raise ValidationError(
            gettext("该提醒%(status)s，无需重新发送。") % {"status": occurrence.get_status_display()}
        )
    Occurrence.objects.filter(pk=occurrence.pk).update(
        status=Occurrence.Status.PENDING, claimed_by="", claimed_at=None, detail="", message=None
    )
    audit_log(
        actor=actor,
        action="reminder.resend",
        obj=occurrence,
        object_repr=occurrence.subject,
        unit_path=occurrence.unit.path,
        before={"status": occurrence.status, "detail": occurrence.detail},
    )
    occurrence.refresh_from_db()
    return occurrence


def notifications_for(user: Any) -> QuerySet[Notification]:
    unit_ids = [m.unit_id for m in memberships_of(user)]
    return Notification.objects.filter(Q(user=user) | Q(unit_id__in=unit_ids, user__isnull=True))


def notifications_mark_read(*, user: Any, ids: list[int] | None = None) -> int:
    """Mark the given notifications (all of the user's when ``ids`` is None) read; returns how many."""
    qs = notifications_for(user).exclude(read_by=user)
    if ids is not None:
        qs = qs.filter(pk__in=ids)
    pks = list(qs.values_list("pk", flat=True)[:5000])
    through = Notification.read_by.through
    through.objects.bulk_create(
        [through(notification_id=pk, user_id=user.pk) for pk in pks], ignore_conflicts=True
    )
    if pks:
        bump_generation()
    return len(pks)
