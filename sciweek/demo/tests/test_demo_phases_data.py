"""The full demo (every part) gives each phase something to see."""

from __future__ import annotations

import pytest

from sciweek.campaigns.compliance import unit_compliance
from sciweek.campaigns.models import Requirement
from sciweek.core import clock
from sciweek.demo import phases
from sciweek.demo.loader import load_demo
from sciweek.events.models import Event
from sciweek.reports.models import Report

pytestmark = pytest.mark.django_db


@pytest.fixture
def full_demo(settings):
    settings.DEMO_MODE = True
    loaded = load_demo(full=True)
    phases.start_if_unset()
    yield loaded
    clock.forget()


def test_each_phase_has_something_to_see(full_demo, client):
    campaign = full_demo.campaign
    assert clock.localdate().isoformat() == "2023-05-19"
    publicity = campaign.requirements.get(kind=Requirement.Kind.PUBLICITY)
    states = {u.short_name: unit_compliance(publicity, u) for u in publicity.applies_to.all()}
    assert states["县科协"].done and not states["县科协"].late
    assert states["县卫健委"].late  # sent on 5月19日, a day late
    assert not states["县农业农村局"].done  # a draft
    # Events: places left, a full one with a waiting list, an online one; registration open on 5月19日.
    robots = Event.objects.get(title="青少年编程机器人体验课")
    confirmed = robots.registrations.filter(status="confirmed")
    assert (
        sum(r.party_size for r in confirmed) <= 20
        and robots.registrations.filter(status="waitlisted").exists()
    )
    lecture = Event.objects.get(title__startswith="科普大讲堂")
    assert lecture.registration_open() and Event.objects.filter(mode="online").exists()
    body = client.get(f"/events/{lecture.pk}/").content.decode()
    assert "报名已截止" not in body
    # Reports at the 总结上报 phase: approved, submitted, returned, a draft; submitted on time.
    statuses = dict(Report.objects.filter(campaign=campaign).values_list("unit__name", "status"))
    assert set(statuses.values()) >= {"approved", "submitted", "returned", "draft"}
    assert not Report.objects.filter(is_late=True).exists()
    assert Report.objects.get(unit__short_name="县科协").submitted_at.date().isoformat() == "2023-05-27"
