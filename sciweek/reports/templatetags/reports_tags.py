"""Display helpers of the reports pages."""

from __future__ import annotations

from django import template

from sciweek.core.files import format_duration

register = template.Library()


@register.filter
def duration_cn(seconds: float | None) -> str:
    """3分12秒 / 45秒."""
    return "" if seconds is None else format_duration(seconds)
