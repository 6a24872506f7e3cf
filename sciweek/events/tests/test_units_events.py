"""A unit registers its events; the organizer approves or returns them; rule 五.2 is checked per unit."""

from __future__ import annotations

import pytest

from sciweek.core.models import AuditEvent, Notification
from sciweek.events.models import Event

from .helpers import at

pytestmark = pytest.mark.django_db


def _form(**overrides) -> dict:
    data = {
        "title": "走进气象观测站",
        "category": "气象科技周",
        "mode": "offline",
        "starts_at": at(2, "09:00").strftime("%Y-%m-%dT%H:%M"),
        "ends_at": at(2, "11:30").strftime("%Y-%m-%dT%H:%M"),
        "audiences": ["青少年", "中小学校"],
        "venue": "县气象局观测场",
        "address": "气象路1号",
        "registration_enabled": "on",
        "capacity": "30",
        "waitlist_limit": "5",
        "expected_scale": "30",
        "safety_contact": "刘工",
        "safety_phone": "13955700101",
        "description": "参观自动气象站。",
    }
    data.update(overrides)
    return data


def test_it_takes_an_event_from_draft_through_return_to_the_public_calendar(
    client_for, client, qxj, organizer, week, unit
):
    c = client_for(qxj)
    r = c.post(f"/my/events/new/?unit={unit('县气象局').pk}", _form(), follow=True)
    assert "活动已保存为草稿" in r.content.decode()
    event = Event.objects.get(title="走进气象观测站")
    assert event.status == "draft" and event.unit == unit("县气象局") and event.capacity == 30
    # Not on the public calendar yet, and its public page is not found.
    assert "走进气象观测站" not in client.get("/events/?day=all").content.decode()
    assert client.get(f"/events/{event.pk}/").status_code == 404

    r = c.post(f"/my/events/{event.pk}/submit/", {"version": event.version}, follow=True)
    assert "已提交审核" in r.content.decode()
    assert Notification.objects.filter(unit=week.org_unit, title__contains="走进气象观测站").exists()

    o = client_for(organizer)
    r = o.get(f"/manage/events/?campaign={week.pk}")
    assert "走进气象观测站" in r.content.decode() and "通过并发布" in r.content.decode()
    event.refresh_from_db()
    r = o.post(
        f"/manage/events/{event.pk}/review/",
        {"decision": "return", "reason": "", "version": event.version},
        follow=True,
    )
    assert "请填写退回理由" in r.content.decode()
    r = o.post(
        f"/manage/events/{event.pk}/review/",
        {"decision": "return", "reason": "请补充停车和入场须知", "version": event.version},
        follow=True,
    )
    assert "已退回" in r.content.decode()
    event.refresh_from_db()
    assert event.status == "returned"
    assert Notification.objects.filter(unit=unit("县气象局"), body__contains="请补充停车和入场须知").exists()
    r = c.get("/my/events/")
    assert "请补充停车和入场须知" in r.content.decode()

    r = c.post(
        f"/my/events/{event.pk}/edit/",
        _form(description="请从东门进入，停车场在院内。", version=event.version),
        follow=True,
    )
    assert "活动已保存" in r.content.decode()
    event.refresh_from_db()
    c.post(f"/my/events/{event.pk}/submit/", {"version": event.version})
    event.refresh_from_db()
    # A forged version (no number) is refused as a stale one, not a server error in int().
    r = o.post(f"/manage/events/{event.pk}/review/", {"decision": "approve", "version": "1e3"}, follow=True)
    assert r.status_code == 200 and "已被" in r.content.decode()
    event.refresh_from_db()
    assert event.status == "submitted"
    o.post(f"/manage/events/{event.pk}/review/", {"decision": "approve", "version": event.version})
    event.refresh_from_db()
    assert event.status == "approved"
    assert Notification.objects.filter(unit=unit("县气象局"), title__contains="已通过审核并发布").exists()
    assert "走进气象观测站" in client.get("/events/?day=all").content.decode()
    assert "请从东门进入" in client.get(f"/events/{event.pk}/").content.decode()
    actions = set(AuditEvent.objects.filter(object_type="events.event").values_list("action", flat=True))
    assert {"event.create", "event.submit", "event.return", "event.update", "event.approve"} <= actions


def test_it_shows_who_falls_short_of_rule_5_2(client_for, organizer, qxj, town1, published_event, week):
    published_event("县气象局")
    board = client_for(organizer).get(f"/manage/campaigns/{week.pk}/").content.decode()
    assert "已发布1次活动（目标2次）" in board  # 县气象局: at least 1 done, target 2
    assert "尚无已发布的活动（至少1次）" in board  # everyone else, 示例镇一 among them
    published_event(
        "县气象局", title="防灾减灾直播课", mode="online", venue="", online_url="https://live.example.com/x"
    )
    mine = client_for(qxj).get("/my/").content.decode()
    assert "已发布2次活动" in mine
    assert "尚无已发布的活动" in client_for(town1).get("/my/").content.decode()
    assert "尚无已发布的活动" in client_for(town1).get("/my/events/").content.decode()


