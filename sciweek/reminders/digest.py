"""The organizer's morning digest: what is due in the next 3 days, who is late, what came in yesterday.

Sent once a day (the scheduler's first minute after 08:00) in-app and by e-mail to every organizer of
each live campaign; ``digest_for`` is also what the preview page shows."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone

from sciweek.campaigns.compliance import batch_compliance
from sciweek.campaigns.models import Campaign
from sciweek.core.models import AuditEvent
from sciweek.core.notify import notify_user
from sciweek.orgs.models import Membership, Role

from .planning import LIVE
from .slots import deadline_text

ARRIVALS = {
    "report.submit": "统计表提交",
    "publicity.submit": "宣传内容报送",
    "event.submit": "活动登记提交",
    "event.outcome": "活动开展情况",
}


@dataclass
class Digest:
    campaign: Campaign
    due_soon: list[dict[str, Any]] = field(default_factory=list)
    late: list[dict[str, Any]] = field(default_factory=list)
    arrived: dict[str, int] = field(default_factory=dict)

    def text(self) -> str:
        lines = [f"{self.campaign.title} 每日概况"]
        lines.append("一、未来3天截止：")
        lines += [
            f"  {d['title']}（{d['deadline']}截止）：{d['missing']}个单位尚未完成" for d in self.due_soon
        ] or ["  无"]
        lines.append("二、已逾期未完成：")
        lines += [
            f"  {d['title']}（{d['deadline']}截止）：{'、'.join(d['units'][:20])}" for d in self.late
        ] or ["  无"]
        lines.append("三、昨日收到：")
        lines += [f"  {k}：{v}件" for k, v in self.arrived.items()] or ["  无"]
        return "\n".join(lines)


def digest_for(campaign: Campaign, *, at: dt.datetime) -> Digest:
    d = Digest(campaign)
    units = list(campaign.participating_units().only("id", "name", "path"))
    for req in campaign.requirements.prefetch_related("applies_to"):
        req.campaign = campaign
        applies = {u.pk for u in req.applies_to.all()}
        mine = [u for u in units if not applies or u.pk in applies]
        if not (at <= req.due_at <= at + dt.timedelta(days=3) or req.due_at < at):
            continue
        comp = batch_compliance(req, mine)
        missing = [u.name for u in mine if not comp[u.pk].done]
        entry = {
            "title": req.title,
            "deadline": deadline_text(req.due_at),
            "missing": len(missing),
            "units": missing,
        }
        if req.due_at < at:
            if missing:
                d.late.append(entry)
        else:
            d.due_soon.append(entry)
    today = timezone.localtime(at).date()
    start = timezone.make_aware(dt.datetime.combine(today - dt.timedelta(days=1), dt.time.min))
    end = start + dt.timedelta(days=1)
    counts = Counter(
        AuditEvent.objects.filter(
            at__gte=start, at__lt=end, unit_path__startswith=campaign.org_unit.path, action__in=list(ARRIVALS)
        ).values_list("action", flat=True)
    )
    d.arrived = {ARRIVALS[a]: n for a, n in counts.items()}
    return d


def send_digests(*, at: dt.datetime) -> int:
    sent = 0
    for campaign in Campaign.objects.filter(status__in=LIVE).select_related("org_unit"):
        digest = digest_for(campaign, at=at)
        body = digest.text()
        title = f"{campaign.title}：{timezone.localtime(at):%-m月%-d日}每日概况"
        for m in Membership.objects.filter(unit=campaign.org_unit, role=Role.ORGANIZER).select_related(
            "user"
        ):
            notify_user(
                user=m.user, title=title, body=body, link=f"/reminders/campaigns/{campaign.pk}/digest/"
            )
            if m.user.email:
                send_mail(title, body, settings.DEFAULT_FROM_EMAIL, [m.user.email], fail_silently=True)
            sent += 1
    return sent
