"""Writes to units' events: draft → submitted → approved (published) or returned with a reason.

Dates: an event must lie within the campaign's week (refused otherwise: 五.2 counts events "在活动周期间",
and the public calendar shows the week), must not end before it starts, and must not start in the
past — unless the unit ticks “补录已举办活动” to record an event it already held (then nobody can
register for it). Keyword-only, transactional, audited.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sciweek.campaigns.lifecycle import check_open
from sciweek.campaigns.models import Campaign
from sciweek.core import clock
from sciweek.core.audit import audit_log, snapshot
from sciweek.core.errors import check_version
from sciweek.core.notify import notify_units
from sciweek.orgs.models import OrgUnit

from .checks import check_event_complete, check_event_fields
from .choices import EventStatus, RegStatus
from .large import check_large_event
from .models import Event

EVENT_FIELDS = (
    "title",
    "content_theme",
    "main_activity",
    "category",
    "audiences",
    "mode",
    "starts_at",
    "ends_at",
    "venue",
    "address",
    "registration_enabled",
    "capacity",
    "waitlist_limit",
    "expected_scale",
    "safety_contact",
    "safety_phone",
    "online_url",
    "online_platform",
    "description",
    "backfill",
)
EDITABLE = {EventStatus.DRAFT, EventStatus.RETURNED, EventStatus.SUBMITTED}


def _fmt(value: dt.datetime) -> str:
    return timezone.localtime(value).strftime("%Y年%-m月%-d日 %H:%M")


def _unknown(fields: dict[str, Any]) -> None:
    if unknown := set(fields) - set(EVENT_FIELDS):
        raise TypeError(f"unknown event fields: {sorted(unknown)}")


@transaction.atomic
def event_create(
    *, actor: Any, campaign: Campaign, unit: OrgUnit, as_of: dt.datetime | None = None, **fields: Any
) -> Event:
    """A draft event of `unit`. `as_of` (default now) is only for loading a past week's data."""
    _unknown(fields)
    check_open(campaign, "event_register")
    if not unit.path.startswith(campaign.org_unit.path) or unit.is_area:
        raise ValidationError({"unit": (_("「%(name)s」不是本次活动周的参与单位。") % {"name": unit.name})})
    data = check_event_fields(campaign=campaign, data=fields, event=None, as_of=as_of)
    event = Event(
        campaign=campaign, unit=unit, created_by=actor if getattr(actor, "pk", None) else None, **data
    )
    event.save()
    audit_log(actor=actor, action="event.create", obj=event, after=snapshot(event))
    return event


@transaction.atomic
def event_update(*, actor: Any, event: Event, version: int | None, **fields: Any) -> Event:
    """Units change drafts, returned and submitted events; organizers may also change published ones."""
    _unknown(fields)
    event = Event.objects.select_for_update(of=("self",)).select_related("campaign").get(pk=event.pk)
    check_version(event, version, _("活动「%(title)s」") % {"title": event.title})
    check_open(event.campaign, "event_register")
    from .access import can_review_event

    if event.status == EventStatus.CANCELLED:
        raise ValidationError(
            _("活动已于%(value)s取消，不能再修改。") % {"value": _fmt(event.cancelled_at or event.updated_at)}
        )
    if event.status not in EDITABLE and not can_review_event(actor, event):
        raise ValidationError(_("活动已发布，如需修改请联系组织单位退回后再改。"))
    before = snapshot(event)
    old_place = {f: getattr(event, f) for f in ("starts_at", "ends_at", "venue", "address")}
    merged = {f: getattr(event, f) for f in EVENT_FIELDS} | fields
    data = check_event_fields(campaign=event.campaign, data=merged, event=event)
    for name, value in data.items():
        setattr(event, name, value)
    event.version += 1
    event.save(update_fields=[*data, "version", "updated_at"])  # never the registration counters
    audit_log(actor=actor, action="event.update", obj=event, before=before, after=snapshot(event))
    if event.is_published:
        from .messaging import changed_labels, notify_changed
        from .registration import promote_waitlist

        if changed := changed_labels(old_place, event):  # registrants hear of a new time or place
            live = event.registrations.filter(status__in=[RegStatus.CONFIRMED, RegStatus.WAITLISTED])
            notify_changed(event=event, registrations=list(live), changed=changed)
        promote_waitlist(event=event)  # more places may have opened
    return event


@transaction.atomic
def event_submit(
    *, actor: Any, event: Event, version: int | None = None, as_of: dt.datetime | None = None
) -> Event:
    event = Event.objects.select_for_update(of=("self",)).select_related("campaign", "unit").get(pk=event.pk)
    check_version(event, version, _("活动「%(title)s」") % {"title": event.title})
    check_open(event.campaign, "event_register")
    if event.status not in (EventStatus.DRAFT, EventStatus.RETURNED):
        raise ValidationError(
            _("活动当前状态为“%(status)s”，不能提交审核。") % {"status": event.get_status_display()}
        )
    check_event_complete(event, as_of=as_of)
    before = {"status": event.status}
    event.status, event.submitted_at = EventStatus.SUBMITTED, clock.now()
    event.version += 1
    event.save(update_fields=["status", "submitted_at", "version", "updated_at"])
    audit_log(actor=actor, action="event.submit", obj=event, before=before, after={"status": event.status})
    notify_units(
        units=[event.campaign.org_unit],
        title=(
            _("%(display_name)s提交了活动「%(title)s」待审核")
            % {"display_name": event.unit.display_name, "title": event.title}
        ),
        body=(_("时间：%(starts_at)s") % {"starts_at": _fmt(event.starts_at)}),
        link=f"/manage/events/?campaign={event.campaign_id}",
        email=False,
    )
    return event


