"""The demo clock: nothing changes outside demo mode; in demo mode every time-dependent rule follows it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from sciweek.campaigns.compliance import countdown, unit_compliance
from sciweek.campaigns.models import Requirement
from sciweek.core import clock
from sciweek.core.models import DemoClock
from sciweek.demo import phases
from sciweek.events.checkin import checkin_walkin
from sciweek.events.demo import load_demo_events
from sciweek.events.models import Event
from sciweek.events.registration import registration_create
from sciweek.orgs.models import OrgUnit
from sciweek.reports.models import Report
from sciweek.reports.services.deadline import report_deadline
from sciweek.reports.tests.report_files import complete, open_mine, report_of, submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_mode(settings):
    settings.DEMO_MODE = True
    yield
    clock.forget()


def _weather_open_day(campaign) -> Event:
    load_demo_events(campaign)
    return Event.objects.get(title__startswith="走进气象观测站")


def test_it_is_the_real_time_outside_demo_mode(demo, settings, django_assert_num_queries):
    settings.DEMO_MODE = False
    DemoClock.objects.create(demo_at=phases.START.at, real_at=timezone.now(), label="prepare")
    with django_assert_num_queries(0):  # outside demo mode the row is never read
        moment = clock.now()
    assert abs((moment - timezone.now()).total_seconds()) < 2
    assert clock.localdate() == timezone.localdate() and not clock.is_demo()
    campaign = demo.campaign
    assert campaign.phase() == "after"
    event = _weather_open_day(campaign)
    assert not event.registration_open()
    publicity = campaign.requirements.get(kind=Requirement.Kind.PUBLICITY)
    assert countdown(publicity) == "已截止"
    assert report_deadline(campaign, event.unit).passed()


def test_the_banner_and_the_phase_switch_exist_only_in_demo_mode(demo, settings, client_for, organizer):
    settings.DEMO_MODE = False
    assert "演示时间" not in client_for(organizer).get("/").content.decode()
    assert client_for(organizer).post("/demo/clock/", {"phase": "week"}).status_code == 404


def test_it_reads_the_row_once_a_second_at_most(demo, demo_mode, django_assert_num_queries):
    phases.jump("prepare", actor="test")
    with django_assert_num_queries(0):  # set_demo_time forgot the copy; this reads it ...
        pass
    clock.forget()
    with django_assert_num_queries(1):
        for _ in range(100):
            clock.now()


def test_every_rule_follows_the_demo_clock(demo, demo_mode, qxj, unit, client_for, organizer):
    campaign = demo.campaign
    weather = unit("县气象局")
    event = _weather_open_day(campaign)
    publicity = campaign.requirements.get(kind=Requirement.Kind.PUBLICITY)
    final = campaign.requirements.get(kind=Requirement.Kind.FINAL_REPORT)

    # 筹备: 2023年5月19日 10:00, the day after the publicity deadline, the eve of the week.
    phases.jump("prepare", actor=organizer)
    assert clock.localdate() == dt.date(2023, 5, 19) and clock.is_demo()
    assert campaign.phase() == "before"
    assert event.registration_open()
    reg = registration_create(event=event, name="林小满", phone="13955123456", party_size=1)
    assert reg.status == "confirmed"
    assert countdown(publicity) == "已截止"
    assert countdown(final).startswith("剩余11天")
    assert not report_deadline(campaign, weather).passed()
    with pytest.raises(Exception, match="现场签到只在活动期间开放"):
        checkin_walkin(event=event, name="路人甲", phone="13955100001")
    page = client_for(organizer).get("/").content.decode()
    assert "演示时间：2023年5月19日 10:00" in page

    # 活动周进行中: registration has closed, the door is open.
    r = client_for(organizer).post("/demo/clock/", {"phase": "week", "next": "/events/"})
    assert r.status_code == 302 and r["Location"] == "/events/"
    assert campaign.phase() == "during" and not event.registration_open()
    assert checkin_walkin(event=event, name="路人甲", phone="13955100001").ok

    # 总结上报: before 5月30日 17:30 a submission is on time ...
    phases.jump("report", actor=organizer)
    assert countdown(final) in ("剩余2小时30分", "剩余2小时29分")  # the demo time runs on
    c = client_for(qxj)
    open_mine(c, campaign)
    report = report_of(campaign, weather)
    complete(c, report)
    assert "统计表已提交" in submit(c, report).content.decode()
    report.refresh_from_db()
    assert report.status == Report.Status.SUBMITTED and not report.is_late
    assert report.submitted_at.astimezone(timezone.get_current_timezone()).date() == dt.date(2023, 5, 30)
    assert unit_compliance(final, weather).done

    # 结束后: the deadline has passed and the week is over.
    phases.jump("after", actor=organizer)
    assert campaign.phase() == "after" and report_deadline(campaign, weather).passed()
    assert unit_compliance(final, OrgUnit.objects.get(name="示例镇一")).late
    assert countdown(final) == "已截止"
