"""The campaign page's event charts (campaigns/charts.py): events by category, audience, mode and day;
participation by day."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from django.db.models import Sum
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext as _

from sciweek.campaigns.charts import Chart, register_chart
from sciweek.campaigns.models import Campaign

from .choices import Mode
from .models import CheckIn, Event
from .selectors import listed


@register_chart("events")
def event_charts(campaign: Campaign) -> list[Chart]:
    events = list(listed(campaign).exclude(status=Event.Status.CANCELLED))
    if not events:
        return []
    days = [
        campaign.start_date + dt.timedelta(days=i)
        for i in range((campaign.end_date - campaign.start_date).days + 1)
    ]
    labels = [f"{d:%-m月%-d日}" for d in days]
    by_category = Counter(e.category for e in events).most_common()
    by_audience = Counter(a for e in events for a in (e.audiences or [])).most_common()
    modes = dict(Mode.choices)
    by_mode = Counter(str(modes.get(e.mode, e.mode)) for e in events)
    per_day = Counter(d for e in events for d in e.local_days())
    checkins = dict(
        CheckIn.objects.filter(event__campaign=campaign)
        .annotate(day=TruncDate("checked_in_at", tzinfo=timezone.get_current_timezone()))
        .values_list("day")
        .annotate(n=Sum("party_size"))
        .values_list("day", "n")
    )
    offline: Counter[dt.date] = Counter()
    online: Counter[dt.date] = Counter()
    for e in events:
        day = timezone.localtime(e.starts_at).date()
        offline[day] += e.offline_participants or 0
        online[day] += e.online_audience or 0
    return [
        Chart(
            "by-category",
            _("活动类别"),
            "hbar",
            [c for c, _n in by_category],
            [{"name": _("活动"), "data": [n for _c, n in by_category]}],
            _("项"),
        ),
        Chart(
            "by-audience",
            _("面向对象"),
            "hbar",
            [a for a, _n in by_audience],
            [{"name": _("活动"), "data": [n for _a, n in by_audience]}],
            _("项"),
        ),
        Chart(
            "by-mode",
            _("线上线下"),
            "pie",
            list(by_mode),
            [{"name": _("活动"), "data": list(by_mode.values())}],
            _("项"),
        ),
        Chart(
            "by-day",
            _("每天的活动"),
            "bar",
            labels,
            [{"name": _("活动"), "data": [per_day.get(d, 0) for d in days]}],
            _("项"),
        ),
        Chart(
            "participation",
            _("每天的参与人数"),
            "bar",
            labels,
            [
                {"name": _("现场签到"), "data": [checkins.get(d, 0) or 0 for d in days]},
                {"name": _("线下参与（活动记录）"), "data": [offline.get(d, 0) for d in days]},
                {"name": _("线上观看"), "data": [online.get(d, 0) for d in days]},
            ],
            _("人"),
        ),
    ]
