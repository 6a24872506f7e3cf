"""Main activities (四、主要活动) of a campaign: list, detail, create, update with version.

Anyone who sees the campaign sees its activities. Organizers create and change them; a co-organizer
changes only the activities its own unit leads (campaigns/access.can_edit_activity), 403 otherwise.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from sciweek.campaigns import services
from sciweek.campaigns.access import access_campaign, can_edit_activity
from sciweek.campaigns.models import Campaign, MainActivity
from sciweek.campaigns.selectors import activities_with_units

from .common import ERRORS, WRITE_ERRORS, InSchema, absent, aware, local, units_within

router = Router(tags=["activities"])


class UnitRef(Schema):
    id: int
    name: str


class ActivityOut(Schema):
    id: int
    campaign_id: int
    number: int
    title: str
    lead_units: list[UnitRef]
    cooperating_units: list[UnitRef]
    lead_text: str
    cooperating_text: str
    content: str
    starts_at: dt.datetime | None
    ends_at: dt.datetime | None
    venue: str
    schedule_note: str
    is_scheduled: bool
    version: int
    can_edit: bool


class ActivityIn(InSchema):
    number: int = Field(..., ge=1, le=999)
    title: str = Field(..., max_length=200)
    lead_unit_ids: list[int] = Field(..., max_length=500)
    cooperating_unit_ids: list[int] = Field(default_factory=list, max_length=500)
    lead_text: str = Field("", max_length=500)
    cooperating_text: str = Field("", max_length=5000)
    content: str = Field("", max_length=20_000)
    starts_at: dt.datetime | None = None
    ends_at: dt.datetime | None = None
    venue: str = Field("", max_length=200)
    schedule_note: str = Field("", max_length=200, description="留空且未定时间地点时记为“另行通知”")


class ActivityPatch(InSchema):
    """Only the fields sent are changed; `version` is the one you read (409 if someone saved since)."""

    version: int = Field(..., ge=1, le=2_147_483_647)
    number: int = absent(ge=1, le=999)
    title: str = absent(max_length=200)
    lead_unit_ids: list[int] = absent(max_length=500)
    cooperating_unit_ids: list[int] = absent(max_length=500)
    lead_text: str = absent(max_length=500)
    cooperating_text: str = absent(max_length=5000)
    content: str = absent(max_length=20_000)
    starts_at: dt.datetime | None = None
    ends_at: dt.datetime | None = None
    venue: str = absent(max_length=200)
    schedule_note: str = absent(max_length=200)


def activity_out(activity: MainActivity, user) -> dict:
    return {
        **{
            f: getattr(activity, f)
            for f in (
                "id",
                "campaign_id",
                "number",
                "title",
                "lead_text",
                "cooperating_text",
                "content",
                "venue",
                "schedule_note",
                "is_scheduled",
                "version",
            )
        },
        "starts_at": local(activity.starts_at),
        "ends_at": local(activity.ends_at),
        "lead_units": [{"id": u.pk, "name": u.name} for u in activity.lead_units.all()],
        "cooperating_units": [{"id": u.pk, "name": u.name} for u in activity.cooperating_units.all()],
        "can_edit": can_edit_activity(user, activity),
    }


def _activity(campaign: Campaign, activity_id: int) -> MainActivity:
    activity = activities_with_units(campaign).filter(pk=activity_id).first()
    if activity is None:
        raise Http404(_("主要活动不存在"))
    return activity


@router.get("/{int:campaign_id}/activities", response={200: list[ActivityOut], **ERRORS})
def list_activities(request, campaign_id: int):
    campaign = access_campaign(request.auth, campaign_id)
    return [activity_out(a, request.auth) for a in activities_with_units(campaign)]


@router.get("/{int:campaign_id}/activities/{int:activity_id}", response={200: ActivityOut, **ERRORS})
def get_activity(request, campaign_id: int, activity_id: int):
    campaign = access_campaign(request.auth, campaign_id)
    return activity_out(_activity(campaign, activity_id), request.auth)


@router.post("/{int:campaign_id}/activities", response={201: ActivityOut, **WRITE_ERRORS})
def create_activity(request, campaign_id: int, payload: ActivityIn):
    """Organizers only. Lead and cooperating units must lie inside the campaign's region."""
    user = request.auth
    campaign = access_campaign(user, campaign_id, manage=True)
    region = campaign.org_unit
    activity = services.activity_save(
        actor=user,
        campaign=campaign,
        number=payload.number,
        title=payload.title,
        lead_units=units_within(payload.lead_unit_ids, region=region, field="lead_unit_ids"),
        cooperating_units=units_within(
            payload.cooperating_unit_ids, region=region, field="cooperating_unit_ids"
        ),
        content=payload.content,
        starts_at=aware(payload.starts_at),
        ends_at=aware(payload.ends_at),
        venue=payload.venue,
        schedule_note=payload.schedule_note,
        lead_text=payload.lead_text,
        cooperating_text=payload.cooperating_text,
    )
    return Status(201, activity_out(_activity(campaign, activity.pk), user))


@router.patch("/{int:campaign_id}/activities/{int:activity_id}", response={200: ActivityOut, **WRITE_ERRORS})
def update_activity(request, campaign_id: int, activity_id: int, payload: ActivityPatch):
    """Organizers; co-organizers for the activities their unit leads (403 for the others)."""
    user = request.auth
    campaign = access_campaign(user, campaign_id, bureau=True)
    activity = _activity(campaign, activity_id)
    if not can_edit_activity(user, activity):
        raise PermissionDenied(_("您只能修改本单位牵头的主要活动"))
    data = payload.dict(exclude_unset=True)
    region = campaign.org_unit

    def units(key: str, current) -> list:
        if key in data and data[key] is not None:
            return units_within(data[key], region=region, field=key)
        return list(current.all())

    def text(key: str) -> str:
        value = data.get(key, getattr(activity, key))
        return value if value is not None else ""

    activity = services.activity_save(
        actor=user,
        campaign=campaign,
        activity=activity,
        version=data["version"],
        number=data.get("number") or activity.number,
        title=text("title"),
        lead_units=units("lead_unit_ids", activity.lead_units),
        cooperating_units=units("cooperating_unit_ids", activity.cooperating_units),
        content=text("content"),
        venue=text("venue"),
        schedule_note=text("schedule_note"),
        lead_text=text("lead_text"),
        cooperating_text=text("cooperating_text"),
        starts_at=aware(data["starts_at"]) if "starts_at" in data else activity.starts_at,
        ends_at=aware(data["ends_at"]) if "ends_at" in data else activity.ends_at,
    )
    return activity_out(_activity(campaign, activity.pk), user)
