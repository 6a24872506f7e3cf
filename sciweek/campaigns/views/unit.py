"""A participating unit's own page: the campaign, its part in each main activity, its deadlines, its staff."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe

from sciweek.core.cache import cached_fragment
from sciweek.orgs.access import access_unit, reporting_units
from sciweek.orgs.models import OrgUnit

from ..selectors import activities_with_units, campaigns_for_unit, unit_deadlines, unit_roles_in


def _unit_body(unit: OrgUnit) -> str:
    campaigns = []
    for campaign in campaigns_for_unit(unit).order_by("-year")[:3]:
        activities = list(activities_with_units(campaign))
        campaigns.append(
            {
                "campaign": campaign,
                "roles": unit_roles_in(activities, unit),
                "deadlines": unit_deadlines(campaign, unit),
            }
        )
    return render_to_string(
        "campaigns/_my_unit_body.html",
        {
            "unit": unit,
            "campaigns": campaigns,
            "staff": list(unit.staff.all()),
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
        raise Http404("您的账号没有所属单位")
    # Deadline states change only with writes (which invalidate the cache); countdowns by the minute.
    minute = timezone.now().strftime("%Y%m%d%H%M")
    body = cached_fragment("my-unit", unit.pk, minute, build=lambda: _unit_body(unit))
    return render(
        request, "campaigns/my_unit.html", {"unit": unit, "body": mark_safe(body), "other_units": mine}
    )
