"""The organizer's pages for one campaign: reminder rules, the preview (dry run), what was sent to a
unit (with a resend button), the confirmations of "other" requirements, the morning digest, and the
campaign's status with what it opens."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Max, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from sciweek.campaigns import lifecycle
from sciweek.campaigns.access import access_campaign
from sciweek.campaigns.forms import BootstrapMixin
from sciweek.campaigns.lifecycle import CampaignClosedError
from sciweek.campaigns.models import Campaign, Requirement
from sciweek.core import clock
from sciweek.core.forms import attach_errors
from sciweek.core.masking import mask_phone
from sciweek.orgs.access import can_manage_unit
from sciweek.orgs.models import OrgUnit

from ..confirmations import confirmation_clear, confirmation_set
from ..digest import digest_for
from ..models import Confirmation, Occurrence
from ..planning import plan
from ..selectors import unclaimed
from ..sending import deliver
from ..services import format_offsets, occurrence_resend, parse_offsets, rule_of, rule_save
from ..slots import all_slots


def _requirement(campaign: Campaign, requirement_id: int) -> Requirement:
    req = get_object_or_404(Requirement, pk=requirement_id, campaign=campaign)
    req.campaign = campaign
    return req


@login_required
@require_GET
def rules(request: HttpRequest, campaign_id: int) -> HttpResponse:
    campaign = access_campaign(request.user, campaign_id, bureau=True)
    rows = []
    for req in campaign.requirements.all():
        rule = rule_of(req)
        rows.append(
            {
                "req": req,
                "rule": rule,
                "before": format_offsets(rule.before_minutes),
                "slots": [s for s in all_slots(rule, req.due_at)] if rule.enabled else [],
            }
        )
    return render(
        request,
        "reminders/rules.html",
        {"campaign": campaign, "rows": rows, "can_edit": can_manage_unit(request.user, campaign.org_unit)},
    )


class RuleForm(BootstrapMixin, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    enabled = forms.BooleanField(label=gettext_lazy("发送提醒"), required=False)
    before = forms.CharField(
        label=gettext_lazy("截止前提醒"),
        max_length=100,
        required=False,
        help_text=gettext_lazy("如：3天、1天、2小时；留空为截止前不提醒"),
    )
    overdue_max = forms.IntegerField(
        label=gettext_lazy("逾期后提醒次数上限"),
        min_value=0,
        max_value=30,
        help_text=gettext_lazy("逾期后每个工作日提醒一次；0 为不提醒"),
    )
    overdue_time = forms.TimeField(
        label=gettext_lazy("逾期提醒时间"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    escalate_after = forms.IntegerField(
        label=gettext_lazy("升级前逾期提醒次数"),
        min_value=0,
        max_value=30,
        help_text=gettext_lazy("逾期提醒这么多次之后，同时告知单位负责人和组织单位；0 为不升级"),
    )


@login_required
def rule_edit(request: HttpRequest, campaign_id: int, requirement_id: int) -> HttpResponse:
    campaign = access_campaign(request.user, campaign_id, manage=True)
    req = _requirement(campaign, requirement_id)
    rule = rule_of(req)
    if request.method == "POST":
        form = RuleForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                rule_save(
                    actor=request.user,
                    requirement=req,
                    version=data["version"],
                    enabled=data["enabled"],
                    before=parse_offsets(data["before"]),
                    overdue_max=data["overdue_max"],
                    overdue_time=data["overdue_time"],
                    escalate_after=data["escalate_after"],
                )
            except CampaignClosedError as exc:
                form.add_error(None, exc.message)
            except ValidationError as exc:
                attach_errors(form, exc)
            else:
                messages.success(request, (_("“%(title)s”的提醒规则已保存。") % {"title": req.title}))
                return redirect("reminders:rules", campaign.pk)
    else:
        form = RuleForm(
            initial={
                "version": rule.version if rule.pk else None,
                "enabled": rule.enabled,
                "before": format_offsets(rule.before_minutes),
                "overdue_max": rule.overdue_max,
                "overdue_time": rule.overdue_time,
                "escalate_after": rule.escalate_after,
            }
        )
    return render(request, "reminders/rule_form.html", {"campaign": campaign, "req": req, "form": form})


def parse_moment(text: str) -> dt.datetime | None:
    for fmt in ("%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"):
        try:
            return timezone.make_aware(dt.datetime.strptime(text.strip(), fmt))
        except ValueError:
            continue
    return None


@login_required
@require_GET
def preview(request: HttpRequest, campaign_id: int) -> HttpResponse:
    campaign = access_campaign(request.user, campaign_id, bureau=True)
    raw = (request.GET.get("at") or "").strip()
    at = parse_moment(raw) if raw else clock.now()
    if at is None:
        messages.warning(
            request,
            (_("时间「%(raw)s」格式不正确，应为 2023-05-29 09:00，已按现在计算。") % {"raw": raw[:30]}),
        )
        at = clock.now()
    rows = unclaimed(plan(at=at, campaign_ids=[campaign.pk]))
    # One entry per unit and requirement, its people and channels on one line: readable on a phone.
    groups: dict[tuple, dict] = {}
    for r in rows:
        g = groups.setdefault(
            (r.unit_id, r.requirement_id, r.slot),
            {
                "unit": r.unit_name,
                "title": r.requirement_title,
                "due_at": r.due_at,
                "escalation": False,
                "people": {},
            },
        )
        g["escalation"] |= r.escalation
        g["people"].setdefault(r.username, []).append(
            {"channel": r.channel, "later": r.send_after if r.send_after > at else None}
        )
    page = Paginator(list(groups.values()), 100).get_page(request.GET.get("page"))
    return render(
        request,
        "reminders/preview.html",
        {
            "campaign": campaign,
            "page": page,
            "total": len(rows),
            "at": timezone.localtime(at),
            "units": len({r.unit_id for r in rows}),
        },
    )


@login_required
@require_GET
def unit_log(request: HttpRequest, campaign_id: int, unit_id: int) -> HttpResponse:
    """What was sent to one unit's people, when, and whether it arrived."""
    campaign = access_campaign(request.user, campaign_id, bureau=True)
    unit = get_object_or_404(OrgUnit, pk=unit_id)
    if not unit.path.startswith(campaign.org_unit.path):
        raise Http404(_("单位不存在"))
    qs = (
        Occurrence.objects.filter(requirement__campaign=campaign, unit=unit)
        .select_related("user", "requirement", "message")
        .order_by("-created_at", "-id")
    )
    channel = request.GET.get("channel") or ""
    if channel in ("inapp", "email", "sms"):
        qs = qs.filter(channel=channel)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    for o in page:
        o.shown_address = mask_phone(o.address) if o.channel == "sms" else o.address
    return render(
        request,
        "reminders/unit_log.html",
        {
            "campaign": campaign,
            "unit": unit,
            "page": page,
            "channel": channel,
            "can_resend": can_manage_unit(request.user, campaign.org_unit),
        },
    )


