"""The enterprise service's records under the campaign's main activities (campaigns/activity_panels.py).

Two kinds, each found by the organizer's choice on the activity or, by default, by its words:

- ``innovation.enterprise`` (四.2 服务企业创新专项行动, title containing 服务企业): visits, demands that moved
  during the week by their status now, matches confirmed, contracts signed and their amount;
- ``innovation.commissioners`` (四.5, title containing 科技特派员, or content naming 科技特派员乡村行):
  the commissioners' service logs of the week, person-times, commissioners, hours, people served.

"During the week" is the campaign's dates (Beijing days): a visit or log dated in them, a demand with
a status change in them, a match confirmed in them, a contract signed (moved to 签约) in them.

Scope: on the manage side the towns of the campaign's region the viewer may see (the bureau all, a
town itself); a viewer who sees none gets no panel. On the portal (``public=True``) every town's
totals, 涉密 demands left out, no names and no links inward.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sciweek.campaigns.activity_panels import ActivityPanel, register_activity_panel
from sciweek.campaigns.models import Campaign, MainActivity
from sciweek.orgs.access import can_view_unit
from sciweek.orgs.models import OrgUnit

from .choices import LogKind, Status
from .models import Demand, DemandChange, Match, ServiceLog, Visit
from .selectors import towns_of


def _units(campaign: Campaign, user: Any, public: bool) -> list[OrgUnit]:
    towns = towns_of(campaign.org_unit)
    return towns if public else [u for u in towns if can_view_unit(user, u)]


def _moments(campaign: Campaign) -> tuple[dt.datetime, dt.datetime]:
    tz = timezone.get_current_timezone()
    start = dt.datetime.combine(campaign.start_date, dt.time.min, tzinfo=tz)
    return start, dt.datetime.combine(campaign.end_date + dt.timedelta(days=1), dt.time.min, tzinfo=tz)


def enterprise_figures(campaign: Campaign, units: list[OrgUnit], *, public: bool) -> dict[str, Any]:
    ids = [u.pk for u in units]
    start, end = _moments(campaign)
    visits = Visit.objects.filter(unit_id__in=ids, date__gte=campaign.start_date, date__lte=campaign.end_date)
    demands = Demand.objects.filter(unit_id__in=ids)
    if public:
        demands = demands.filter(is_secret=False)
    moved = DemandChange.objects.filter(demand__in=demands, at__gte=start, at__lt=end)
    active = demands.filter(pk__in=moved.values("demand_id"))
    counts = dict(active.values_list("status").annotate(n=Count("id")).values_list("status", "n"))
    signed = demands.filter(pk__in=moved.filter(to_status=Status.SIGNED).values("demand_id"))
    agg = signed.aggregate(n=Count("id"), amount=Sum("contract_amount"))
    return {
        "visits": visits.count(),
        "enterprises_visited": visits.values("enterprise_id").distinct().count(),
        "demands": sum(counts.values()),
        "by_status": [(label, counts[s]) for s, label in Status.choices if counts.get(s)],
        "matches": Match.objects.filter(
            demand__in=demands, confirmed_at__gte=start, confirmed_at__lt=end
        ).count(),
        "contracts": agg["n"] or 0,
        "contract_amount": agg["amount"] or Decimal(0),
    }


def commissioner_figures(campaign: Campaign, units: list[OrgUnit]) -> dict[str, Any]:
    logs = ServiceLog.objects.filter(
        unit_id__in=[u.pk for u in units], date__gte=campaign.start_date, date__lte=campaign.end_date
    )
    agg = logs.aggregate(
        n=Count("id"),
        h=Sum("hours"),
        people=Sum("people_served", filter=~Q(kind=LogKind.ONLINE)),
        tied=Count("id", filter=Q(event_id__isnull=False)),
        experts=Count("expert_id", distinct=True),
        towns=Count("unit_id", distinct=True),
    )
    kinds = dict(logs.values_list("kind").annotate(n=Count("id")).values_list("kind", "n"))
    return {
        "person_times": agg["n"] or 0,
        "commissioners": agg["experts"] or 0,
        "hours": agg["h"] or Decimal(0),
        "people_served": agg["people"] or 0,
        "tied_to_events": agg["tied"] or 0,
        "towns": agg["towns"] or 0,
        "by_kind": [(label, kinds[k]) for k, label in LogKind.choices if kinds.get(k)],
    }


def _panel(
    campaign: Campaign,
    user: Any,
    public: bool,
    *,
    figures: Any,
    shown: Any,
    title: str,
    template: str,
    links: Any,
) -> ActivityPanel | None:
    """The panel over the towns in view; none when the viewer sees no town, or (public) nothing happened."""
    units = _units(campaign, user, public)
    if not units:
        return None
    f = figures(units)
    if public and not shown(f):
        return None
    return ActivityPanel(
        title=title,
        template=template,
        context={
            "f": f,
            "scope": _("全部镇（街道）和园区") if public or len(units) > 1 else units[0].name,
            "links": [] if public else links(),
        },
    )


def _week_dashboard() -> str:
    return f"{reverse('innovation:dashboard')}?week=1"


@register_activity_panel(
    "innovation.enterprise",
    label=gettext_lazy("服务企业创新（走访、技术需求、签约）"),
    title_words=("服务企业",),
)
def enterprise_panel(
    *, campaign: Campaign, activity: MainActivity, user: Any, public: bool
) -> ActivityPanel | None:
    return _panel(
        campaign, user, public,
        figures=lambda units: enterprise_figures(campaign, units, public=public),
        shown=lambda f: f["visits"] or f["demands"] or f["contracts"],
        title=_("活动周期间的企业创新服务"),
        template="innovation/_activity_panel_enterprise.html",
        links=lambda: [(_("企业创新服务看板（活动周）"), _week_dashboard()), (_("技术需求"), reverse("innovation:demands"))],
    )  # fmt: skip


@register_activity_panel(
    "innovation.commissioners",
    label=gettext_lazy("科技特派员乡村行（服务日志）"),
    title_words=("科技特派员",),
    content_words=("科技特派员乡村行",),
)
def commissioner_panel(
    *, campaign: Campaign, activity: MainActivity, user: Any, public: bool
) -> ActivityPanel | None:
    return _panel(
        campaign, user, public,
        figures=lambda units: commissioner_figures(campaign, units),
        shown=lambda f: f["person_times"],
        title=_("活动周期间的科技特派员服务"),
        template="innovation/_activity_panel_commissioners.html",
        links=lambda: [(_("服务日志"), reverse("innovation:logs")), (_("企业创新服务看板（活动周）"), _week_dashboard())],
    )  # fmt: skip
