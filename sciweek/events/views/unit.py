"""A unit's own events: register them, send them for review, add pictures, record what happened."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from sciweek.campaigns.models import Campaign, Requirement
from sciweek.campaigns.selectors import campaigns_for_unit
from sciweek.core.forms import attach_errors
from sciweek.orgs.access import access_unit, reporting_units
from sciweek.orgs.models import OrgUnit

from .. import services
from ..access import access_event, can_create_for, can_edit_event, can_review_event, can_run_event
from ..cancellation import MAX_REASON, can_cancel_event, cancel_blocker, event_cancel
from ..checkin import arrivals
from ..choices import ImageKind
from ..compliance import min_events
from ..forms import EventForm, OutcomeForm
from ..html import description_html
from ..images import event_add_image, event_remove_image
from ..large import is_large, missing_for_approval, threshold
from ..models import Event, EventImage
from ..registration import places
from ..selectors import live_registrations

FORM_FIELDS = [f for f in EventForm.base_fields if f != "version"]


def _unit_and_campaign(request: HttpRequest) -> tuple[OrgUnit, Campaign]:
    mine = reporting_units(request.user)
    if request.GET.get("unit"):
        unit = access_unit(request.user, request.GET["unit"])
    elif mine:
        unit = mine[0]
    else:
        raise Http404(_("您的账号没有所属单位"))
    campaigns = campaigns_for_unit(unit).select_related("org_unit").order_by("-year", "-start_date")
    campaign = campaigns.filter(pk=request.GET.get("campaign") or 0).first() or campaigns.first()
    if campaign is None:
        raise Http404(_("暂无已发布的活动周"))
    return unit, campaign


@login_required
def my_events(request: HttpRequest) -> HttpResponse:
    unit, campaign = _unit_and_campaign(request)
    events = list(Event.objects.filter(campaign=campaign, unit=unit).order_by("starts_at"))
    rule = campaign.requirements.filter(kind=Requirement.Kind.MIN_EVENTS).first()
    return render(
        request,
        "events/my_events.html",
        {
            "unit": unit,
            "campaign": campaign,
            "events": events,
            "other_units": reporting_units(request.user),
            "rule": rule,
            "rule_state": min_events(rule, unit) if rule else None,
            "can_create": can_create_for(request.user, unit),
        },
    )


@login_required
def event_new(request: HttpRequest) -> HttpResponse:
    unit, campaign = _unit_and_campaign(request)
    if not can_create_for(request.user, unit):
        raise PermissionDenied(_("您不能为该单位登记活动"))
    form = EventForm(request.POST or None, campaign=campaign, initial={"waitlist_limit": 0})
    if request.method == "POST" and form.is_valid():
        try:
            event = services.event_create(
                actor=request.user, campaign=campaign, unit=unit, **form.service_fields()
            )
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, _("活动已保存为草稿。可上传宣传图片，确认无误后提交审核。"))
            return redirect("events:staff_detail", event.pk)
    return render(request, "events/event_form.html", {"form": form, "unit": unit, "campaign": campaign})


@login_required
def event_edit(request: HttpRequest, event_id: int) -> HttpResponse:
    event = access_event(request.user, event_id, edit=True)
    initial = {f: getattr(event, f) for f in FORM_FIELDS} | {"version": event.version}
    form = EventForm(request.POST or None, campaign=event.campaign, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.event_update(
                actor=request.user, event=event, version=form.cleaned_data["version"], **form.service_fields()
            )
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, _("活动已保存。"))
            return redirect("events:staff_detail", event.pk)
    return render(
        request,
        "events/event_form.html",
        {"form": form, "unit": event.unit, "campaign": event.campaign, "event": event},
    )


@login_required
def staff_detail(request: HttpRequest, event_id: int) -> HttpResponse:
    event = access_event(request.user, event_id)
    return render(
        request,
        "events/staff_detail.html",
        {
            "event": event,
            "description": description_html(event.description),
            "places": places(event),
            "arrivals": arrivals(event),
            "images": list(event.images.all()),
            "can_edit": can_edit_event(request.user, event),
            "can_review": can_review_event(request.user, event),
            "can_run": can_run_event(request.user, event),
            "can_cancel": can_cancel_event(request.user, event) and not cancel_blocker(event),
            "editable": event.status in services.EDITABLE,
            "large": is_large(event),
            "large_missing": missing_for_approval(event),
            "large_threshold": threshold(),
        },
    )


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("取消原因"),
        max_length=MAX_REASON,
        widget=forms.Textarea(
            attrs={
                "rows": 3,
                "class": "form-control",
                "placeholder": gettext_lazy("如：受强降雨影响，为保障安全取消。"),
            }
        ),
        help_text=gettext_lazy("将显示在活动页面上，并通过短信发给每位报名者。"),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


@login_required
def event_cancel_view(request: HttpRequest, event_id: int) -> HttpResponse:
    """Confirm, with a reason, that the event is cancelled (the registrants are told by text message)."""
    event = access_event(request.user, event_id)
    if not can_cancel_event(request.user, event):
        raise PermissionDenied(_("只有举办单位和组织单位可以取消活动"))
    form = CancelForm(request.POST or None, initial={"version": event.version})
    if request.method == "POST" and form.is_valid():
        try:
            event_cancel(
                actor=request.user,
                event=event,
                reason=form.cleaned_data["reason"],
                version=form.cleaned_data["version"],
            )
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(
                request, (_("活动「%(title)s」已取消，已通过短信通知报名者。") % {"title": event.title})
            )
            return redirect("events:staff_detail", event.pk)
    return render(
        request,
        "events/event_cancel.html",
        {
            "event": event,
            "form": form,
            "blocker": cancel_blocker(event),
            "live": live_registrations(event),
        },
    )


def _action(request: HttpRequest, event: Event, fn, ok: str, **kwargs) -> HttpResponse:
    try:
        fn(actor=request.user, event=event, **kwargs)
    except ValidationError as exc:
        errors = exc.message_dict.values() if hasattr(exc, "error_dict") else [exc.messages]
        messages.error(request, "；".join(m for group in errors for m in group))
    else:
        messages.success(request, ok)
    return redirect("events:staff_detail", event.pk)


@login_required
@require_POST
def event_submit(request: HttpRequest, event_id: int) -> HttpResponse:
    event = access_event(request.user, event_id, edit=True)
    return _action(
        request,
        event,
        services.event_submit,
        "已提交审核，审核结果会通知本单位。",
        version=request.POST.get("version") or None,
    )


@login_required
@require_POST
def event_delete(request: HttpRequest, event_id: int) -> HttpResponse:
    event = access_event(request.user, event_id, edit=True)
    try:
        services.event_delete(actor=request.user, event=event)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return redirect("events:staff_detail", event.pk)
    messages.success(request, (_("活动「%(title)s」已删除。") % {"title": event.title}))
    return redirect(f"/my/events/?unit={event.unit_id}&campaign={event.campaign_id}")


@login_required
@require_POST
def image_upload(request: HttpRequest, event_id: int) -> HttpResponse:
    event = access_event(request.user, event_id, edit=True)
    kind = request.POST.get("kind", "")
    if kind not in ImageKind.values:
        kind = ImageKind.PROMO
    files = request.FILES.getlist("images")
    if not files:
        messages.error(request, _("请选择要上传的图片。"))
    done = 0
    for upload in files[:10]:
        try:
            event_add_image(actor=request.user, event=event, upload=upload, kind=kind)
            done += 1
        except ValidationError as exc:
            messages.error(request, "；".join(m for ms in exc.message_dict.values() for m in ms))
    if done:
        messages.success(request, (_("已上传%(done)s张图片。") % {"done": done}))
    return redirect("events:staff_detail", event.pk)


@login_required
@require_POST
def image_delete(request: HttpRequest, event_id: int, image_id: int) -> HttpResponse:
    event = access_event(request.user, event_id, edit=True)
    event_remove_image(actor=request.user, image=get_object_or_404(EventImage, pk=image_id, event=event))
    messages.success(request, _("图片已删除。"))
    return redirect("events:staff_detail", event.pk)


@login_required
def image_staff(request: HttpRequest, event_id: int, image_id: int) -> HttpResponseBase:
    """Pictures of events not (yet) published, for the unit and the organizer."""
    from django.core.files.storage import default_storage
    from django.http import FileResponse

    event = access_event(request.user, event_id)
    img = get_object_or_404(EventImage, pk=image_id, event=event)
    name = (img.thumbnail.name if request.GET.get("thumb") and img.thumbnail else img.file.name) or ""
    try:
        return FileResponse(default_storage.open(name, "rb"))
    except FileNotFoundError:
        raise Http404(_("图片不存在"))


@login_required
def outcome(request: HttpRequest, event_id: int) -> HttpResponse:
    event = access_event(request.user, event_id, run=True)
    arrived = arrivals(event)
    initial = {
        "version": event.version,
        "online_audience": event.online_audience,
        "online_audience_source": event.online_audience_source,
        "outcome_note": event.outcome_note,
        "offline_participants": event.offline_participants
        if event.offline_participants is not None
        else (arrived["people"] if event.is_offline else None),
    }
    form = OutcomeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.event_record_outcome(
                actor=request.user,
                event=event,
                version=d["version"],
                offline_participants=d["offline_participants"],
                online_audience=d["online_audience"],
                online_audience_source=d["online_audience_source"],
                outcome_note=d["outcome_note"],
            )
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, _("活动情况已登记，将用于统计表核对。"))
            return redirect("events:staff_detail", event.pk)
    return render(
        request,
        "events/outcome_form.html",
        {
            "form": form,
            "event": event,
            "arrived": arrived,
            "photos": list(event.images.filter(kind=ImageKind.PHOTO)),
        },
    )
