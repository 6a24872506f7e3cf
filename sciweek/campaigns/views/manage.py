"""The organizer's pages: campaigns, main activities, requirements and deadlines."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from sciweek.core.forms import attach_errors
from sciweek.orgs.access import can_manage_unit, is_bureau_member, memberships_of
from sciweek.orgs.models import AREA_KINDS, SUBTREE_ROLES, OrgUnit, Role

from .. import services
from ..access import access_campaign, can_edit_activity, visible_campaigns
from ..activity_panels import activity_panels
from ..charts import campaign_charts
from ..forms import ActivityForm, CampaignForm, RequirementForm, campaign_initial
from ..matrix import build_matrix
from ..models import Campaign, MainActivity, Requirement
from ..selectors import activities_with_units
from ..todo import campaign_todo, current_campaign


def _units_of(campaign: Campaign):
    return (
        OrgUnit.objects.filter(path__startswith=campaign.org_unit.path)
        .exclude(kind__in=AREA_KINDS)
        .order_by("path")
    )


@login_required
def manage_home(request: HttpRequest) -> HttpResponse:
    ms = [m for m in memberships_of(request.user) if m.role in SUBTREE_ROLES]
    if not ms and not request.user.is_superuser:
        raise PermissionDenied(_("只有组织单位可以进入管理页面"))
    campaigns = list(
        visible_campaigns(request.user).select_related("org_unit").order_by("-year", "-start_date")
    )
    regions = [m.unit for m in ms if m.role == Role.ORGANIZER and m.unit.is_area]
    current = current_campaign(
        [c for c in campaigns if is_bureau_member(request.user, c.org_unit)] or campaigns
    )
    return render(
        request,
        "campaigns/manage_home.html",
        {
            "campaigns": campaigns,
            "regions": regions,
            "memberships": ms,
            # orgs.views.workbench.audit_list's rule: the log is the organizers' and reviewers' (a
            # co-organizer or viewer was shown a link that answered 403).
            "can_audit": request.user.is_superuser
            or any(m.role in (Role.ORGANIZER, Role.REVIEWER) for m in ms),
            "current": current,
            "todo": campaign_todo(current) if current else [],
        },
    )


@login_required
def campaign_new(request: HttpRequest) -> HttpResponse:
    regions = [m.unit for m in memberships_of(request.user) if m.role == Role.ORGANIZER and m.unit.is_area]
    if request.user.is_superuser:
        regions = list(OrgUnit.objects.filter(kind__in=AREA_KINDS))
    if not regions:
        raise PermissionDenied(_("只有组织单位可以新建活动周"))
    region = regions[0]
    if request.POST.get("region"):
        region = get_object_or_404(OrgUnit, pk=request.POST["region"])
        if not can_manage_unit(request.user, region):
            raise PermissionDenied(_("您无权在该地区新建活动周"))
    units = OrgUnit.objects.filter(path__startswith=region.path).exclude(kind__in=AREA_KINDS)
    form = CampaignForm(
        request.POST or None, units=units, initial={"close_of_business": "17:30", "max_video_minutes": 3}
    )
    if request.method == "POST" and form.is_valid():
        data = form.service_fields()
        try:
            campaign = services.campaign_create(actor=request.user, org_unit=region, **data)
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, _("活动周已创建（草稿）。"))
            return redirect("campaigns:dashboard", campaign.pk)
    return render(request, "campaigns/campaign_form.html", {"form": form, "regions": regions, "new": True})


@login_required
def campaign_dashboard(request: HttpRequest, campaign_id: int) -> HttpResponse:
    campaign = access_campaign(request.user, campaign_id, bureau=True)
    m = build_matrix(campaign, show=request.GET.get("show", "all"), sort=request.GET.get("sort", "unit"))
    units = [row.unit for row in m.all_rows]
    return render(
        request,
        "campaigns/dashboard.html",
        {
            "campaign": campaign,
            "activities": list(activities_with_units(campaign)),
            "requirements": m.requirements,
            "matrix": [(row.unit, row.states) for row in m.rows],
            "m": m,
            "charts": campaign_charts(campaign),
            "done_counts": m.done,
            "expected": m.expected,
            "can_manage": can_manage_unit(request.user, campaign.org_unit),
            "staff_counts": dict(
                OrgUnit.objects.filter(pk__in=[u.pk for u in units])
                .annotate(n=Count("staff"))
                .values_list("pk", "n")
            ),
        },
    )


@login_required
def campaign_edit(request: HttpRequest, campaign_id: int) -> HttpResponse:
    campaign = access_campaign(request.user, campaign_id, manage=True)
    form = CampaignForm(request.POST or None, units=_units_of(campaign), initial=campaign_initial(campaign))
    if request.method == "POST" and form.is_valid():
        try:
            services.campaign_update(
                actor=request.user,
                campaign=campaign,
                version=form.cleaned_data["version"],
                **form.service_fields(),
            )
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, _("活动周信息已保存。"))
            return redirect("campaigns:dashboard", campaign.pk)
    return render(request, "campaigns/campaign_form.html", {"form": form, "campaign": campaign})


@login_required
@require_POST
def campaign_status(request: HttpRequest, campaign_id: int) -> HttpResponse:
    campaign = access_campaign(request.user, campaign_id, manage=True)
    try:
        services.campaign_set_status(
            actor=request.user, campaign=campaign, status=request.POST.get("status", "")
        )
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, _("状态已更新。"))
    return redirect("campaigns:dashboard", campaign.pk)


@login_required
def activity_edit(request: HttpRequest, campaign_id: int, activity_id: int | None = None) -> HttpResponse:
    campaign = access_campaign(request.user, campaign_id, bureau=True)
    activity = get_object_or_404(MainActivity, pk=activity_id, campaign=campaign) if activity_id else None
    allowed = (
        can_edit_activity(request.user, activity)
        if activity
        else can_manage_unit(request.user, campaign.org_unit)
    )
    if not allowed:
        raise PermissionDenied(_("您只能修改本单位牵头的主要活动"))
    initial = {"number": campaign.activities.count() + 1, "schedule_note": "另行通知"}
    if activity:
        initial = {
            f: getattr(activity, f)
            for f in (
                "number",
                "title",
                "content",
                "starts_at",
                "ends_at",
                "venue",
                "schedule_note",
                "panel_kind",
                "version",
            )
        }
        initial |= {
            "lead_units": list(activity.lead_units.all()),
            "cooperating_units": list(activity.cooperating_units.all()),
        }
    form = ActivityForm(request.POST or None, units=_units_of(campaign), initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.activity_save(
                actor=request.user,
                campaign=campaign,
                activity=activity,
                version=d["version"],
                number=d["number"],
                title=d["title"],
                lead_units=list(d["lead_units"]),
                cooperating_units=list(d["cooperating_units"]),
                content=d["content"],
                starts_at=d["starts_at"],
                ends_at=d["ends_at"],
                venue=d["venue"],
                schedule_note=d["schedule_note"],
                lead_text=activity.lead_text if activity else "",
                cooperating_text=activity.cooperating_text if activity else "",
                panel_kind=d["panel_kind"],
            )
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, _("主要活动已保存。"))
            if d["starts_at"] and "另行通知" in (d["schedule_note"] or ""):
                messages.warning(
                    request,
                    _("已设定活动时间，但“时间地点说明”仍写着“另行通知”：请修改说明，以免各单位误解。"),
                )
            return redirect("campaigns:dashboard", campaign.pk)
    panels = (
        activity_panels(campaign=campaign, activity=activity, user=request.user, public=False)
        if activity
        else []
    )
    return render(
        request,
        "campaigns/activity_form.html",
        {"form": form, "campaign": campaign, "activity": activity, "panels": panels},
    )


@login_required
@require_safe
def activity_detail(request: HttpRequest, campaign_id: int, activity_id: int) -> HttpResponse:
    """A main activity as the units taking part see it, with the domains' panels scoped to the viewer."""
    campaign = access_campaign(request.user, campaign_id)
    activity = get_object_or_404(
        MainActivity.objects.prefetch_related("lead_units", "cooperating_units"),
        pk=activity_id,
        campaign=campaign,
    )
    bureau = is_bureau_member(request.user, campaign.org_unit)
    return render(
        request,
        "campaigns/activity_detail.html",
        {
            "campaign": campaign,
            "activity": activity,
            "is_bureau": bureau,
            "can_edit": bureau and can_edit_activity(request.user, activity),
            "panels": activity_panels(campaign=campaign, activity=activity, user=request.user, public=False),
        },
    )