@login_required
@require_POST
def resend(request: HttpRequest, campaign_id: int, occurrence_id: int) -> HttpResponse:
    campaign = access_campaign(request.user, campaign_id, manage=True)
    occ = get_object_or_404(Occurrence, pk=occurrence_id, requirement__campaign=campaign)
    try:
        with transaction.atomic():
            occurrence_resend(actor=request.user, occurrence=occ)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        result = deliver(ids=[occ.pk])
        if result.sent:
            messages.success(request, _("已重新发送。"))
        else:
            occ.refresh_from_db()
            messages.error(request, (_("重新发送失败：%(value)s") % {"value": occ.detail or _("原因未知")}))
    return redirect("reminders:unit_log", campaign.pk, occ.unit_id)


@login_required
def confirmations(request: HttpRequest, campaign_id: int, requirement_id: int) -> HttpResponse:
    campaign = access_campaign(request.user, campaign_id, bureau=True)
    req = _requirement(campaign, requirement_id)
    if req.kind != Requirement.Kind.OTHER:
        raise Http404(_("该要求由系统根据记录自动判断，无需确认"))
    can_edit = can_manage_unit(request.user, campaign.org_unit)
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied(_("只有组织单位（主办）可以确认"))
        unit = get_object_or_404(OrgUnit, pk=request.POST.get("unit") or 0)
        try:
            if request.POST.get("clear"):
                confirmation_clear(actor=request.user, requirement=req, unit=unit)
                messages.success(request, (_("已取消对%(name)s的确认。") % {"name": unit.name}))
            else:
                confirmation_set(
                    actor=request.user, requirement=req, unit=unit, note=request.POST.get("note", "")
                )
                messages.success(request, (_("已确认%(name)s完成。") % {"name": unit.name}))
        except CampaignClosedError as exc:
            messages.error(request, exc.message)
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        return redirect("reminders:confirmations", campaign.pk, req.pk)
    applies = [u.pk for u in req.applies_to.all()]
    units = list(campaign.participating_units())
    if applies:
        units = [u for u in units if u.pk in applies]
    done = {c.unit_id: c for c in Confirmation.objects.filter(requirement=req).select_related("confirmed_by")}
    rows = [{"unit": u, "confirmation": done.get(u.pk)} for u in units]
    return render(
        request,
        "reminders/confirmations.html",
        {"campaign": campaign, "req": req, "rows": rows, "can_edit": can_edit, "done": len(done)},
    )


@login_required
@require_GET
def digest(request: HttpRequest, campaign_id: int) -> HttpResponse:
    campaign = access_campaign(request.user, campaign_id, bureau=True)
    return render(
        request,
        "reminders/digest.html",
        {"campaign": campaign, "digest": digest_for(campaign, at=clock.now())},
    )


@login_required
@require_GET
def status(request: HttpRequest, campaign_id: int) -> HttpResponse:
    campaign = access_campaign(request.user, campaign_id, bureau=True)
    return render(
        request,
        "reminders/status.html",
        {
            "campaign": campaign,
            "open": lifecycle.describe(campaign),
            "due": lifecycle.due_status(campaign),
            "close_at": lifecycle.close_at(campaign),
            "statuses": Campaign.Status.choices,
            "can_edit": can_manage_unit(request.user, campaign.org_unit),
        },
    )


@login_required
@require_GET
def sent_overview(request: HttpRequest, campaign_id: int) -> HttpResponse:
    """Per unit: how many reminders went out, how many failed, the last one."""
    campaign = access_campaign(request.user, campaign_id, bureau=True)
    rows = (
        Occurrence.objects.filter(requirement__campaign=campaign)
        .values("unit_id", "unit__name")
        .annotate(
            total=Count("id"),
            failed=Count("id", filter=Q(status=Occurrence.Status.FAILED) | Q(message__status="failed")),
            waiting=Count("id", filter=Q(status__in=[Occurrence.Status.PENDING, Occurrence.Status.SENDING])),
            last=Max("created_at"),
        )
        .order_by("-failed", "unit__name")
    )
    return render(request, "reminders/sent_overview.html", {"campaign": campaign, "rows": rows})
