"""What the system recorded about a unit's events, for the statistics table's cross-check (reports).

- events_held: the unit's published events of the campaign that have started (举办活动次数);
  cancelled events (events.cancellation) are not published and do not count;
- public_offline: people at its offline events — the figure the unit recorded after the event, else
  the check-ins (registered arrivals + walk-ins, in people) (线下活动群众参与数量);
- public_online: the online audience the unit recorded from its platform (线上活动群众参与数量).

`unit_event_figures_many` answers for any number of (campaign, unit) pairs in two queries: the
county dashboard asks for its 40 units at once.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.db.models import Sum

from sciweek.campaigns.models import Campaign
from sciweek.core import clock
from sciweek.orgs.models import OrgUnit

from .choices import EventStatus
from .models import CheckIn, Event

Pair = tuple[int, int]  # (campaign id, unit id)


def _figures(held: list[Event], checked: dict[int, int]) -> dict[str, int]:
    offline_events = [e for e in held if e.is_offline]
    online_events = [e for e in held if e.is_online]
    offline = sum(
        (e.offline_participants if e.offline_participants is not None else checked.get(e.pk, 0) or 0)
        for e in offline_events
    )
    return {
        "events_held": len(held),
        "public_offline": offline,
        "public_online": sum(e.online_audience or 0 for e in online_events),
        # How much of the above rests on something recorded (an outcome, or check-ins at the door).
        "offline_events": len(offline_events),
        "offline_events_recorded": sum(
            1 for e in offline_events if e.offline_participants is not None or checked.get(e.pk)
        ),
        "online_events": len(online_events),
        "online_events_recorded": sum(1 for e in online_events if e.online_audience is not None),
        "checkins_people": sum(checked.get(e.pk, 0) or 0 for e in held),
        "online_clicks": sum(e.click_count for e in online_events),
    }


def unit_event_figures_many(pairs: Iterable[Pair]) -> dict[Pair, dict[str, int]]:
    """{(campaign id, unit id): figures} for every pair asked, in two queries whatever their number."""
    wanted = set(pairs)
    if not wanted:
        return {}
    held_qs = Event.objects.filter(
        campaign_id__in={c for c, _ in wanted},
        unit_id__in={u for _, u in wanted},
        status=EventStatus.APPROVED,
        starts_at__lte=clock.now(),
    )
    by_pair: dict[Pair, list[Event]] = defaultdict(list)
    for e in held_qs.only(
        "id", "campaign_id", "unit_id", "mode", "offline_participants", "online_audience", "click_count"
    ):
        if (e.campaign_id, e.unit_id) in wanted:
            by_pair[(e.campaign_id, e.unit_id)].append(e)
    ids = [e.pk for events in by_pair.values() for e in events]
    checked = (
        dict(
            CheckIn.objects.filter(event_id__in=ids)
            .values("event")
            .annotate(p=Sum("party_size"))
            .values_list("event", "p")
        )
        if ids
        else {}
    )
    return {pair: _figures(by_pair.get(pair, []), checked) for pair in wanted}


def unit_event_figures(campaign: Campaign, unit: OrgUnit) -> dict[str, int]:
    return unit_event_figures_many([(campaign.pk, unit.pk)])[(campaign.pk, unit.pk)]
