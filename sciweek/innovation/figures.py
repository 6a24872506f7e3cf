"""What the innovation records say about a unit in a campaign's week, for the statistics table and
the dashboards.

- commissioners: distinct 科技特派员 who served in the unit during the week (科技工作者参与数量);
- activities: service logs not tied to an event of the week (举办活动次数; a tied one is the event's);
- people_offline: people served by those untied logs on the spot (线下活动群众参与数量);
- person_times: every log, tied or not (a commissioner's day of service).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.db.models import Q

from sciweek.campaigns.models import Campaign

from .choices import LogKind
from .models import ServiceLog

Pair = tuple[int, int]  # (campaign id, unit id)


def unit_service_figures_many(pairs: Iterable[Pair]) -> dict[Pair, dict[str, int]]:
    wanted = set(pairs)
    if not wanted:
        return {}
    campaigns = {c.pk: c for c in Campaign.objects.filter(pk__in={c for c, _ in wanted})}
    window = Q(pk__in=[])
    for c in campaigns.values():
        window |= Q(date__gte=c.start_date, date__lte=c.end_date)
    rows = ServiceLog.objects.filter(window, unit_id__in={u for _, u in wanted}).values_list(
        "unit_id", "date", "expert_id", "event_id", "kind", "people_served"
    )
    acc: dict[Pair, dict] = defaultdict(
        lambda: {"experts": set(), "activities": 0, "people_offline": 0, "person_times": 0}
    )
    for unit_id, date, expert_id, event_id, kind, people in rows:
        for cid, c in campaigns.items():
            if (cid, unit_id) in wanted and c.start_date <= date <= c.end_date:
                a = acc[(cid, unit_id)]
                a["experts"].add(expert_id)
                a["person_times"] += 1
                if event_id is None:
                    a["activities"] += 1
                    if kind != LogKind.ONLINE:
                        a["people_offline"] += people
    return {
        pair: {
            "commissioners": len(acc[pair]["experts"]) if pair in acc else 0,
            "activities": acc[pair]["activities"] if pair in acc else 0,
            "people_offline": acc[pair]["people_offline"] if pair in acc else 0,
            "person_times": acc[pair]["person_times"] if pair in acc else 0,
        }
        for pair in wanted
    }
