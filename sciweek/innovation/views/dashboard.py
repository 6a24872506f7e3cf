"""The 企业创新服务 dashboard: the bureau sees every town (or one), a town sees itself; xlsx export."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from sciweek.campaigns.models import Campaign
from sciweek.core.audit import audit_log
from sciweek.orgs.access import access_unit, reporting_units

from ..access import bureau_regions, commissioner_of
from ..dashboard import export_xlsx, figures
from ..selectors import TOWN_KINDS, towns_of


def _scope(request: HttpRequest):
    """(units in view, title, region or None, week)."""
    regions = bureau_regions(request.user)
    week = None
    if regions:
        region = regions[0]
        campaign = Campaign.objects.filter(org_unit=region).order_by("-year").first()
        units = towns_of(region)
        title = _("%(name)s · 企业创新服务") % {"name": region.name}
        if request.GET.get("unit"):
            unit = access_unit(request.user, request.GET["unit"])
            units, title = [unit], _("%(name)s · 企业创新服务") % {"name": unit.name}
    else:
        units = [u for u in reporting_units(request.user) if u.kind in TOWN_KINDS]
        if not units:
            raise Http404(_("您的账号没有所属镇（街道）或园区"))
        region, title = None, _("%(name)s · 企业创新服务") % {"name": units[0].name}
        campaign = (
            Campaign.objects.filter(org_unit__in=[a.pk for a in units[0].get_ancestors()])
            .order_by("-year")
            .first()
        )
    if campaign is not None:
        week = (campaign.start_date, campaign.end_date, campaign)
    return units, title, region, week


def _window(request: HttpRequest, week) -> tuple[dt.date | None, dt.date | None]:
    if request.GET.get("week") == "1" and week:
        return week[0], week[1]
    return None, None


@login_required
@require_safe
def dashboard(request: HttpRequest) -> HttpResponse:
    try:
        units, title, region, week = _scope(request)
    except Http404:
        # A 科技特派员 holds no unit role: their work here is their service log, where the landing and the
        # 企业创新服务 link (which point here, as for everyone) must not end in 404.
        if commissioner_of(request.user) is not None:
            return redirect("innovation:logs")
        raise
    start, end = _window(request, week)
    f = figures(units, start=start, end=end)
    return render(
        request, "innovation/dashboard.html",
        {"f": f, "title": title, "region": region, "week": week, "in_week": bool(start), "chart": f.chart(),
         "towns": towns_of(region) if region else [], "unit_id": request.GET.get("unit", "")},
    )  # fmt: skip


@login_required
@require_safe
def dashboard_export(request: HttpRequest) -> HttpResponse:
    units, title, region, week = _scope(request)
    start, end = _window(request, week)
    data = export_xlsx(figures(units, start=start, end=end))
    audit_log(actor=request.user, action="innovation.export", object_type="innovation.dashboard", object_repr=title,
              unit_path=(region or units[0]).path)  # fmt: skip
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = "attachment; filename*=UTF-8''innovation.xlsx"
    return response
