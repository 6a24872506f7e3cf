"""The public side in the first hour: menu, next events, activity → its events, filters, subscription,
the event's own contact."""

from __future__ import annotations

import pytest

from sciweek.core import clock
from sciweek.demo import phases
from sciweek.demo.loader import load_demo
from sciweek.events.models import Event

pytestmark = pytest.mark.django_db


@pytest.fixture
def full_demo(settings):
    settings.DEMO_MODE = True
    loaded = load_demo(full=True)
    phases.jump("prepare", actor="test")
    yield loaded
    clock.forget()


def test_the_home_page_shows_the_next_events_and_each_activity_links_its_events(full_demo, client):
    body = client.get("/").content.decode()
    assert 'href="/events/"' in body and 'href="/events/mine/"' in body  # the menu (phone and desktop)
    assert "近期活动" in body and "走进气象观测站" in body  # 5月20日, the first of the week
    campaign = full_demo.campaign
    assert f'href="/events/c/{campaign.pk}/?day=all&activity=1"' in body
    listing = client.get(f"/events/c/{campaign.pk}/?day=all&activity=1").content.decode()
    assert "科技志愿服务进社区" in listing and "走进气象观测站" not in listing
    assert "清除筛选" in listing and "1. 科技活动周政策宣传活动" in listing
    assert "清除筛选" not in client.get(f"/events/c/{campaign.pk}/?day=all").content.decode()


def test_the_calendar_offers_a_webcal_subscription(full_demo, client):
    body = client.get(f"/events/c/{full_demo.campaign.pk}/?day=all").content
    assert f'href="webcal://testserver/events/c/{full_demo.campaign.pk}/calendar.ics"' in body.decode()


def test_the_event_page_names_the_holding_units_contact(full_demo, client):
    weather = Event.objects.get(title__startswith="走进气象观测站")
    body = client.get(f"/events/{weather.pk}/").content.decode()
    assert "泗县气象局 · 刘洋" in body and "13955700202" in body  # the unit's named staff (publicity demo)
    robots = Event.objects.get(
        title="青少年编程机器人体验课"
    )  # 县教体局 named nobody: the campaign's contact
    body = client.get(f"/events/{robots.pk}/").content.decode()
    assert "陈曦" in body and "活动周组织单位" in body
