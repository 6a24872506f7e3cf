"""Sending up, for scripts: send the region's approved result (with chosen photos and videos, copied
into the snapshot), list the versions sent, the received queue (latest per region below), one send-up
and its review. Same scopes as the pages (summary.sendup.access_*): out of scope 404, not allowed 403.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from sciweek.campaigns.access import access_campaign
from sciweek.summary import sendup as su
from sciweek.summary.models import SendUp

from .common import ERRORS, WRITE_ERRORS, InSchema, local

router = Router(tags=["summary"])


class SendUpOut(Schema):
    id: int
    source_campaign_id: int
    target_campaign_id: int
    region_id: int
    region_name: str
    number: int
    status: str
    status_label: str
    outdated: bool
    reason: str
    sent_at: dt.datetime
    table: dict[str, str]
    mapping: list[dict]
    units: list[dict]
    media: list[dict]
    summary_url: str | None


def _media_item(s: SendUp, m: dict[str, Any]) -> dict[str, Any]:
    """A file of the snapshot with the address of its copy (older versions' "path" is internal)."""
    item = {k: v for k, v in m.items() if k != "path"}
    if m.get("content_kind"):
        item["url"] = f"/summary/sendup/{s.pk}/files/{m['sha256']}"
    return item


def _sendup(s: SendUp, outdated: set[int]) -> dict[str, Any]:
    return {
        "id": s.pk,
        "source_campaign_id": s.source_id,
        "target_campaign_id": s.target_id,
        "region_id": s.region_id,
        "region_name": s.region.name,
        "number": s.number,
        "status": s.status,
        "status_label": s.get_status_display(),
        "outdated": s.pk in outdated,
        "reason": s.reason,
        "sent_at": local(s.sent_at),
        "table": s.table,
        "mapping": s.mapping,
        "units": s.units,
        "media": [_media_item(s, m) for m in s.media],
        "summary_url": f"/summary/sendup/{s.pk}/summary.docx" if s.summary_file else None,
    }


class SendUpIn(InSchema):
    media: list[int] = Field(
        default_factory=list, max_length=50, description="随报照片、视频（统计表附件编号）"
    )
    note: str = Field("", max_length=2000)


@router.post("/campaigns/{int:campaign_id}/sendups", response={201: SendUpOut, **WRITE_ERRORS})
def sendup_send(request, campaign_id: int, payload: SendUpIn):
    source = access_campaign(request.user, campaign_id, bureau=True)
    s = su.sendup_send(source=source, actor=request.user, media=payload.media, note=payload.note)
    return Status(201, _sendup(s, set()))


@router.get("/campaigns/{int:campaign_id}/sendups", response={200: list[SendUpOut], **ERRORS})
def sendup_list(request, campaign_id: int):
    """The versions this campaign's region sent up."""
    source = access_campaign(request.user, campaign_id, bureau=True)
    rows = list(SendUp.objects.filter(source=source).select_related("region").order_by("-number"))
    stale = su.outdated_ids(rows[:1])
    return [_sendup(s, stale) for s in rows]


@router.get("/campaigns/{int:campaign_id}/received", response={200: list[SendUpOut], **ERRORS})
def sendup_received(request, campaign_id: int):
    """The latest send-up of each region below (the review queue)."""
    target = access_campaign(request.user, campaign_id, bureau=True)
    latest = list(su.latest_by_region(target).values())
    stale = su.outdated_ids(latest)
    full = (
        SendUp.objects.filter(pk__in=[s.pk for s in latest]).select_related("region").order_by("region__path")
    )
    return [_sendup(s, stale) for s in full]


@router.get("/sendups/{int:sendup_id}", response={200: SendUpOut, **ERRORS})
def sendup_get(request, sendup_id: int):
    s = su.access_sendup(request.user, sendup_id)
    return _sendup(s, su.outdated_ids([s]))


class SendUpReviewIn(InSchema):
    action: str = Field(..., description="approve 或 return")
    reason: str = Field("", max_length=1000)
    version: int | None = Field(None, ge=1, le=2_147_483_647)


@router.post("/sendups/{int:sendup_id}/review", response={200: SendUpOut, **WRITE_ERRORS})
def sendup_review(request, sendup_id: int, payload: SendUpReviewIn):
    s = su.access_sendup(request.user, sendup_id, review=True)
    if payload.action == "approve":
        s = su.sendup_approve(sendup=s, actor=request.user, version=payload.version)
    elif payload.action == "return":
        s = su.sendup_return(sendup=s, actor=request.user, reason=payload.reason, version=payload.version)
    else:
        raise ValidationError({"action": [_("应为 approve 或 return")]})
    return _sendup(s, su.outdated_ids([s]))
