"""Validation of an event's fields: structure on every save, completeness when it goes to review."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils import timezone
from django.utils.translation import gettext as _

from sciweek.campaigns.models import Campaign
from sciweek.core import clock
from sciweek.orgs.validators import check_phone

from .choices import AUDIENCES, CATEGORIES, Mode
from .models import Event
from .places import places

MAX_CAPACITY = 100_000
MAX_DESCRIPTION = 20_000


def _day(value: dt.date) -> str:
    return f"{value.year}年{value.month}月{value.day}日"


def _int_or_none(value: Any, field: str, label: str, errors: dict[str, str]) -> int | None:
    if value in (None, ""):
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        errors[field] = _("%(label)s应为整数。") % {"label": label}
        return None
    if number < 0:
        errors[field] = _("%(label)s不能为负数。") % {"label": label}
    elif number > MAX_CAPACITY:
        errors[field] = _("%(label)s不能超过%(MAX_CAPACITY)s。") % {
            "label": label,
            "MAX_CAPACITY": MAX_CAPACITY,
        }
    return number


def _check_dates(
    campaign: Campaign, data: dict[str, Any], event: Event | None, errors: dict[str, str], now: dt.datetime
) -> None:
    starts, ends = data.get("starts_at"), data.get("ends_at")
    if not isinstance(starts, dt.datetime):
        errors["starts_at"] = _("请填写开始时间。")
    if not isinstance(ends, dt.datetime):
        errors["ends_at"] = _("请填写结束时间。")
    if not isinstance(starts, dt.datetime) or not isinstance(ends, dt.datetime):
        return
    if timezone.is_naive(starts):
        data["starts_at"] = starts = timezone.make_aware(starts)
    if timezone.is_naive(ends):
        data["ends_at"] = ends = timezone.make_aware(ends)
    if ends < starts:
        errors["ends_at"] = _("结束时间不能早于开始时间。")
        return
    week = f"活动周（{_day(campaign.start_date)}至{_day(campaign.end_date)}）"
    first, last = timezone.localtime(starts).date(), timezone.localtime(ends).date()
    if not campaign.start_date <= first <= campaign.end_date:
        errors["starts_at"] = _("开始日期%(day)s不在%(week)s内。") % {"day": _day(first), "week": week}
    elif not campaign.start_date <= last <= campaign.end_date:
        errors["ends_at"] = _("结束日期%(day)s不在%(week)s内。") % {"day": _day(last), "week": week}
    time_changed = event is None or event.starts_at != starts
    if time_changed and starts < now and not data.get("backfill"):
        errors["starts_at"] = _("开始时间已过。如果是补录已经举办的活动，请勾选“补录已举办活动”。")


def check_event_fields(
    *, campaign: Campaign, data: dict[str, Any], event: Event | None, as_of: dt.datetime | None = None
) -> dict[str, Any]:
    """Clean `data` (title, dates, capacity, links, …) or raise a ValidationError naming each field.

    `as_of` is the moment "already past" is judged against (now, unless loading historical data)."""
    data = dict(data)
    errors: dict[str, str] = {}
    data["title"] = " ".join((data.get("title") or "").split())
    if not data["title"]:
        errors["title"] = _("请填写活动名称。")
    elif len(data["title"]) > 120:
        errors["title"] = _("活动名称不能超过120个字。")
    if data.get("category") not in CATEGORIES:
        errors["category"] = _("活动类别「%(value)s」不在可选范围内。") % {
            "value": data.get("category") or ""
        }
    audiences = list(data.get("audiences") or [])
    if bad := [a for a in audiences if a not in AUDIENCES]:
        errors["audiences"] = _("面向对象「%(audience)s」不在可选范围内。") % {
            "audience": _("、").join(map(str, bad))
        }
    data["audiences"] = [a for a in AUDIENCES if a in audiences]
    if data.get("mode") not in Mode.values:
        errors["mode"] = _("请选择活动形式（线下、线上或线上线下同步）。")
    for key, owner in (("content_theme", "campaign_id"), ("main_activity", "campaign_id")):
        if (obj := data.get(key)) is not None and getattr(obj, owner) != campaign.pk:
            errors[key] = _("所选项目不属于本次活动周。")
    _check_dates(campaign, data, event, errors, as_of or clock.now())
    for key in ("venue", "address", "safety_contact", "online_platform"):
        data[key] = (data.get(key) or "").strip()
    data["capacity"] = _int_or_none(data.get("capacity"), "capacity", "名额", errors)
    data["waitlist_limit"] = (
        _int_or_none(data.get("waitlist_limit"), "waitlist_limit", "候补名额", errors) or 0
    )
    data["expected_scale"] = _int_or_none(data.get("expected_scale"), "expected_scale", "预计规模", errors)
    data["registration_enabled"] = bool(data.get("registration_enabled"))
    data["backfill"] = bool(data.get("backfill"))
    if data["registration_enabled"]:
        if data["capacity"] == 0:
            errors["capacity"] = _("需要报名的活动名额至少为1；不限名额请留空。")
        if data["backfill"]:
            errors["registration_enabled"] = _("补录的活动已经举办，不能再开放报名。")
    if event is not None and data["capacity"] is not None and "capacity" not in errors:
        # exact: the caller holds the event row FOR UPDATE, so no registration is in flight (places.py)
        taken = places(event).confirmed
        if data["capacity"] < taken:
            errors["capacity"] = _("已有%(taken)s人报名成功，名额不能少于%(taken)s。") % {"taken": taken}
    if phone := (data.get("safety_phone") or "").strip():
        try:
            phone = check_phone(phone, field="safety_phone", label="安全责任人电话")
        except ValidationError as exc:
            errors.update({k: v[0] for k, v in exc.message_dict.items()})
    data["safety_phone"] = phone
    url = (data.get("online_url") or "").strip()
    if url:
        try:
            URLValidator(schemes=["http", "https"])(url)
        except ValidationError:
            errors["online_url"] = _("线上链接「%(url)s」不是有效的网址，应以 http:// 或 https:// 开头。") % {
                "url": url[:80]
            }
        if len(url) > 500:
            errors["online_url"] = _("线上链接过长（超过500个字符）。")
    data["online_url"] = url
    data["description"] = (data.get("description") or "").strip()
    if len(data["description"]) > MAX_DESCRIPTION:
        errors["description"] = _("活动介绍不能超过%(MAX_DESCRIPTION)s字。") % {
            "MAX_DESCRIPTION": MAX_DESCRIPTION
        }
    if errors:
        raise ValidationError(errors)
    return data


def check_event_complete(event: Event, *, submitting: bool = True, as_of: dt.datetime | None = None) -> None:
    """What the organizer needs before approving (五.3 links for online, 五.4 safety for offline)."""
    errors: dict[str, str] = {}
    if event.is_offline:
        if not event.venue:
            errors["venue"] = _("线下活动请填写活动地点。")
        if not event.safety_contact:
            errors["safety_contact"] = _("线下活动请填写安全责任人（通知五.4）。")
        if not event.safety_phone:
            errors["safety_phone"] = _("线下活动请填写安全责任人电话（通知五.4）。")
        if event.expected_scale is None:
            errors["expected_scale"] = _("线下活动请填写预计规模（通知五.4：合理控制活动规模）。")
    if event.is_online and not (event.online_url or event.online_platform):
        errors["online_url"] = _("线上活动请填写线上链接或直播平台。")
    if not event.audiences:
        errors["audiences"] = _("请至少选择一类面向对象。")
    if submitting and not event.backfill and event.starts_at < (as_of or clock.now()):
        errors["starts_at"] = _("活动开始时间已过，请修改时间，或勾选“补录已举办活动”。")
    if errors:
        raise ValidationError(errors)