def test_it_keeps_units_to_their_own_events(client_for, town1, qxj, xcb, published_event, week, unit):
    event = published_event("县气象局")
    other = client_for(town1)
    assert other.get(f"/my/events/{event.pk}/").status_code == 404
    assert other.get(f"/my/events/{event.pk}/edit/").status_code == 404
    assert other.get(f"/manage/events/{event.pk}/checkin/").status_code == 404
    assert other.get(f"/manage/events/{event.pk}/registrations/").status_code == 404
    assert other.post(f"/manage/events/{event.pk}/review/", {"decision": "approve"}).status_code == 404
    assert other.get(f"/my/events/new/?unit={unit('县气象局').pk}").status_code == 404
    # The unit itself may not approve its own event; a co-organizer sees it but cannot review.
    assert (
        client_for(qxj).post(f"/manage/events/{event.pk}/review/", {"decision": "approve"}).status_code == 403
    )
    assert (
        client_for(xcb).post(f"/manage/events/{event.pk}/review/", {"decision": "approve"}).status_code == 403
    )
    # A published event is no longer the unit's to change.
    r = client_for(qxj).post(f"/my/events/{event.pk}/edit/", _form(version=event.version), follow=True)
    assert "活动已发布，如需修改请联系组织单位" in r.content.decode()


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"ends_at": at(2, "08:00").strftime("%Y-%m-%dT%H:%M")}, "ends_at", "结束时间不能早于开始时间"),
        (
            {
                "starts_at": at(30).strftime("%Y-%m-%dT%H:%M"),
                "ends_at": at(30, "10:00").strftime("%Y-%m-%dT%H:%M"),
            },
            "starts_at",
            "不在活动周",
        ),
        ({"starts_at": at(-1, "08:00").strftime("%Y-%m-%dT%H:%M")}, "starts_at", "开始时间已过"),
        ({"capacity": "-5"}, "capacity", "名额不能为负数"),
        ({"capacity": "0"}, "capacity", "名额至少为1"),
        ({"capacity": "三十"}, "capacity", "名额应为整数"),
        ({"safety_phone": "12345"}, "safety_phone", "安全责任人电话「12345」格式不正确"),
        ({"online_url": "javascript:alert(1)", "mode": "online"}, "online_url", "不是有效的网址"),
        ({"title": ""}, "title", "This field is required|这个字段是必填项|请填写"),
    ],
)
def test_it_refuses_bad_event_input_with_a_clear_message(
    client_for, qxj, week, unit, changes, field, message
):
    r = client_for(qxj).post(f"/my/events/new/?unit={unit('县气象局').pk}", _form(**changes))
    body = r.content.decode()
    assert r.status_code == 200
    assert f'data-error-for="{field}"' in body
    assert any(m in body for m in message.split("|"))
    assert not Event.objects.exists()


def test_it_accepts_a_backfilled_past_event_but_no_registration_for_it(client_for, qxj, week, unit):
    c = client_for(qxj)
    past = {
        "starts_at": at(-1, "08:00").strftime("%Y-%m-%dT%H:%M"),
        "ends_at": at(-1, "10:00").strftime("%Y-%m-%dT%H:%M"),
        "backfill": "on",
    }
    r = c.post(f"/my/events/new/?unit={unit('县气象局').pk}", _form(**past))
    assert "补录的活动已经举办，不能再开放报名" in r.content.decode()
    r = c.post(
        f"/my/events/new/?unit={unit('县气象局').pk}",
        _form(registration_enabled="", capacity="", **past),
        follow=True,
    )
    assert "活动已保存为草稿" in r.content.decode()
    assert Event.objects.get().backfill


def test_it_asks_for_safety_details_before_an_offline_event_goes_to_review(client_for, qxj, week, unit):
    c = client_for(qxj)
    c.post(
        f"/my/events/new/?unit={unit('县气象局').pk}",
        _form(safety_contact="", safety_phone="", expected_scale=""),
    )
    event = Event.objects.get()
    r = c.post(f"/my/events/{event.pk}/submit/", {"version": event.version}, follow=True)
    body = r.content.decode()
    assert "线下活动请填写安全责任人" in body and "预计规模" in body
    event.refresh_from_db()
    assert event.status == "draft"


def test_it_sanitises_html_in_descriptions_on_output(client, published_event):
    event = published_event(
        description='<p>欢迎<strong>参加</strong></p><script>alert("x")</script>'
        '<a href="javascript:alert(1)" onclick="x()">链接</a><img src=x onerror=alert(1)>'
    )
    body = client.get(f"/events/{event.pk}/").content.decode()
    assert "<strong>参加</strong>" in body
    assert "<script>alert" not in body and "onerror" not in body and "javascript:alert" not in body
    assert "onclick" not in body
