"""Which campaign the portal's front page and calendar show when one install holds several of the same week
(a county's and the city's it sends up to): always the same one, the one with the events."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from sciweek.campaigns.models import Campaign
from sciweek.campaigns.selectors import current_public_campaign
from sciweek.events.models import Event
from sciweek.orgs.models import OrgUnit

pytestmark = pytest.mark.django_db


def _campaign(unit: OrgUnit, title: str) -> Campaign:
    return Campaign.objects.create(
        org_unit=unit,
        year=2031,
        title=title,
        theme="热爱科学 崇尚科学",
        start_date=dt.date(2031, 5, 20),
        end_date=dt.date(2031, 5, 31),
        status=Campaign.Status.PUBLISHED,
    )


def test_of_two_campaigns_of_the_same_week_the_one_with_published_events_is_shown(demo, unit):
    # The city's (no events of its own) is created first: an order by dates alone may pick either.
    city = _campaign(OrgUnit.objects.get(name="宿州市"), "2031年宿州市科技活动周")
    county = _campaign(unit("泗县"), "2031年泗县科技活动周")
    start = timezone.make_aware(dt.datetime(2031, 5, 21, 9))
    Event.objects.create(
        campaign=county,
        unit=unit("县气象局"),
        title="气象开放日",
        starts_at=start,
        ends_at=start + dt.timedelta(hours=2),
        status="approved",
    )
    Event.objects.create(
        campaign=city,
        unit=unit("县气象局"),
        title="尚未审核的活动",
        starts_at=start,
        ends_at=start + dt.timedelta(hours=2),
        status="submitted",
    )
    assert current_public_campaign() == county
    assert "2031年泗县科技活动周" in _front_page_title()


def test_without_events_the_most_local_campaign_is_shown(demo, unit):
    _campaign(OrgUnit.objects.get(name="宿州市"), "2031年宿州市科技活动周")
    county = _campaign(unit("泗县"), "2031年泗县科技活动周")
    assert current_public_campaign() == county


def _front_page_title() -> str:
    from django.test import Client

    return Client().get("/").content.decode()
