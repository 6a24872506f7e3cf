"""The public side, no login: the week's calendar, event pages with QR codes, iCal, online links.

A cancelled event keeps its page, QR code and iCal entry, marked 已取消 with the reason."""

from __future__ import annotations

from urllib.parse import urlencode

from django.core.cache import cache
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.db.models import F
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from sciweek.core import clock

from .. import cache as sw_cache
from .. import ical, selectors
from ..choices import CATEGORY_CHOICES, EventStatus, ImageKind
from ..html import description_html
from ..models import Event, EventImage
from ..qr import qr_svg_cached, qr_svg_document
from ..registration import places

PAGE_CACHE_SECONDS = 300


def _body_html(campaign, f: selectors.CalendarFilter, language: str, host: str = "") -> str:
    """Everything below the navigation bar, rendered once per calendar version and query (shared cache)."""
    key = ":".join(
        [
            "events:cal",
            str(campaign.pk),
            sw_cache.version(campaign.pk),
            clock.demo_label(),  # registration open or closed moves with the demo clock's phase
            language,
            host,  # the webcal:// subscription link names it
            f.cache_key(),
            "|".join(f.errors),
        ]
    )
    html = cache.get(key)
    if html is None:
        qs = selectors.filtered(campaign, f).select_related("unit").order_by("starts_at", "id")
        page = Paginator(
            qs.only(
                "id",
                "title",
                "category",
                "mode",
                "starts_at",
                "ends_at",
                "venue",
                "unit__name",
                "unit__short_name",
                "registration_enabled",
                "capacity",
                "online_platform",
                "status",
                "cancel_reason",
            ),
            selectors.PAGE_SIZE,
        ).get_page(f.page)
        html = render_to_string(
            "events/_calendar_body.html",
            {
                "campaign": campaign,
                "f": f,
                "page": page,
                "days": selectors.day_counts(campaign, f),
                "query": _query(f),
                "units": selectors.unit_options(campaign),
                "categories": CATEGORY_CHOICES,
                "request_host": host,
                "activity": campaign.activities.filter(number=f.activity).first() if f.activity else None,
            },
        )
        cache.set(key, html, PAGE_CACHE_SECONDS)
    return html


def _query(f: selectors.CalendarFilter) -> str:
    parts = {
        "unit": f.unit or "",
        "activity": f.activity or "",
        "category": f.category,
        "mode": f.mode,
        "q": f.q,
    }
    return urlencode({k: v for k, v in parts.items() if v})


@require_GET
def calendar(request: HttpRequest, campaign_id: int | None = None) -> HttpResponse:
    campaign = selectors.public_campaign(campaign_id)
    f = selectors.CalendarFilter.parse(request.GET, campaign)
    body = mark_safe(_body_html(campaign, f, request.LANGUAGE_CODE, request.get_host()))  # noqa: S308 — our own template's output
    return render(request, "events/calendar.html", {"campaign": campaign, "body": body})


@require_GET
def detail(request: HttpRequest, event_id: int) -> HttpResponse:
    event = selectors.shown_event(event_id)
    share_url = request.build_absolute_uri(reverse("events:detail", args=[event.pk]))
    return render(
        request,
        "events/detail.html",
        {
            "event": event,
            "campaign": event.campaign,
            "share_url": share_url,
            "qr": qr_svg_cached(share_url, label=f"活动「{event.title}」的链接二维码"),
            "description": description_html(event.description),
            "places": places(event),
            "images": list(event.images.all()),
            "registration_open": event.registration_open(),
            "cancelled": event.status == EventStatus.CANCELLED,
            # The holding unit's contact for its events (its primary named staff); the campaign's only
            # when the unit has named nobody.
            "event_contact": event.unit.staff.order_by("-is_primary", "id").first(),
        },
    )


@require_GET
@cache_control(public=True, max_age=3600)
def share_qr(request: HttpRequest, event_id: int) -> HttpResponse:
    event = selectors.shown_event(event_id)
    url = request.build_absolute_uri(reverse("events:detail", args=[event.pk]))
    response = HttpResponse(qr_svg_document(url), content_type="image/svg+xml")
    response["Content-Disposition"] = f'inline; filename="event-{event.pk}-qr.svg"'
    return response


def _ics_response(text: str, filename: str) -> HttpResponse:
    response = HttpResponse(text.encode("utf-8"), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_GET
def event_ics(request: HttpRequest, event_id: int) -> HttpResponse:
    event = selectors.shown_event(event_id)
    body = ical.calendar(
        [event],
        name=event.title,
        host=request.get_host().split(":")[0],
        url_for=lambda e: request.build_absolute_uri(reverse("events:detail", args=[e.pk])),
    )
    return _ics_response(body, f"event-{event.pk}.ics")


@require_GET
def campaign_ics(request: HttpRequest, campaign_id: int | None = None) -> HttpResponse:
    campaign = selectors.public_campaign(campaign_id)
    events = selectors.listed(campaign).select_related("unit").order_by("starts_at", "id")
    body = ical.calendar(
        events.iterator(chunk_size=500),
        name=campaign.title,
        host=request.get_host().split(":")[0],
        url_for=lambda e: request.build_absolute_uri(reverse("events:detail", args=[e.pk])),
    )
    return _ics_response(body, f"campaign-{campaign.pk}.ics")


@require_GET
def go(request: HttpRequest, event_id: int) -> HttpResponse:
    """Count a click on an online event's link, then send the visitor there (only to its http(s) link).

    A cancelled event's link leads to its page, which says so."""
    event = selectors.shown_event(event_id)
    if event.status == EventStatus.CANCELLED:
        return HttpResponseRedirect(reverse("events:detail", args=[event.pk]))
    target = event.safe_online_url
    if not target:
        raise Http404(_("该活动没有线上链接"))
    Event.objects.filter(pk=event.pk).update(click_count=F("click_count") + 1)
    response = HttpResponseRedirect(target)
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "no-referrer"
    return response


@require_GET
def image(request: HttpRequest, event_id: int, image_id: int) -> FileResponse:
    """A published (or cancelled) event's pictures (promotion and outcome photos); ?thumb=1 for thumbnails."""
    event = selectors.shown_event(event_id)
    img = get_object_or_404(EventImage, pk=image_id, event=event, kind__in=ImageKind.values)
    name = (img.thumbnail.name if request.GET.get("thumb") and img.thumbnail else img.file.name) or ""
    try:
        handle = default_storage.open(name, "rb")
    except FileNotFoundError:
        raise Http404(_("图片不存在"))
    response = FileResponse(handle, content_type="image/jpeg" if name.endswith(".jpg") else None)
    response["Cache-Control"] = "public, max-age=86400"
    response["X-Content-Type-Options"] = "nosniff"
    return response
