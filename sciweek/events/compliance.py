"""Rule 五.2: each unit holds at least 1–2 themed events (online or offline) during the week.

Counted from the unit's published events that lie within the week (a cancelled one no longer counts);
the requirement's min_count (default 1) decides done, its target_count (the "2" of "1-2次") is shown
beside it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone

from sciweek.campaigns.compliance import Compliance, register_batch_checker, register_checker
from sciweek.campaigns.models import Requirement
from sciweek.orgs.models import OrgUnit

from .choices import EventStatus
from .models import Event


def _week_bounds(requirement: Requirement) -> tuple[dt.datetime, dt.datetime]:
    campaign = requirement.campaign
    start = timezone.make_aware(dt.datetime.combine(campaign.start_date, dt.time.min))
    end = timezone.make_aware(dt.datetime.combine(campaign.end_date + dt.timedelta(days=1), dt.time.min))
    return start, end


_COUNTS = {
    "approved": Count("id", filter=Q(status=EventStatus.APPROVED)),
    "pending": Count("id", filter=Q(status=EventStatus.SUBMITTED)),
    "cancelled": Count("id", filter=Q(status=EventStatus.CANCELLED)),
}


@register_checker(Requirement.Kind.MIN_EVENTS)
def min_events(requirement: Requirement, unit: OrgUnit) -> Compliance:
    start, end = _week_bounds(requirement)
    counts = Event.objects.filter(
        campaign_id=requirement.campaign_id, unit=unit, starts_at__gte=start, starts_at__lt=end
    ).aggregate(**_COUNTS)
    return _judge(requirement, counts)


@register_batch_checker(Requirement.Kind.MIN_EVENTS)
def min_events_batch(requirement: Requirement, units: Sequence[OrgUnit]) -> dict[int, Compliance]:
    """The same judgement for many units in one query (reminder ticks over thousands of units)."""
    start, end = _week_bounds(requirement)
    ids = [u.pk for u in units]
    rows = {
        r["unit_id"]: r
        for r in Event.objects.filter(
            campaign_id=requirement.campaign_id, unit_id__in=ids, starts_at__gte=start, starts_at__lt=end
        )
        .values("unit_id")
        .annotate(**_COUNTS)
    }
    empty = {"approved": 0, "pending": 0, "cancelled": 0}
    return {pk: _judge(requirement, rows.get(pk, empty)) for pk in ids}


def _judge(requirement: Requirement, counts: Mapping[str, Any]) -> Compliance:
    approved, pending = counts["approved"], counts["pending"]
    need = requirement.min_count or 1
    target = requirement.target_count or need
    if approved >= target:
        return Compliance(done=True, detail=f"已发布{approved}次活动")
    if approved >= need:
        return Compliance(done=True, detail=f"已发布{approved}次活动（目标{target}次）")
    waiting = f"，{pending}次待审核" if pending else ""
    if counts["cancelled"]:
        waiting += f"，{counts['cancelled']}次已取消（不计入）"
    if approved:
        return Compliance(done=False, detail=f"已发布{approved}次，至少需{need}次{waiting}")
    return Compliance(done=False, detail=f"尚无已发布的活动（至少{need}次{waiting}）")
