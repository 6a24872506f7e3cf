"""Check-in at the door on a staff phone: camera scan or typed code, queued offline, synced once."""

from __future__ import annotations

import json

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from ..access import access_event
from ..checkin import arrivals, checkin_sync
from ..qr import qr_svg
from ..registration import places

MAX_BATCH = 200


@login_required
@never_cache
def checkin_page(request: HttpRequest, event_id: int) -> HttpResponse:
    event = access_event(request.user, event_id, run=True)
    return render(
        request, "events/checkin.html", {"event": event, "arrivals": arrivals(event), "places": places(event)}
    )


@login_required
@require_GET
@never_cache
def counter(request: HttpRequest, event_id: int) -> HttpResponse:
    event = access_event(request.user, event_id, run=True, light=True)
    return render(
        request,
        "events/_counter.html",
        {"event": event, "arrivals": arrivals(event), "places": places(event)},
    )


@login_required
@require_POST
def sync(request: HttpRequest, event_id: int) -> JsonResponse:
    """POST {"scans": [{"uuid", "code", "scanned_at"}, …]} → one result per scan, replay-safe."""
    event = access_event(request.user, event_id, run=True, light=True)
    try:
        payload = json.loads(request.body.decode("utf-8") or "{}")
        scans = payload.get("scans") if isinstance(payload, dict) else None
        if not isinstance(scans, list) or not all(isinstance(s, dict) for s in scans):
            raise ValueError
    except (ValueError, UnicodeDecodeError):
        return JsonResponse({"detail": '数据格式不正确：应为 {"scans": [...]}。'}, status=400)
    if len(scans) > MAX_BATCH:
        return JsonResponse({"detail": f"一次最多同步{MAX_BATCH}条扫码记录。"}, status=400)
    results = checkin_sync(actor=request.user, event=event, scans=scans)
    # No head count here: counting every arrival on every scan grows with the crowd; the page's
    # counter asks for it separately (htmx), as often as a person can read it.
    return JsonResponse(
        {
            "results": [
                {
                    "uuid": r.uuid,
                    "result": r.result,
                    "ok": r.ok,
                    "message": r.message,
                    "name": r.name,
                    "time": r.checked_in_at,
                    "replayed": r.replayed,
                }
                for r in results
            ],
        }
    )


@login_required
def poster(request: HttpRequest, event_id: int) -> HttpResponse:
    """A printable A4 poster for the venue: walk-ins scan it and check themselves in."""
    event = access_event(request.user, event_id, run=True)
    url = request.build_absolute_uri(reverse("events:walkin", args=[event.pk, event.poster_key]))
    return render(
        request, "events/poster.html", {"event": event, "url": url, "qr": qr_svg(url, label="现场签到二维码")}
    )
