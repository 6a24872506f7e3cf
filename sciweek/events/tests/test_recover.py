"""找回我的报名: mobile number → 6-digit code by text → this browser lists that number's tickets."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from sciweek.core.models import OutboundMessage
from sciweek.events.registration import registration_create

pytestmark = pytest.mark.django_db


def _code(phone: str) -> str:
    text = OutboundMessage.objects.filter(phone=phone, kind="recover").latest("id").text
    return re.search(r"验证码(\d{6})", text).group(1)


def test_it_recovers_the_tickets_of_a_number_with_a_texted_code(published_event):
    event = published_event(registration_enabled=True, capacity=30)
    other = published_event(title="直播课", registration_enabled=True, capacity=10)
    registration_create(event=event, name="林小满", phone="13955123456", party_size=2)
    registration_create(event=other, name="林小满", phone="13955123456", party_size=1)
    registration_create(event=event, name="别人", phone="13955000000", party_size=1)
    c = Client()
    assert "没有报名记录" in c.get("/events/mine/").content.decode()
    r = c.post("/events/mine/recover/", {"step": "send", "phone": "139 5512 3456"})
    body = r.content.decode()
    assert "139****3456" in body and "6位验证码" in body
    r = c.post(
        "/events/mine/recover/",
        {"step": "code", "code": "000000" if _code("13955123456") != "000000" else "111111"},
    )
    assert "验证码不正确" in r.content.decode()
    r = c.post("/events/mine/recover/", {"step": "code", "code": _code("13955123456")}, follow=True)
    mine = r.content.decode()
    assert "已找回2条报名" in mine and event.title in mine and "直播课" in mine
    assert mine.count('href="/events/ticket/') == 2  # the other number's ticket is not listed


def test_it_says_the_same_for_a_number_without_registrations_and_sends_nothing(published_event):
    c = Client()
    r = c.post("/events/mine/recover/", {"step": "send", "phone": "13955987654"})
    assert "139****7654" in r.content.decode()
    assert not OutboundMessage.objects.filter(phone="13955987654").exists()


def test_it_rejects_a_bad_number_in_chinese(published_event):
    r = Client().post("/events/mine/recover/", {"step": "send", "phone": "12345"})
    assert "手机号" in r.content.decode() and "is-invalid" in r.content.decode()


def test_it_limits_codes_per_number_and_tries_per_code(published_event):
    event = published_event(registration_enabled=True, capacity=30)
    registration_create(event=event, name="林小满", phone="13955123456", party_size=1)
    c = Client()
    for _ in range(3):
        assert c.post("/events/mine/recover/", {"step": "send", "phone": "13955123456"}).status_code == 200
    assert c.post("/events/mine/recover/", {"step": "send", "phone": "13955123456"}).status_code == 429
    assert OutboundMessage.objects.filter(kind="recover").count() == 3
    wrong = "000000" if _code("13955123456") != "000000" else "111111"
    for _ in range(5):
        assert (
            "验证码不正确"
            in c.post("/events/mine/recover/", {"step": "code", "code": wrong}).content.decode()
        )
    r = c.post("/events/mine/recover/", {"step": "code", "code": _code("13955123456")})
    assert "尝试次数过多" in r.content.decode()  # even the right code, once the tries are used up
