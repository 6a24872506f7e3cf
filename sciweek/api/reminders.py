"""Notifications (mine: list, mark read), reminder rules (list, edit) and the reminders' dry run.

Same checks as the pages: a campaign's rules and dry run for its bureau (edits: the organizer); a
closed campaign answers 409 with the reason."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema

from sciweek.campaigns.access import access_campaign
from sciweek.campaigns.models import Campaign, Requirement
from sciweek.core import clock
from sciweek.reminders.planning import plan
from sciweek.reminders.selectors import unclaimed
from sciweek.reminders.services import notifications_for, notifications_mark_read, rule_of, rule_save

from .common import ERRORS, WRITE_ERRORS, InSchema, aware, local

router = Router(tags=["reminders"])


class NotificationOut(Schema):
    id: int
    title: str
    body: str
    link: str
    created_at: dt.datetime
    read: bool


class MarkIn(InSchema):
    ids: list[int] | None = Field(None, max_length=1000, description="不给则全部标为已读")


class MarkOut(Schema):
    marked: int


@router.get("/notifications", response={200: list[NotificationOut], **ERRORS})
def list_notifications(request, unread: bool = False, limit: int = 50, offset: int = 0):
    """Mine, newest first; ``limit`` at most 200."""
    user = request.auth
    limit, offset = min(max(limit, 1), 200), max(offset, 0)
    qs = notifications_for(user).order_by("-created_at", "-id")
    if unread:
        qs = qs.exclude(read_by=user)
    rows = list(qs[offset : offset + limit])
    read = set(
        notifications_for(user).filter(pk__in=[n.pk for n in rows], read_by=user).values_list("pk", flat=True)
    )
    return [
        {
            "id": n.pk,
            "title": n.title,
            "body": n.body,
            "link": n.link,
            "created_at": local(n.created_at),
            "read": n.pk in read,
        }
        for n in rows
    ]


@router.post("/notifications/read", response={200: MarkOut, **ERRORS})
def mark_notifications(request, payload: MarkIn):
    return {"marked": notifications_mark_read(user=request.auth, ids=payload.ids)}


class RuleOut(Schema):
    requirement_id: int
    requirement_kind: str
    requirement_title: str
    due_at: dt.datetime
    enabled: bool
    before_minutes: list[int] = Field(..., description="截止前多少分钟提醒，如 [4320, 1440, 120]")
    overdue_max: int
    overdue_time: str
    escalate_after: int
    version: int = Field(..., description="未保存过的默认规则为 0")


class RuleIn(InSchema):
    version: int | None = Field(None, ge=0, le=2_147_483_647)
    enabled: bool | None = None
    before_minutes: list[int] | None = Field(None, max_length=10)
    overdue_max: int | None = Field(None, ge=0, le=30)
    overdue_time: dt.time | None = None
    escalate_after: int | None = Field(None, ge=0, le=30)


def rule_out(req: Requirement) -> dict:
    rule = rule_of(req)
    return {
        "requirement_id": req.pk,
        "requirement_kind": req.kind,
        "requirement_title": req.title,
        "due_at": local(req.due_at),
        "enabled": rule.enabled,
        "before_minutes": rule.before_minutes,
        "overdue_max": rule.overdue_max,
        "overdue_time": rule.overdue_time.strftime("%H:%M"),
        "escalate_after": rule.escalate_after,
        "version": rule.version if rule.pk else 0,
    }


def _requirement(campaign: Campaign, requirement_id: int) -> Requirement:
    req = campaign.requirements.filter(pk=requirement_id).first()
    if req is None:
        raise Http404(_("要求不存在"))
    req.campaign = campaign
    return req


@router.get("/campaigns/{int:campaign_id}/reminder-rules", response={200: list[RuleOut], **ERRORS})
def list_rules(request, campaign_id: int):
    campaign = access_campaign(request.auth, campaign_id, bureau=True)
    return [rule_out(r) for r in campaign.requirements.all()]


@router.patch(
    "/campaigns/{int:campaign_id}/reminder-rules/{int:requirement_id}",
    response={200: RuleOut, **WRITE_ERRORS},
)
def edit_rule(request, campaign_id: int, requirement_id: int, payload: RuleIn):
    """Organizers only; ``version`` from the last read (0 for a default rule) guards against lost edits."""
    campaign = access_campaign(request.auth, campaign_id, manage=True)
    req = _requirement(campaign, requirement_id)
    data = payload.dict(exclude_unset=True)
    before = data.pop("before_minutes", None)
    if before is not None:
        if any(not 0 < m <= 86400 for m in before):
            raise ValidationError({"before_minutes": _("每个时点应在1到86400分钟（60天）之间。")})
        before = sorted(set(before), reverse=True)
    version = data.pop("version", None)
    rule_save(actor=request.auth, requirement=req, version=version or None, before=before, **data)
    return rule_out(req)


class PlannedOut(Schema):
    unit_id: int
    unit_name: str
    requirement_id: int
    requirement_kind: str
    requirement_title: str
    user: str
    channel: str
    slot: str
    escalation: bool
    due_at: dt.datetime
    send_at: dt.datetime


@router.get("/campaigns/{int:campaign_id}/reminders/preview", response={200: list[PlannedOut], **ERRORS})
def preview(request, campaign_id: int, at: dt.datetime | None = None):
    """Who would get what at ``at`` (default now; without a zone: Beijing time). Sends nothing."""
    campaign = access_campaign(request.auth, campaign_id, bureau=True)
    moment = aware(at) or clock.now()
    return [p.as_json() for p in unclaimed(plan(at=moment, campaign_ids=[campaign.pk]))]