@transaction.atomic
def event_approve(*, actor: Any, event: Event, version: int | None = None) -> Event:
    event = Event.objects.select_for_update(of=("self",)).select_related("campaign", "unit").get(pk=event.pk)
    check_version(event, version, _("活动「%(title)s」") % {"title": event.title})
    if event.status != EventStatus.SUBMITTED:
        raise ValidationError(
            _("活动当前状态为“%(status)s”，只有待审核的活动可以通过。")
            % {"status": event.get_status_display()}
        )
    check_event_complete(event, submitting=False)
    check_large_event(event)  # 五.4: safety plan and permit first
    before = {"status": event.status}
    event.status, event.return_reason = EventStatus.APPROVED, ""
    event.reviewed_at, event.reviewed_by = clock.now(), actor if getattr(actor, "pk", None) else None
    event.version += 1
    event.save(
        update_fields=["status", "return_reason", "reviewed_at", "reviewed_by", "version", "updated_at"]
    )
    audit_log(actor=actor, action="event.approve", obj=event, before=before, after={"status": event.status})
    notify_units(
        units=[event.unit],
        title=(_("活动「%(title)s」已通过审核并发布") % {"title": event.title}),
        body=(_("时间：%(starts_at)s；公众可在活动日历中查看。") % {"starts_at": _fmt(event.starts_at)}),
        link=f"/my/events/{event.pk}/",
    )
    return event


@transaction.atomic
def event_return(*, actor: Any, event: Event, reason: str, version: int | None = None) -> Event:
    """Send an event back to its unit with a reason (also takes a published event off the calendar)."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("请填写退回理由，告诉举办单位需要修改什么。")})
    event = Event.objects.select_for_update(of=("self",)).select_related("campaign", "unit").get(pk=event.pk)
    check_version(event, version, _("活动「%(title)s」") % {"title": event.title})
    if event.status not in (EventStatus.SUBMITTED, EventStatus.APPROVED):
        raise ValidationError(
            _("活动当前状态为“%(status)s”，不能退回。") % {"status": event.get_status_display()}
        )
    if (
        event.status == EventStatus.APPROVED
        and event.registrations.filter(status=RegStatus.CONFIRMED).exists()
    ):
        raise ValidationError(_("该活动已有公众报名成功，退回会使报名者无法查看活动，请先与举办单位联系。"))
    before = {"status": event.status}
    event.status, event.return_reason = EventStatus.RETURNED, reason[:2000]
    event.reviewed_at, event.reviewed_by = clock.now(), actor if getattr(actor, "pk", None) else None
    event.version += 1
    event.save(
        update_fields=["status", "return_reason", "reviewed_at", "reviewed_by", "version", "updated_at"]
    )
    audit_log(
        actor=actor,
        action="event.return",
        obj=event,
        before=before,
        after={"status": event.status, "return_reason": event.return_reason},
    )
    notify_units(
        units=[event.unit],
        title=(_("活动「%(title)s」被退回，请修改后重新提交") % {"title": event.title}),
        body=(_("退回理由：%(return_reason)s") % {"return_reason": event.return_reason}),
        link=f"/my/events/{event.pk}/",
    )
    return event


@transaction.atomic
def event_delete(*, actor: Any, event: Event) -> None:
    event = Event.objects.select_for_update().get(pk=event.pk)
    if event.status not in (EventStatus.DRAFT, EventStatus.RETURNED):
        raise ValidationError(_("只有草稿或被退回的活动可以删除。"))
    audit_log(actor=actor, action="event.delete", obj=event, before=snapshot(event))
    event.delete()


@transaction.atomic
def event_record_outcome(
    *,
    actor: Any,
    event: Event,
    version: int | None,
    offline_participants: int | None,
    online_audience: int | None,
    online_audience_source: str = "",
    outcome_note: str = "",
) -> Event:
    """After the event: how many came (offline) and watched (online, with where the figure came from)."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    check_version(event, version, _("活动「%(title)s」") % {"title": event.title})
    check_open(event.campaign, "event_outcome")
    errors: dict[str, str] = {}
    if not event.is_published:
        errors["__all__"] = _("只有已发布的活动可以登记活动情况。")
    if clock.now() < event.starts_at:
        errors["__all__"] = _("活动将于%(starts_at)s开始，开始后才能登记活动情况。") % {
            "starts_at": _fmt(event.starts_at)
        }
    for field, value in (
        ("offline_participants", offline_participants),
        ("online_audience", online_audience),
    ):
        if value is not None and not 0 <= int(value) <= 10_000_000:
            errors[field] = _("人数应为0到一千万之间的整数。")
    if online_audience and not (online_audience_source or "").strip():
        errors["online_audience_source"] = _("请注明线上人数的来源（如“抖音直播后台统计”）。")
    if offline_participants and not event.is_offline:
        errors["offline_participants"] = _("线上活动没有线下参与人数。")
    if online_audience and not event.is_online:
        errors["online_audience"] = _("线下活动没有线上观看人数。")
    if errors:
        raise ValidationError(errors)
    before = snapshot(
        event, ["offline_participants", "online_audience", "online_audience_source", "outcome_note"]
    )
    event.offline_participants, event.online_audience = offline_participants, online_audience
    event.online_audience_source, event.outcome_note = (
        online_audience_source.strip()[:120],
        outcome_note.strip(),
    )
    event.outcome_recorded_at = clock.now()
    event.version += 1
    event.save(update_fields=[*before, "outcome_recorded_at", "version", "updated_at"])
    audit_log(
        actor=actor, action="event.outcome", obj=event, before=before, after=snapshot(event, list(before))
    )
    return event
