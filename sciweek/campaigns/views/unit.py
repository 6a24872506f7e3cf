"""A participating unit's own page: the campaign, its part in each main activity, its deadlines, its staff."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from sciweek.core.cache import cached_fragment
from sciweek.orgs.access import access_unit, can_manage_unit, is_bureau_member, reporting_units
from sciweek.orgs.models import OrgUnit

from ..selectors import activities_with_units, campaigns_for_unit, unit_deadlines, unit_roles_in
from ..unit_objects import unit_object_ids


def viewer_role(user: object, unit: OrgUnit) -> str:
    """Whose links the unit's page shows (part of its cache key): "unit" (its reporter or head fills
    things in), "manager" (its organizer: edits what the unit would, reads its report as reviewer),
    "bureau" (co-organizer, reviewer or viewer above it: reads), "" (anyone else: no links)."""
    if any(u.pk == unit.pk for u in reporting_units(user)):
        return "unit"
    if can_manage_unit(user, unit):
        return "manager"
    return "bureau" if is_bureau_member(user, unit) else ""


def _unit_body(unit: OrgUnit, role: str) -> str:
    campaigns = []
    shown = list(campaigns_for_unit(unit).order_by("-year")[:3])
    reports: dict[int, int] = {}
    if role in ("manager", "bureau"):  # the bureau reads the report itself; the unit fills it in
        reports = unit_object_ids("report", unit, [c.pk for c in shown])
    for campaign in shown:
        activities = list(activities_with_units(campaign))
        campaigns.append(
            {
                "campaign": campaign,
                "roles": unit_roles_in(activities, unit),
                "deadlines": unit_deadlines(campaign, unit),
                "report_id": reports.get(campaign.pk),
            }
        )
    return render_to_string(
        "campaigns/_my_unit_body.html",
        {
            "unit": unit,
            "campaigns": campaigns,
            "staff": list(unit.staff.all()),
            "fills": role == "unit",
            "edits": role in ("unit", "manager"),
            "oversees": role in ("manager", "bureau"),
        },
    )


@login_required
def my_unit(request: HttpRequest, unit_id: int | None = None) -> HttpResponse:
    mine = reporting_units(request.user)
    if unit_id is not None:
        unit = access_unit(request.user, unit_id)
    elif mine:
        unit = mine[0]
    else:
        raise Http404(_("您的账号没有所属单位"))
    # Deadline states change only with writes (which invalidate the cache); countdowns by the minute.
    minute = timezone.now().strftime("%Y%m%d%H%M")
    role = viewer_role(request.user, unit)  # the links differ by role: one cached copy per role
    body = cached_fragment("my-unit", unit.pk, role, minute, build=lambda: _unit_body(unit, role))
    return render(
        request, "campaigns/my_unit.html", {"unit": unit, "body": mark_safe(body), "other_units": mine}
    )
