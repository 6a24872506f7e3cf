"""The demo banner's data: the demo time and the phases (base.html shows it in demo mode)."""

from __future__ import annotations

from django import template

from sciweek.core import clock

from .. import phases

register = template.Library()


@register.inclusion_tag("demo/_banner.html", takes_context=True)
def demo_banner(context: template.Context) -> dict[str, object]:
    request = context.get("request")
    return {
        "demo_now": clock.now(),
        "on_clock": clock.is_demo(),
        "current": clock.demo_label(),
        "phases": phases.PHASES,
        "user": context.get("user"),
        "next": request.get_full_path() if request is not None else "/",
        "csrf_token": context.get("csrf_token"),
    }
