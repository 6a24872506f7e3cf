"""The organizer reviews units' events: approve (publish) or return with a reason. The organizer and the
event's staff see its registrations (and export them as CSV) and the text messages sent about it."""

from __future__ import annotations

import re
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Case, Count, When
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from sciweek.campaigns.access import access_campaign, visible_campaigns
from sciweek.campaigns.models import Campaign
from sciweek.core.models import OutboundMessage
from sciweek.core.sms import retryable, sms_retry
from sciweek.orgs.access import can_manage_unit, is_bureau_member

from .. import services
from ..access import access_event, can_see_phones
from ..cancellation import can_cancel_event
from ..choices import EventStatus
from ..export import registrations_csv
from ..forms import ReturnForm
from ..messaging import KIND_LABELS
from ..models import Event
from ..registration import places

TICKET_LINK = re.compile(r"(/events/ticket/)[^/\s]+/?")


@login_required
def review_list(request: HttpRequest) -> HttpResponse:
    campaign: Campaign | None
    if request.GET.get("campaign"):
        campaign = access_campaign(request.user, request.GET["campaign"], bureau=True)
    else:
        campaign = next(
            (
                c
                for c in visible_campaigns(request.user).order_by("-year", "-start_date")
                if is_bureau_member(request.user, c.org_unit)
            ),
            None,
        )
        if campaign is None:
            raise PermissionDenied(_("只有组织单位可以审核活动"))
    status = request.GET.get("status", EventStatus.SUBMITTED)
    qs = Event.objects.filter(campaign=campaign).select_related("unit").order_by("starts_at", "id")
    counts = dict(qs.order_by().values_list("status").annotate(n=Count("id")).values_list("status", "n"))
    if status in EventStatus.values:
        qs = qs.filter(status=status)
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    return render(
        request,
        "events/review_list.html",
        {
            "campaign": campaign,
            "page": page,
            "status": status,
            "counts": counts,
            "statuses": EventStatus.choices,
            "can_review": can_manage_unit(request.user, campaign.org_unit),
            "return_form": ReturnForm(),
        },
    )


@login_required
@require_POST
def review(request: HttpRequest, event_id: int) -> HttpResponse:
    event = access_event(request.user, event_id, review=True)
    raw_version = request.POST.get("version", "")
    # A value that is no number is no version ever shown: refused as stale (it was a 500 in int()).
    version = int(raw_version) if raw_version.isdigit() else (-1 if raw_version else None)
    try:
        if request.POST.get("decision") == "approve":
            services.event_approve(actor=request.user, event=event, version=version)
            messages.success(
                request, (_("「%(title)s」已通过审核并发布到公众活动日历。") % {"title": event.title})
            )
        else:
            services.event_return(
                actor=request.user, event=event, reason=request.POST.get("reason", ""), version=version
            )
            messages.success(
                request,
                (
                    _("「%(title)s」已退回，已通知%(display_name)s。")
                    % {"title": event.title, "display_name": event.unit.display_name}
                ),
            )
    except ValidationError as exc:
        errors = exc.message_dict.values() if hasattr(exc, "error_dict") else [exc.messages]
        messages.error(request, f"「{event.title}」：" + "；".join(m for group in errors for m in group))
    return redirect(
        request.POST.get("next", "")
        if str(request.POST.get("next", "")).startswith("/manage/events/")
        else f"/manage/events/?campaign={event.campaign_id}"
    )


@login_required
def registrations(request: HttpRequest, event_id: int) -> HttpResponse:
    event = access_event(request.user, event_id, run=True)
    order = Case(When(status="confirmed", then=0), When(status="waitlisted", then=1), default=2)
    qs = event.registrations.select_related("checkin").order_by(order, "created_at", "id")
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "events/registrations.html",
        {
            "event": event,
            "page": page,
            "places": places(event),
            "full_phones": can_see_phones(request.user, event),
        },
    )


@login_required
@require_GET
def registrations_export(request: HttpRequest, event_id: int) -> HttpResponse:
    """The registrations as CSV (UTF-8 with BOM for Excel); audited, phones masked as on the page."""
    event = access_event(request.user, event_id, run=True)
    name, data, _rows = registrations_csv(actor=request.user, event=event)
    response = HttpResponse(data, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f"attachment; filename=\"registrations-{event.pk}.csv\"; filename*=UTF-8''{quote(name)}"
    )
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_GET
def messages_log(request: HttpRequest, event_id: int) -> HttpResponse:
    """The text messages sent to the event's registrants, newest first (mobile numbers masked)."""
    event = access_event(request.user, event_id, run=True)
    qs = OutboundMessage.objects.filter(event=event).order_by("-created_at", "-id")
    counts = dict(qs.order_by().values_list("status").annotate(n=Count("id")).values_list("status", "n"))
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    for m in page:
        # A ticket link lets its holder cancel the registration: staff see that one was sent, not it.
        m.shown_text = TICKET_LINK.sub(r"\1…/", m.text)
    return render(
        request,
        "events/messages.html",
        {
            "event": event,
            "page": page,
            "counts": counts,
            "statuses": OutboundMessage.Status.choices,
            "kinds": KIND_LABELS,
            "retry": [m.pk for m in page if retryable(m)] if can_cancel_event(request.user, event) else [],
        },
    )


@login_required
@require_POST
def messages_retry(request: HttpRequest, event_id: int) -> HttpResponse:
    """Send failed (or lost) messages again: the event's unit and the organizer, as for cancelling."""
    event = access_event(request.user, event_id, run=True)
    if not can_cancel_event(request.user, event):
        raise PermissionDenied(_("只有举办单位和组织单位可以重新发送短信"))
    ids = [int(x) for x in request.POST.getlist("ids") if x.isdigit()][:500]
    qs = (
        OutboundMessage.objects.filter(event=event, pk__in=ids)
        if ids
        else OutboundMessage.objects.filter(event=event, status=OutboundMessage.Status.FAILED)
    )
    with transaction.atomic():
        n = sms_retry(actor=request.user, messages=list(qs), unit_path=event.unit.path)
    if n:
        messages.success(request, (_("已重新排队发送%(n)s条短信。") % {"n": n}))
    else:
        messages.info(request, _("没有需要重新发送的短信。"))
    return redirect("events:messages", event.pk)
