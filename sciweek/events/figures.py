"""What the system recorded about a unit's events, for the statistics table's cross-check (reports).

- events_held: the unit's published events of the campaign that have started (举办活动次数);
- public_offline: people at its offline events — the figure the unit recorded after the event, else
  the check-ins (registered arrivals + walk-ins, in people) (线下活动群众参与数量);
- public_online: the online audience the unit recorded from its platform (线上活动群众参与数量).
"""

from __future__ import annotations

from django.db.models import Sum
from django.utils import timezone

from sciweek.campaigns.models import Campaign
from sciweek.orgs.models import OrgUnit

from .choices import EventStatus
from .models import CheckIn, Event


def unit_event_figures(campaign: Campaign, unit: OrgUnit) -> dict[str, int]:
    held = list(
        Event.objects.filter(
            campaign=campaign, unit=unit, status=EventStatus.APPROVED, starts_at__lte=timezone.now()
        ).only("id", "mode", "offline_participants", "online_audience", "click_count")
    )
    checked = dict(
        CheckIn.objects.filter(event__in=[e.pk for e in held])
        .values("event")
        .annotate(p=Sum("party_size"))
        .values_list("event", "p")
    )
    offline_events = [e for e in held if e.is_offline]
    online_events = [e for e in held if e.is_online]
    offline = sum(
        (e.offline_participants if e.offline_participants is not None else checked.get(e.pk, 0) or 0)
        for e in offline_events
    )
    online = sum(e.online_audience or 0 for e in online_events)
    return {
        "events_held": len(held),
        "public_offline": offline,
        "public_online": online,
        # How much of the above rests on something recorded (an outcome, or check-ins at the door).
        "offline_events": len(offline_events),
        "offline_events_recorded": sum(
            1 for e in offline_events if e.offline_participants is not None or checked.get(e.pk)
        ),
        "online_events": len(online_events),
        "online_events_recorded": sum(1 for e in online_events if e.online_audience is not None),
        "checkins_people": sum(v or 0 for v in checked.values()),
        "online_clicks": sum(e.click_count for e in online_events),
    }
