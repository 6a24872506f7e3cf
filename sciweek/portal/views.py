from __future__ import annotations

from typing import Any

from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from sciweek.campaigns.activity_panels import activity_panels
from sciweek.campaigns.models import Campaign
from sciweek.campaigns.selectors import activities_with_units, current_public_campaign
from sciweek.contests.publication import public_links
from sciweek.core import clock
from sciweek.core.cache import cached_fragment
from sciweek.events.choices import EventStatus
from sciweek.events.selectors import listed
from sciweek.selections.links import public_links as selection_links

NEXT_EVENTS = 5


def _campaign_block(campaign: Campaign | None) -> tuple[str, str] | None:
    if campaign is None:
        return None
    events = listed(campaign).filter(status=EventStatus.APPROVED)
    per_activity = dict(
        events.filter(main_activity__isnull=False)
        .values_list("main_activity__number")
        .annotate(n=Count("id"))
        .values_list("main_activity__number", "n")
    )
    activities = list(activities_with_units(campaign))
    contest_links = public_links(campaign)
    # The 最美 selection's 公示 / 公布, linked the same way once open (under its activity and aside).
    chosen_links = selection_links(campaign)
    linked: list[Any] = [*contest_links, *chosen_links]  # both kinds carry activity_number
    for a in activities:
        a.event_count = per_activity.get(a.number, 0)
    html = render_to_string(
        "portal/_campaign.html",
        {
            "campaign": campaign,
            # The next events by the clock (the fragment is drawn anew after any write, a demo phase
            # jump included).
            "next_events": list(
                events.filter(ends_at__gte=clock.now())
                .select_related("unit")
                .order_by("starts_at", "id")[:NEXT_EVENTS]
            ),
            "activities": activities,
            "themes": list(campaign.content_themes.all()),
            "issuers": list(campaign.issuers.all()),
            "contest_links": contest_links,
            "selection_links": chosen_links,
            "activity_links": {
                a.number: [x for x in linked if x.activity_number == a.number] for a in activities
            },
            # Public figures only (no login, no names): the block is the same for every visitor.
            "activity_panels": {
                a.number: activity_panels(campaign=campaign, activity=a, user=None, public=True)
                for a in activities
            },
        },
    )
    return campaign.title, html


def _day() -> str:
    # Part of the fragments' key: a contest's 公示 / 公布 link appears on its date without any write.
    return clock.localdate().isoformat()


def _render(request: HttpRequest, block: tuple[str, str] | None) -> HttpResponse:
    context: dict[str, object] = {"campaign": None}
    if block is not None:
        context = {"campaign": True, "page_title": block[0], "campaign_html": mark_safe(block[1])}
    return render(request, "portal/home.html", context)


def home(request: HttpRequest) -> HttpResponse:
    """Public front page: the current week's theme, dates, main activities with lead units, contact.

    The same for every visitor, so the block is rendered once per change anywhere (core/cache.py).
    """
    return _render(
        request,
        cached_fragment("portal-home", _day(), build=lambda: _campaign_block(current_public_campaign())),
    )


def campaign_page(request: HttpRequest, campaign_id: int) -> HttpResponse:
    def build() -> tuple[str, str] | None:
        campaign = Campaign.objects.select_related("org_unit").filter(pk=campaign_id).first()
        if campaign is None or not campaign.is_public:
            return None
        return _campaign_block(campaign)

    block = cached_fragment("portal-campaign", campaign_id, _day(), build=build)
    if block is None:
        raise Http404(_("活动周不存在或尚未发布"))
    return _render(request, block)
