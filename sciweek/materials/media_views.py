"""Media coverage pages: a unit (or a media unit) enters, corrects and deletes its reports; the bureau
confirms, withdraws a confirmation, and corrects; the public list."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from sciweek.campaigns.access import access_campaign
from sciweek.campaigns.models import Campaign
from sciweek.orgs.access import reporting_units
from sciweek.orgs.models import OrgUnit, UnitKind
from sciweek.reports.services.access import can_review

from .access import access_media_report
from .media.export import registry_xlsx
from .media.services import (
    media_report_confirm,
    media_report_delete,
    media_report_save,
    media_report_withdraw,
    outlet_save,
)
from .models import MediaOutlet, MediaReport


def _entering_unit(request: HttpRequest, campaign: Campaign) -> OrgUnit:
    mine = [u for u in reporting_units(request.user) if u.path.startswith(campaign.org_unit.path)]
    wanted = request.GET.get("unit") or request.POST.get("entering_unit")
    for u in mine:
        if not wanted or str(u.pk) == str(wanted):
            return u
    raise Http404(_("您不是本届活动周的参与单位"))


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except ValueError:
        return None


def _covered_units(campaign: Campaign, me: OrgUnit) -> list[OrgUnit]:
    """A media unit reports on any unit of the campaign; a unit on itself."""
    if me.kind != UnitKind.MEDIA:
        return [me]
    return list(
        OrgUnit.objects.filter(path__startswith=campaign.org_unit.path)
        .exclude(pk=campaign.org_unit.pk)
        .order_by("path")
    )


def _save_from_post(
    request: HttpRequest,
    campaign: Campaign,
    me: OrgUnit,
    units: list[OrgUnit],
    report: MediaReport | None = None,
) -> MediaReport:
    p = request.POST
    if p.get("new_outlet"):
        outlet = outlet_save(
            actor=request.user,
            region=campaign.org_unit,
            name=p["new_outlet"],
            kind=p.get("outlet_kind", ""),
            unit=me if me.kind == UnitKind.MEDIA else None,
        )
    else:
        chosen = MediaOutlet.objects.filter(pk=_int(p.get("outlet")) or 0, region=campaign.org_unit).first()
        if chosen is None:
            raise ValidationError({"outlet": _("请选择媒体，或填写新增媒体的名称。")})
        outlet = chosen
    covered = next((u for u in units if str(u.pk) == p.get("unit")), report.unit if report else me)
    try:
        published = dt.date.fromisoformat(p.get("published_on", ""))
    except ValueError:
        published = None
    return media_report_save(
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
        report=report,
        version=_int(p.get("version")) if report else None,
    )


@login_required
def my_media(request: HttpRequest, campaign_id: int) -> HttpResponse:
    campaign = access_campaign(request.user, campaign_id)
    me = _entering_unit(request, campaign)
    units = _covered_units(campaign, me)
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        try:
            _save_from_post(request, campaign, me, units)
        except ValidationError as exc:
            errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
        else:
            messages.success(request, _("已登记，等待组织单位确认。"))
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
        data = registry_xlsx(reports, _("%(title)s 媒体报道登记") % {"title": campaign.title})
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
        raise PermissionDenied(_("只有组织单位的审核人员可以确认媒体报道"))
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
        raise Http404(_("活动周不存在或尚未发布"))
    reports = MediaReport.objects.filter(
        campaign=campaign, status=MediaReport.Status.CONFIRMED
    ).select_related("outlet", "unit")
    return render(request, "materials/media_public.html", {"campaign": campaign, "reports": reports})


def _back(request: HttpRequest, report: MediaReport) -> str:
    """The unit's own list when it entered the report, else the bureau's."""
    if report.entered_by_unit in reporting_units(request.user):
        return (
            reverse("materials:media_mine", args=[report.campaign_id]) + f"?unit={report.entered_by_unit_id}"
        )
    return reverse("materials:media_manage", args=[report.campaign_id])


@login_required
def edit_media(request: HttpRequest, media_report_id: int) -> HttpResponse:
    """One report: its form (while unconfirmed), delete, and for the bureau's reviewers the confirmation."""
    report = access_media_report(request.user, media_report_id, edit=request.method == "POST")
    campaign = report.campaign
    own = report.entered_by_unit in reporting_units(request.user)
    may_edit = own or can_review(request.user, campaign)
    units = _covered_units(campaign, report.entered_by_unit)
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        try:
            _save_from_post(request, campaign, report.entered_by_unit, units, report=report)
        except ValidationError as exc:
            errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
        else:
            messages.success(request, _("已保存修改，等待组织单位确认。"))
            return redirect(_back(request, report))
    data = request.POST or {
        "title": report.title,
        "published_on": report.published_on.isoformat(),
        "url": report.url,
        "reach": report.reach if report.reach is not None else "",
        "event_id": report.event_id or "",
    }
    return render(
        request,
        "materials/media_edit.html",
        {
            "campaign": campaign,
            "r": report,
            "may_edit": may_edit and report.status != MediaReport.Status.CONFIRMED,
            "can_review": can_review(request.user, campaign),
            "units": units,
            "errors": errors,
            "data": data,
            "outlet_id": _int(request.POST.get("outlet")) if request.POST else report.outlet_id,
            "kind": request.POST.get("kind", report.kind),
            "unit_id": _int(request.POST.get("unit")) if request.POST else report.unit_id,
            "activity_id": _int(request.POST.get("activity")) if request.POST else report.activity_id,
            "outlets": MediaOutlet.objects.filter(region=campaign.org_unit),
            "outlet_kinds": MediaOutlet.Kind.choices,
            "kinds": MediaReport.Kind.choices,
            "activities": campaign.activities.all(),
            "back": _back(request, report),
        },
    )


@login_required
@require_POST
def delete_media(request: HttpRequest, media_report_id: int) -> HttpResponse:
    report = access_media_report(request.user, media_report_id, edit=True)
    back = _back(request, report)
    try:
        media_report_delete(actor=request.user, report=report, version=_int(request.POST.get("version")))
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return redirect("materials:media_edit", report.pk)
    messages.success(request, _("已删除报道「%(title)s」。") % {"title": report.title})
    return redirect(back)


@login_required
@require_POST
def withdraw_media(request: HttpRequest, media_report_id: int) -> HttpResponse:
    report = access_media_report(request.user, media_report_id)
    if not can_review(request.user, report.campaign):
        raise PermissionDenied(_("只有组织单位的审核人员可以撤销确认"))
    try:
        media_report_withdraw(
            actor=request.user,
            report=report,
            version=_int(request.POST.get("version")),
            reason=request.POST.get("reason", ""),
        )
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, _("已撤销确认，报道回到待确认，登记单位可以修改或删除。"))
    return redirect("materials:media_edit", report.pk)