@login_required
def requirement_edit(
    request: HttpRequest, campaign_id: int, requirement_id: int | None = None
) -> HttpResponse:
    campaign = access_campaign(request.user, campaign_id, manage=True)
    requirement = (
        get_object_or_404(Requirement, pk=requirement_id, campaign=campaign) if requirement_id else None
    )
    initial = {}
    if requirement:
        initial = {
            f: getattr(requirement, f)
            for f in (
                "kind",
                "title",
                "description",
                "due_at",
                "min_count",
                "target_count",
                "due_is_close_of_business",
                "lock_at_deadline",
                "version",
            )
        }
        initial["applies_to"] = list(requirement.applies_to.all())
    form = RequirementForm(request.POST or None, units=campaign.participating_units(), initial=initial)
    if request.method == "POST" and form.is_valid():
        d = dict(form.cleaned_data)
        version = d.pop("version")
        d["applies_to"] = list(d["applies_to"])
        try:
            services.requirement_save(
                actor=request.user, campaign=campaign, requirement=requirement, version=version, **d
            )
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, _("要求与截止时间已保存。"))
            return redirect("campaigns:dashboard", campaign.pk)
    return render(
        request,
        "campaigns/requirement_form.html",
        {"form": form, "campaign": campaign, "requirement": requirement},
    )


@login_required
@require_POST
def requirement_remove(request: HttpRequest, campaign_id: int, requirement_id: int) -> HttpResponse:
    campaign = access_campaign(request.user, campaign_id, manage=True)
    requirement = get_object_or_404(Requirement, pk=requirement_id, campaign=campaign)
    services.requirement_delete(actor=request.user, requirement=requirement)
    messages.success(request, _("已删除。"))
    return redirect("campaigns:dashboard", campaign.pk)
