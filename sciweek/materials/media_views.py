"""Media coverage pages: a unit (or a media unit) enters reports, the bureau confirms, the public list."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from sciweek.campaigns.access import access_campaign
from sciweek.campaigns.models import Campaign
from sciweek.orgs.access import reporting_units
from sciweek.orgs.models import OrgUnit, UnitKind
from sciweek.reports.services.access import can_review

from .media.export import registry_xlsx
from .media.services import media_report_confirm, media_report_save, outlet_save
from .models import MediaOutlet, MediaReport


def _entering_unit(request: HttpRequest, campaign: Campaign) -> OrgUnit:
    mine = [u for u in reporting_units(request.user) if u.path.startswith(campaign.org_unit.path)]
    wanted = request.GET.get("unit") or request.POST.get("entering_unit")
    for u in mine:
        if not wanted or str(u.pk) == str(wanted):
            return u
    raise Http404("您不是本届活动周的参与单位")


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except ValueError:
        return None


@login_required
def my_media(request: HttpRequest, campaign_id: int) -> HttpResponse:
    campaign = access_campaign(request.user, campaign_id)
    me = _entering_unit(request, campaign)
    is_media = me.kind == UnitKind.MEDIA
    units = (
        list(
            OrgUnit.objects.filter(path__startswith=campaign.org_unit.path)
            .exclude(pk=campaign.org_unit.pk)
            .order_by("path")
        )
        if is_media
        else [me]
    )
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        p = request.POST
        try:
            if p.get("new_outlet"):
                outlet = outlet_save(
                    actor=request.user,
                    region=campaign.org_unit,
                    name=p["new_outlet"],
                    kind=p.get("outlet_kind", ""),
                    unit=me if is_media else None,
                )
            else:
                outlet = get_object_or_404(
                    MediaOutlet, pk=_int(p.get("outlet")) or 0, region=campaign.org_unit
                )
            covered = next((u for u in units if str(u.pk) == p.get("unit")), me)
            try:
                published = dt.date.fromisoformat(p.get("published_on", ""))
            except ValueError:
                published = None
            media_report_save(
                actor=request.user,
                campaign=campaign,
                entered_by_unit=me,
                unit=covered,
                outlet=outlet,
                title=p.get("title", ""),
                published_on=published,
                url=p.get("url", ""),
                kind=p.get("kind", "news"),
                event_id=_int(p.get("event_id")),
                activity=campaign.activities.filter(pk=_int(p.get("activity")) or 0).first(),
                reach=_int(p.get("reach")),
                upload=request.FILES.get("file"),
            )
        except ValidationError as exc:
            errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
        else:
            messages.success(request, "已登记，等待组织单位确认。")
            return redirect(f"{request.path}?unit={me.pk}")
    return render(
        request,
        "materials/media_mine.html",
        {
            "campaign": campaign,
            "me": me,
            "units": units,
            "errors": errors,
            "data": request.POST,
            "outlets": MediaOutlet.objects.filter(region=campaign.org_unit),
            "outlet_kinds": MediaOutlet.Kind.choices,
            "kinds": MediaReport.Kind.choices,
            "activities": campaign.activities.all(),
            "reports": MediaReport.objects.filter(campaign=campaign, entered_by_unit=me).select_related(
                "outlet", "unit"
            ),
        },
    )


@login_required
@require_GET
def manage_media(request: HttpRequest, campaign_id: int) -> HttpResponse:
    campaign = access_campaign(request.user, campaign_id, bureau=True)
    reports = list(
        MediaReport.objects.filter(campaign=campaign).select_related("outlet", "unit", "entered_by_unit")
    )
    if request.GET.get("format") == "xlsx":
        data = registry_xlsx(reports, f"{campaign.title} 媒体报道登记")
        response = HttpResponse(
            data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        response["Content-Disposition"] = "attachment; filename*=UTF-8''media.xlsx"
        return response
    return render(
        request,
        "materials/media_manage.html",
        {"campaign": campaign, "reports": reports, "can_review": can_review(request.user, campaign)},
    )


@login_required
@require_POST
def confirm_media(request: HttpRequest, media_report_id: int) -> HttpResponse:
    report = get_object_or_404(MediaReport, pk=media_report_id)
    campaign = access_campaign(request.user, report.campaign_id, bureau=True)
    if not can_review(request.user, campaign):
        raise PermissionDenied("只有组织单位的审核人员可以确认媒体报道")
    try:
        media_report_confirm(
            actor=request.user,
            report=report,
            version=_int(request.POST.get("version")),
            confirm="reject" not in request.POST,
            reason=request.POST.get("reason", ""),
        )
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    return redirect("materials:media_manage", campaign.pk)


@require_GET
def public_media(request: HttpRequest, campaign_id: int) -> HttpResponse:
    """The portal's 媒体报道 list: confirmed reports of a published campaign."""
    campaign = get_object_or_404(Campaign, pk=campaign_id)
    if not campaign.is_public:
        raise Http404("活动周不存在或尚未发布")
    reports = MediaReport.objects.filter(
        campaign=campaign, status=MediaReport.Status.CONFIRMED
    ).select_related("outlet", "unit")
    return render(request, "materials/media_public.html", {"campaign": campaign, "reports": reports})
