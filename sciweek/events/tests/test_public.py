"""The public portal: calendar by day with filters and search, event pages with QR, iCal, online links."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone

from sciweek.events.models import Event

from .helpers import at

pytestmark = pytest.mark.django_db


@pytest.fixture
def three(published_event):
    return [
        published_event("县气象局", title="走进气象观测站", starts_at=at(1, "09:00"), ends_at=at(1, "11:00")),
        published_event(
            "县气象局",
            title="防灾减灾直播课",
            mode="online",
            venue="",
            category="直播",
            online_platform="抖音“泗县气象”",
            online_url="https://live.example.com/qx",
            starts_at=at(2, "15:00"),
            ends_at=at(2, "16:00"),
        ),
        published_event(
            "示例镇一",
            title="科普大篷车进校园",
            category="展览展示",
            venue="示例镇一中心小学",
            starts_at=at(2, "08:30"),
            ends_at=at(2, "11:30"),
        ),
    ]


def _titles(html: str) -> list[str]:
    return re.findall(r'<div class="fw-semibold sw-title">([^<]+)</div>', html)


def test_it_lists_the_week_by_day_and_filters_it(client, three, org, week):
    day2 = timezone.localdate() + dt.timedelta(days=2)
    r = client.get(f"/events/?day={day2.isoformat()}")
    assert r.status_code == 200
    assert _titles(r.content.decode()) == ["科普大篷车进校园", "防灾减灾直播课"]  # by start time
    assert "2场" in r.content.decode()  # the day tab's count
    assert _titles(client.get("/events/?day=all&mode=online").content.decode()) == ["防灾减灾直播课"]
    assert _titles(client.get("/events/?day=all&mode=offline").content.decode()) == [
        "走进气象观测站",
        "科普大篷车进校园",
    ]
    assert _titles(client.get(f"/events/?day=all&unit={org('示例镇一').pk}").content.decode()) == [
        "科普大篷车进校园"
    ]
    assert _titles(client.get("/events/?day=all&category=直播").content.decode()) == ["防灾减灾直播课"]
    assert _titles(client.get("/events/?q=大篷车").content.decode()) == ["科普大篷车进校园"]
    assert _titles(client.get("/events/?q=县气象局").content.decode()) == ["走进气象观测站", "防灾减灾直播课"]
    body = client.get("/events/").content.decode()
    assert "热爱科学 崇尚科学" in body and "陈曦" in body and "7022310" in body  # theme and contact


def test_it_shrugs_off_nonsense_in_the_query_string(client, three):
    r = client.get("/events/?day=2099-13-40&unit=abc&category=<script>&mode=x&page=-3&q=" + "长" * 300)
    assert r.status_code == 200
    assert "日期格式不正确" in r.content.decode()
    assert "<script>" not in r.content.decode().split("</nav>", 1)[1].split("sw-events")[0]
    r = client.get("/events/?day=2001-01-01")
    assert "所选日期不在活动周内" in r.content.decode()


def test_it_updates_the_cached_calendar_when_an_event_is_published(client, published_event):
    assert "新登记的讲座" not in client.get("/events/?day=all").content.decode()
    published_event(title="新登记的讲座")
    assert "新登记的讲座" in client.get("/events/?day=all").content.decode()


def test_it_gives_each_event_a_page_with_a_qr_code_to_share(client, three):
    event = three[0]
    r = client.get(f"/events/{event.pk}/")
    body = r.content.decode()
    assert "走进气象观测站" in body and "县气象局观测场" in body and "泗县气象局" in body
    assert "<svg" in body and 'class="sw-qr"' in body
    assert f"http://testserver/events/{event.pk}/" in body
    svg = client.get(f"/events/{event.pk}/qr.svg")
    assert svg["Content-Type"] == "image/svg+xml" and svg.content.startswith(b"<?xml")
    assert b"<path" in svg.content


def test_it_serves_ical_feeds_folded_per_rfc_5545(client, three):
    r = client.get(f"/events/{three[0].pk}/event.ics")
    assert r["Content-Type"].startswith("text/calendar")
    text = r.content.decode("utf-8")
    assert text.startswith("BEGIN:VCALENDAR\r\n") and text.endswith("END:VCALENDAR\r\n")
    assert "\n" not in text.replace("\r\n", "")
    for line in text.split("\r\n"):
        assert len(line.encode("utf-8")) <= 75
    unfolded = text.replace("\r\n ", "")
    start = three[0].starts_at.astimezone(dt.UTC)
    assert f"DTSTART:{start:%Y%m%dT%H%M%SZ}" in unfolded
    assert "SUMMARY:走进气象观测站" in unfolded and "LOCATION:县气象局观测场，气象路1号" in unfolded
    feed = client.get("/events/calendar.ics").content.decode("utf-8").replace("\r\n ", "")
    assert feed.count("BEGIN:VEVENT") == 3
    assert "https://live.example.com/qx" in feed


def test_it_escapes_and_folds_long_ical_text_without_splitting_characters(client, published_event):
    title = "科普讲座; 第一讲, 低碳节能\\与“双碳”目标——" + "科学" * 30
    event = published_event(title=title[:120])
    text = client.get(f"/events/{event.pk}/event.ics").content.decode("utf-8")  # strict UTF-8: no split char
    lines = text.split("\r\n")
    assert all(len(line.encode("utf-8")) <= 75 for line in lines)
    assert any(line.startswith(" ") for line in lines)  # folded
    summary = next(line for line in text.replace("\r\n ", "").split("\r\n") if line.startswith("SUMMARY:"))
    assert summary.startswith("SUMMARY:科普讲座\\; 第一讲\\, 低碳节能\\\\与“双碳”目标")


def test_it_counts_clicks_on_online_links_and_only_redirects_to_the_stored_link(
    client, three, published_event
):
    online = three[1]
    r = client.get(f"/events/{online.pk}/go/")
    assert r.status_code == 302 and r["Location"] == "https://live.example.com/qx"
    client.get(f"/events/{online.pk}/go/?next=https://evil.example.org/")
    online.refresh_from_db()
    assert online.click_count == 2
    assert client.get(f"/events/{three[0].pk}/go/").status_code == 404  # offline: no link
    # A bad scheme slipped into the database (an old import) is never followed.
    Event.objects.filter(pk=online.pk).update(online_url="javascript:alert(1)")
    assert client.get(f"/events/{online.pk}/go/").status_code == 404


def test_it_links_the_calendar_from_the_portal_home(client, three):
    body = client.get("/").content.decode()
    assert 'href="/events/"' in body
