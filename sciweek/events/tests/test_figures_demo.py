"""What the events feed elsewhere: the demo's events, a unit's figures, the statistics table's cross-check."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from sciweek.events.checkin import checkin_scan
from sciweek.events.demo import load_demo_events
from sciweek.events.figures import unit_event_figures
from sciweek.events.models import Event, EventImage
from sciweek.events.registration import registration_create
from sciweek.events.services import event_record_outcome
from sciweek.reports.crosscheck import known_figures
from sciweek.reports.models import Report

pytestmark = pytest.mark.django_db


def test_it_loads_the_2023_demo_events_for_the_public_calendar(client, client_for, organizer, demo, org):
    events = load_demo_events(demo.campaign)
    assert len(events) == 10 and all(e.status == "approved" for e in events)
    days = {timezone.localtime(e.starts_at).date().day for e in events}
    assert min(days) >= 20 and max(days) <= 31 and len(days) >= 6
    assert sum(1 for e in events if e.safe_online_url) >= 3
    capped = Event.objects.get(capacity=30)
    assert capped.unit == org("县气象局") and capped.registrations.filter(status="confirmed").count() == 11
    assert (
        load_demo_events(demo.campaign) == events or Event.objects.count() == 10
    )  # loading twice adds nothing
    body = client.get("/events/?day=all").content.decode()
    assert "走进气象观测站" in body and "系列微视频《身边的科技》" in body and "科普大篷车进校园" in body
    assert "28 / 30" in client_for(organizer).get(f"/my/events/{capped.pk}/").content.decode()
    board = client_for(organizer).get(f"/manage/campaigns/{demo.campaign.pk}/").content.decode()
    assert "已发布2次活动" in board  # 县气象局 and 县科协 reach the target of 2
    assert "已发布1次活动（目标2次）" in board  # 示例镇一


def test_it_sums_a_units_figures_from_outcomes_and_check_ins(published_event, organizer, week, org):
    offline = published_event(registration_enabled=True, capacity=10)
    online = published_event(title="直播课", mode="online", venue="", online_url="https://live.example.com/a")
    reg = registration_create(event=offline, name="张伟", phone="13905571234", party_size=3)
    Event.objects.filter(pk__in=[offline.pk, online.pk]).update(
        starts_at=timezone.now() - timezone.timedelta(hours=2)
    )
    offline.refresh_from_db()
    online.refresh_from_db()
    checkin_scan(actor=organizer, event=offline, raw=reg.code)
    f = unit_event_figures(week, org("县气象局"))
    assert (f["events_held"], f["public_offline"], f["public_online"]) == (2, 3, 0)
    event_record_outcome(
        actor=organizer,
        event=online,
        version=online.version,
        offline_participants=None,
        online_audience=1200,
        online_audience_source="抖音后台",
    )
    event_record_outcome(
        actor=organizer, event=offline, version=offline.version, offline_participants=40, online_audience=None
    )
    f = unit_event_figures(week, org("县气象局"))
    assert (f["events_held"], f["public_offline"], f["public_online"]) == (2, 40, 1200)
    assert unit_event_figures(week, org("示例镇一"))["events_held"] == 0


def test_it_vouches_for_the_statistics_table_only_with_what_it_recorded(demo, org):
    load_demo_events(demo.campaign)
    form = demo.campaign.forms.filter(is_current=True).first()
    qxj = Report.objects.create(campaign=demo.campaign, unit=org("县气象局"), form=form)
    known = known_figures(qxj)
    assert known["events_held"][0] == Decimal(2)
    assert known["public_offline"][0] == Decimal(30) and known["public_online"][0] == Decimal(3260)
    # 县农业农村局 has not recorded its online audience: the total would be a guess, so it is not offered.
    nyj = Report.objects.create(campaign=demo.campaign, unit=org("县农业农村局"), form=form)
    assert "public_online" not in known_figures(nyj) and known_figures(nyj)["events_held"][0] == Decimal(2)
    fgw = Report.objects.create(campaign=demo.campaign, unit=org("县发改委"), form=form)
    assert known_figures(fgw) == {}


def _png(w: int = 800, h: int = 600) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (w, h), (30, 120, 200)).save(buf, "PNG")
    return buf.getvalue()


def test_it_takes_real_photos_and_refuses_fakes(client_for, client, qxj, published_event):
    event = published_event()
    c = client_for(qxj)
    good = SimpleUploadedFile("现场.png", _png(), content_type="image/png")
    fake = SimpleUploadedFile("photo.jpg", b"%PDF-1.4 not a picture" * 20, content_type="image/jpeg")
    r = c.post(f"/my/events/{event.pk}/images/", {"kind": "photo", "images": [good, fake]}, follow=True)
    body = r.content.decode()
    assert "已上传1张图片" in body
    assert "「活动照片」不是有效的图片（检测到 PDF 内容）" in body
    img = EventImage.objects.get()
    assert (img.width, img.height) == (800, 600) and img.original_name == "现场.png"
    assert "photo.jpg" not in [i.original_name for i in EventImage.objects.all()]
    thumb = client.get(f"/events/{event.pk}/images/{img.pk}/?thumb=1")
    assert thumb.status_code == 200 and b"".join(thumb.streaming_content)[:3] == b"\xff\xd8\xff"  # a JPEG
    assert f"/events/{event.pk}/images/{img.pk}/" in client.get(f"/events/{event.pk}/").content.decode()
