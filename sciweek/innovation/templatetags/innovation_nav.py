"""The 企业创新服务 tabs a user can open (innovation/_nav.html): the registries and the overview are the
bureau's and the towns'; a 科技特派员 without a unit role has their service log only. The views decide
again on the server; this only keeps links that would answer 403 or 404 off the page."""

from __future__ import annotations

from typing import Any

from django import template

from sciweek.orgs.access import reporting_units

from ..access import bureau_regions
from ..selectors import TOWN_KINDS

register = template.Library()


@register.simple_tag(takes_context=True)
def innovation_tabs(context: Any) -> dict[str, bool]:
    user = context["request"].user
    bureau = getattr(user, "is_superuser", False) or bool(bureau_regions(user))
    town = bureau or any(u.kind in TOWN_KINDS for u in reporting_units(user))
    return {"dashboard": town, "records": town, "experts": bureau}
