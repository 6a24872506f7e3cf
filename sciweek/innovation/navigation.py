"""The link to /innovation/ in the navigation and on the workbenches (orgs.worklinks), for those with work
there: organizers of a county or above (the bureau keeps the registries), reporters and heads of a town or
the development zone (their enterprises and records), and 科技特派员 with a login (their service logs).
Other units (a county department, a school) have nothing to do there and see no link."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from sciweek.core.cache import cached_fragment
from sciweek.orgs.access import memberships_of
from sciweek.orgs.models import UNIT_ROLES, Role
from sciweek.orgs.worklinks import register_work_link

from .models import Expert
from .selectors import TOWN_KINDS


def has_innovation_work(user: Any) -> bool:
    if getattr(user, "is_superuser", False):
        return True
    for m in memberships_of(user):
        if m.role == Role.ORGANIZER and m.unit.is_area:
            return True
        if m.role in UNIT_ROLES and m.unit.kind in TOWN_KINDS:
            return True
    # Kept with the page fragments: any audited write (an expert given a login) draws it anew.
    return bool(
        cached_fragment(
            "innovation-commissioner",
            user.pk,
            build=lambda: Expert.objects.filter(user=user, is_active=True, is_commissioner=True).exists(),
        )
    )


register_work_link(
    "innovation", label=_("企业创新服务"), url_name="innovation:dashboard", visible=has_innovation_work
)
