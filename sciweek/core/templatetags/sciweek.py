"""Display helpers: dates as 2023年5月20日, masked phones, 万元 amounts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django import template
from django.utils import timezone
from django.utils.translation import get_language

from sciweek.core.masking import mask_phone as _mask

register = template.Library()
WEEKDAYS = "一二三四五六日"


def format_cn_date(value: dt.date | dt.datetime | None, *, weekday: bool = False) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        value = value.date()
    if (get_language() or "zh-hans").startswith("en"):
        return value.strftime("%-d %b %Y")
    text = f"{value.year}年{value.month}月{value.day}日"
    return text + f"（周{WEEKDAYS[value.weekday()]}）" if weekday else text


@register.filter
def cn_date(value: dt.date | dt.datetime | None) -> str:
    return format_cn_date(value)


@register.filter
def cn_date_weekday(value: dt.date | None) -> str:
    return format_cn_date(value, weekday=True)


@register.filter
def cn_datetime(value: dt.datetime | None) -> str:
    if value is None:
        return ""
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    return f"{format_cn_date(local)} {local:%H:%M}"


@register.filter
def cn_range(start: dt.date | None, end: dt.date | None) -> str:
    if not start or not end:
        return format_cn_date(start or end)
    if (get_language() or "").startswith("en"):
        return f"{format_cn_date(start)} – {format_cn_date(end)}"
    if start.year == end.year and start.month == end.month:
        return f"{format_cn_date(start)}至{end.day}日"
    if start.year == end.year:
        return f"{format_cn_date(start)}至{end.month}月{end.day}日"
    return f"{format_cn_date(start)}至{format_cn_date(end)}"


@register.filter
def masked(value: str) -> str:
    return _mask(value or "")


@register.filter
def wan_yuan(value: Decimal | float | None) -> str:
    if value is None:
        return "—"
    return f"{Decimal(value).normalize():f} 万元"


@register.filter
def get_item(mapping: dict, key: object) -> object:
    return mapping.get(key) if mapping else None
