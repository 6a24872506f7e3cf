"""Check-in at the door on a staff phone: camera scan or typed code, queued offline, synced once.

The page and its live counter renew the phone's door pass (events.door); the scan endpoint takes the
pass instead of loading the session, the user and the scope for every scan, and falls back to
them without one.
"""

from __future__ import annotations

import json

from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.db import IntegrityError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from sciweek.accounts.middleware import checks_own_user, password_gate

from ..access import access_event
from ..checkin import arrivals, checkin_sync
from ..door import issue_pass, read_pass
from ..qr import qr_svg
from ..registration import places

MAX_BATCH = 200


@login_required
@never_cache
def checkin_page(request: HttpRequest, event_id: int) -> HttpResponse:
    event = access_event(request.user, event_id, run=True)
    response = render(
        request, "events/checkin.html", {"event": event, "arrivals": arrivals(event), "places": places(event)}
    )
    return issue_pass(response, request=request, event=event)


@login_required
@require_GET
@never_cache
def counter(request: HttpRequest, event_id: int) -> HttpResponse:
    event = access_event(request.user, event_id, run=True, light=True)
    response = render(
        request,
        "events/_counter.html",
        {"event": event, "arrivals": arrivals(event), "places": places(event)},
    )
    return issue_pass(response, request=request, event=event)


@checks_own_user
@require_POST
def sync(request: HttpRequest, event_id: int) -> JsonResponse | HttpResponse:
    """POST {"scans": [{"uuid", "code", "scanned_at"}, …]} → one result per scan, replay-safe.

    With the phone's door pass nothing but the scans touches the database; without one, the
    session, the forced password change and the event's scope are checked as on any page."""
    door = read_pass(request, event_id)
    if door is None:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if (forced := password_gate(request)) is not None:
            return forced
        actor, event = request.user, access_event(request.user, event_id, run=True, light=True)
    else:
        actor, event = door.actor, door.event
    try:
        payload = json.loads(request.body.decode("utf-8") or "{}")
        scans = payload.get("scans") if isinstance(payload, dict) else None
        if not isinstance(scans, list) or not all(isinstance(s, dict) for s in scans):
            raise ValueError
    except (ValueError, UnicodeDecodeError):
        return JsonResponse({"detail": _('数据格式不正确：应为 {"scans": [...]}。')}, status=400)
    if len(scans) > MAX_BATCH:
        return JsonResponse(
            {"detail": (_("一次最多同步%(MAX_BATCH)s条扫码记录。") % {"MAX_BATCH": MAX_BATCH})}, status=400
        )
    try:
        results = checkin_sync(actor=actor, event=event, scans=scans)
    except IntegrityError:
        if door is None:
            raise
        # The event (or the user) the pass names was deleted since: nothing was kept.
        return JsonResponse({"detail": _("活动不存在或签到链接已失效，请刷新页面。")}, status=404)
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
