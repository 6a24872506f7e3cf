"""/api/v1/events: published events for anyone (no token); units' events, registrations, check-in by scope.

The same services and access checks as the pages: a unit writes only its own events, sees only its
own events' registrations (mobile numbers masked unless the caller may see them), checks in only
at events it runs. Check-in takes one token / typed code, or a phone's queued scans with their UUIDs
(replay-safe: a scan sent twice is stored and counted once).
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, QueryDict
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status

from sciweek.campaigns.access import access_campaign
from sciweek.core.masking import mask_phone
from sciweek.events import selectors, services
from sciweek.events.access import access_event, can_create_for, can_see_phones, visible_events
from sciweek.events.cancellation import can_cancel_event, event_cancel
from sciweek.events.checkin import arrivals, checkin_sync
from sciweek.events.choices import EventStatus
from sciweek.events.html import description_html
from sciweek.events.models import Event
from sciweek.events.places import Places, places_many
from sciweek.events.registration import places
from sciweek.orgs.access import access_unit

router = Router(tags=["events"])


class EventOut(Schema):
    id: int
    campaign_id: int
    unit_id: int
    unit_name: str
    title: str
    category: str
    audiences: list[str]
    mode: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    venue: str
    address: str
    online_platform: str
    online_link: str  # the counting redirect /events/<id>/go/, never the raw address
    registration_enabled: bool
    capacity: int | None
    places_left: int | None
    description_html: str
    url: str
    cancelled: bool  # cancelled events stay listed, marked, with the reason
    cancel_reason: str


class StaffEventOut(EventOut):
    status: str
    return_reason: str
    version: int
    expected_scale: int | None
    safety_contact: str
    safety_phone: str
    online_url: str
    click_count: int
    offline_participants: int | None
    online_audience: int | None
    online_audience_source: str


class EventPage(Schema):
    count: int
    items: list[EventOut]


class EventIn(Schema):
    title: str
    category: str
    mode: str = "offline"
    starts_at: dt.datetime
    ends_at: dt.datetime
    audiences: list[str] = []
    content_theme_id: int | None = None
    main_activity_id: int | None = None
    venue: str = ""
    address: str = ""
    registration_enabled: bool = False
    capacity: int | None = None
    waitlist_limit: int = 0
    expected_scale: int | None = None
    safety_contact: str = ""
    safety_phone: str = ""
    online_url: str = ""
    online_platform: str = ""
    description: str = ""
    backfill: bool = False


class EventCreate(EventIn):
    campaign_id: int
    unit_id: int


class EventUpdate(EventIn):
    version: int


class CancelIn(Schema):
    reason: str
    version: int | None = None


class ReviewIn(Schema):
    decision: Literal["approve", "return"]
    reason: str = ""
    version: int | None = None


class RegistrationOut(Schema):
    id: int
    name: str
    phone: str
    party_size: int
    status: str
    created_at: dt.datetime
    checked_in_at: dt.datetime | None


class ScanIn(Schema):
    uuid: str
    code: str
    scanned_at: dt.datetime | None = None


class CheckinIn(Schema):
    token: str = ""
    scans: list[ScanIn] = []


class ScanOut(Schema):
    uuid: str
    result: str
    ok: bool
    message: str
    name: str
    time: str
    replayed: bool


class CheckinOut(Schema):
    results: list[ScanOut]
    checkins: int
    people: int


def _out(request: HttpRequest, e: Event, *, staff: bool = False, known: Places | None = None) -> dict:
    p = (known or places(e)) if e.registration_enabled else None
    data = {
        "id": e.pk,
        "campaign_id": e.campaign_id,
        "unit_id": e.unit_id,
        "unit_name": e.unit.name,
        "title": e.title,
        "category": e.category,
        "audiences": e.audiences,
        "mode": e.mode,
        "starts_at": e.starts_at,
        "ends_at": e.ends_at,
        "venue": e.venue,
        "address": e.address,
        "online_platform": e.online_platform,
        "online_link": request.build_absolute_uri(reverse("events:go", args=[e.pk]))
        if e.safe_online_url
        else "",
        "registration_enabled": e.registration_enabled,
        "capacity": e.capacity,
        "places_left": p.left if p else None,
        "description_html": str(description_html(e.description)),
        "url": request.build_absolute_uri(reverse("events:detail", args=[e.pk])),
        "cancelled": e.status == EventStatus.CANCELLED,
        "cancel_reason": e.cancel_reason,
    }
    if staff:
        data |= {
            f: getattr(e, f)
            for f in (
                "status",
                "return_reason",
                "version",
                "expected_scale",
                "safety_contact",
                "safety_phone",
                "online_url",
                "click_count",
                "offline_participants",
                "online_audience",
                "online_audience_source",
            )
        }
    return data


class CalendarQuery(Schema):
    campaign: int | None = None
    day: str = ""
    unit: int | None = None
    category: str = ""
    mode: str = ""
    q: str = ""
    limit: int = 50
    offset: int = 0


@router.get("/", response=EventPage, auth=None, summary="Published events (public, no token)")
def list_events(request, filters: Query[CalendarQuery]):
    campaign = selectors.public_campaign(filters.campaign)
    params = {
        k: str(v)
        for k, v in filters.dict().items()
        if v not in (None, "") and k in ("day", "unit", "category", "mode", "q")
    }
    qd = QueryDict(mutable=True)
    qd.update(params)
    if "day" not in params:
        qd["day"] = "all"
    f = selectors.CalendarFilter.parse(qd, campaign)
    qs = selectors.filtered(campaign, f).select_related("unit").order_by("starts_at", "id")
    limit, offset = max(1, min(filters.limit, 200)), max(0, filters.offset)
    page = list(qs[offset : offset + limit])
    known = places_many(page)
    return {"count": qs.count(), "items": [_out(request, e, known=known[e.pk]) for e in page]}


@router.get("/scoped/", response=list[StaffEventOut], summary="Events the caller may see (any status)")
def list_scoped(request, campaign: int, status: str = ""):
    camp = access_campaign(request.auth, campaign)
    qs = visible_events(request.auth).filter(campaign=camp).select_related("unit").order_by("starts_at", "id")
    if status:
        qs = qs.filter(status=status)
    page = list(qs[:1000])
    known = places_many(page)
    return [_out(request, e, staff=True, known=known[e.pk]) for e in page]


@router.get(
    "/{event_id}",
    response=EventOut,
    auth=None,
    summary="One published (or cancelled) event (public, no token)",
)
def get_event(request, event_id: int):
    return _out(request, selectors.shown_event(event_id))


def _fields(payload: EventIn, campaign) -> dict:
    data = payload.dict(exclude={"campaign_id", "unit_id", "version", "content_theme_id", "main_activity_id"})
    data["content_theme"] = data["main_activity"] = None
    if payload.content_theme_id is not None:
        data["content_theme"] = campaign.content_themes.filter(pk=payload.content_theme_id).first()
        if data["content_theme"] is None:
            raise ValidationError({"content_theme_id": _("内容主题不属于本次活动周。")})
    if payload.main_activity_id is not None:
        data["main_activity"] = campaign.activities.filter(pk=payload.main_activity_id).first()
        if data["main_activity"] is None:
            raise ValidationError({"main_activity_id": _("主要活动不属于本次活动周。")})
    return data


@router.post("/", response={201: StaffEventOut}, summary="Register a unit's event (draft)")
def create_event(request, payload: EventCreate):
    unit = access_unit(request.auth, payload.unit_id)
    if not can_create_for(request.auth, unit):
        raise PermissionDenied(_("您不能为该单位登记活动"))
    campaign = access_campaign(request.auth, payload.campaign_id)
    event = services.event_create(
        actor=request.auth, campaign=campaign, unit=unit, **_fields(payload, campaign)
    )
    return Status(201, _out(request, event, staff=True))


@router.put("/{event_id}", response=StaffEventOut, summary="Change an event (version required)")
def update_event(request, event_id: int, payload: EventUpdate):
    event = access_event(request.auth, event_id, edit=True)
    event = services.event_update(
        actor=request.auth, event=event, version=payload.version, **_fields(payload, event.campaign)
    )
    return _out(request, event, staff=True)


@router.post("/{event_id}/submit", response=StaffEventOut, summary="Send an event for review")
def submit_event(request, event_id: int, version: int | None = None):
    event = access_event(request.auth, event_id, edit=True)
    return _out(request, services.event_submit(actor=request.auth, event=event, version=version), staff=True)


@router.post(
    "/{event_id}/review", response=StaffEventOut, summary="Approve (publish) or return with a reason"
)
def review_event(request, event_id: int, payload: ReviewIn):
    event = access_event(request.auth, event_id, review=True)
    if payload.decision == "approve":
        event = services.event_approve(actor=request.auth, event=event, version=payload.version)
    else:
        event = services.event_return(
            actor=request.auth, event=event, reason=payload.reason, version=payload.version
        )
    return _out(request, event, staff=True)


@router.post(
    "/{event_id}/cancel",
    response=StaffEventOut,
    summary="Cancel a published or pending event with a reason (registrants are told by text message)",
)
def cancel_event(request, event_id: int, payload: CancelIn):
    event = access_event(request.auth, event_id)
    if not can_cancel_event(request.auth, event):
        raise PermissionDenied(_("只有举办单位和组织单位可以取消活动"))
    event = event_cancel(actor=request.auth, event=event, reason=payload.reason, version=payload.version)
    return _out(request, event, staff=True)


@router.get(
    "/{event_id}/registrations", response=list[RegistrationOut], summary="Registrations (phones masked)"
)
def list_registrations(request, event_id: int):
    event = access_event(request.auth, event_id, run=True)
    full = can_see_phones(request.auth, event)
    rows = event.registrations.select_related("checkin").order_by("created_at", "id")
    return [
        {
            "id": r.pk,
            "name": r.name,
            "phone": r.phone if full else mask_phone(r.phone),
            "party_size": r.party_size,
            "status": r.status,
            "created_at": r.created_at,
            "checked_in_at": r.checkin.checked_in_at if hasattr(r, "checkin") else None,
        }
        for r in rows
    ]


@router.post(
    "/{event_id}/checkin", response=CheckinOut, summary="Check in a ticket token / code, or a queue of scans"
)
def checkin(request, event_id: int, payload: CheckinIn):
    event = access_event(request.auth, event_id, run=True)
    scans = [s.dict() for s in payload.scans][:500]
    if payload.token:
        scans.insert(0, {"uuid": None, "code": payload.token, "scanned_at": None})
    if not scans:
        raise ValidationError({"token": _("请提供票码（token）或扫码记录（scans）。")})
    results = checkin_sync(actor=request.auth, event=event, scans=scans)
    counts = arrivals(event)
    return {
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
        "checkins": counts["checkins"],
        "people": counts["people"],
    }
