"""The public registers for a capped event: ticket with QR, cancel, waiting list, duplicates, floods."""

from __future__ import annotations

import re

import pytest
from django.test import Client, override_settings

from sciweek.events.models import Event, Registration
from sciweek.events.registration import Places, places, recount, registration_from_token, ticket_token

from .helpers import at

pytestmark = pytest.mark.django_db


@pytest.fixture
def capped(published_event):
    return published_event(registration_enabled=True, capacity=3, waitlist_limit=1)


def _register(client: Client, event, name: str, phone: str, party: int = 1, follow: bool = True):
    return client.post(
        f"/events/{event.pk}/register/",
        {"name": name, "phone": phone, "party_size": party, "agree": "on"},
        follow=follow,
    )


def test_it_gives_a_qr_ticket_with_a_masked_phone_and_a_cancel_link(client, capped):
    r = _register(client, capped, "张伟", "139 0557 1234", 2)
    body = r.content.decode()
    assert r.status_code == 200 and "报名成功" in body
    assert "139****1234" in body and "13905571234" not in body
    assert 'class="sw-qr"' in body and "取消报名" in body
    reg = Registration.objects.get()
    assert reg.phone == "13905571234" and reg.party_size == 2 and reg.status == "confirmed"
    url = r.redirect_chain[-1][0]
    assert url.startswith("/events/ticket/") and registration_from_token(url.split("/")[3]) == reg
    code = reg.code
    assert f"{code[:4]} {code[4:]}" in body  # the typed code, for a door without a camera
    detail = client.get(f"/events/{capped.pk}/").content.decode()
    assert "剩余1个" in detail
    assert "走进气象观测站" in client.get("/events/mine/").content.decode()
    assert "走进气象观测站" not in Client().get("/events/mine/").content.decode()  # another browser


def test_it_waitlists_when_full_promotes_on_cancel_and_then_says_full(capped):
    people = [Client() for _ in range(5)]
    _register(people[0], capped, "甲", "13900000001", 2)
    _register(people[1], capped, "乙", "13900000002", 1)
    r = _register(people[2], capped, "丙", "13900000003", 1)
    assert "候补中" in r.content.decode() and "前面还有 0 份候补" in r.content.decode()
    r = _register(people[3], capped, "丁", "13900000004", 1)
    body = r.content.decode()
    assert "名额已满，候补也已排满" in body
    assert Registration.objects.count() == 3

    first = Registration.objects.get(name="甲")
    token = ticket_token(first)
    assert "确定取消" in people[0].get(f"/events/ticket/{token}/cancel/").content.decode()
    r = people[0].post(f"/events/ticket/{token}/cancel/", follow=True)
    assert "报名已取消" in r.content.decode()
    assert Registration.objects.get(name="丙").status == "confirmed"  # promoted
    ticket = people[2].get(f"/events/ticket/{ticket_token(Registration.objects.get(name='丙'))}/")
    assert "报名成功" in ticket.content.decode()
    # The freed places: 3 − 乙 1 − 丙 1 = 1 left, so the next person is confirmed.
    assert "报名成功" in _register(people[4], capped, "戊", "13900000005", 1).content.decode()
    capped.refresh_from_db()
    assert places(capped) == recount(capped) == Places(3, 3, 0)


def test_it_allows_one_registration_per_mobile_number(client, capped):
    _register(client, capped, "张伟", "13905571234")
    r = _register(Client(), capped, "张伟的家人", "+86 139-0557-1234")
    assert "139****1234已报名本活动" in r.content.decode()
    assert Registration.objects.count() == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"name": "张伟", "phone": "12345678901", "party_size": 1, "agree": "on"},
            "手机号「12345678901」格式不正确",
        ),
        ({"name": "张伟", "phone": "abc", "party_size": 1, "agree": "on"}, "格式不正确"),
        ({"name": "", "phone": "13905571234", "party_size": 1, "agree": "on"}, 'data-error-for="name"'),
        (
            {"name": "张伟", "phone": "13905571234", "party_size": 9, "agree": "on"},
            'data-error-for="party_size"',
        ),
        ({"name": "张伟", "phone": "13905571234", "party_size": 1}, "请确认参加须知"),
    ],
)
def test_it_refuses_bogus_registrations_with_a_clear_message(client, capped, data, message):
    r = client.post(f"/events/{capped.pk}/register/", data)
    assert r.status_code == 200 and message in r.content.decode()
    assert not Registration.objects.exists()


def test_it_rejects_forged_and_mangled_tickets(client, capped):
    _register(client, capped, "张伟", "13905571234")
    reg = Registration.objects.get()
    token = ticket_token(reg)
    assert client.get(f"/events/ticket/{token}/").status_code == 200
    forged = re.sub(r".$", lambda m: "A" if m.group(0) != "A" else "B", token)
    assert client.get(f"/events/ticket/{forged}/").status_code == 404
    assert client.post(f"/events/ticket/{forged}/cancel/").status_code == 404
    assert client.get("/events/ticket/eyJyIjoxfQ:abc:def/").status_code == 404
    # A token signed for another purpose (same secret, other salt) is no ticket either.
    from django.core import signing

    other = signing.dumps({"r": reg.pk, "n": reg.ticket_nonce}, salt="something.else")
    assert client.get(f"/events/ticket/{other}/").status_code == 404
    reg.refresh_from_db()
    assert reg.status == "confirmed"


def test_it_closes_registration_once_the_event_has_started_and_where_none_is_needed(
    client, capped, published_event
):
    Event.objects.filter(pk=capped.pk).update(starts_at=at(0, "00:00"))  # time passes: the event began
    r = _register(client, capped, "张伟", "13905571234")
    assert "报名已关闭" in r.content.decode()
    assert "报名已截止" in client.get(f"/events/{capped.pk}/").content.decode()
    free = published_event(title="无需报名的讲座")
    assert "报名已关闭" in _register(client, free, "张伟", "13905571234").content.decode()
    assert not Registration.objects.exists()


@override_settings(SCIWEEK_REGISTRATION_RATE="3/600")
def test_it_rate_limits_registration_floods_from_one_address(capped, published_event):
    big = published_event(title="大讲堂", registration_enabled=True, capacity=100)
    flood = Client(REMOTE_ADDR="203.0.113.9")
    for i in range(3):
        assert _register(flood, big, f"刷{i}", f"1390000100{i}").status_code == 200
    r = _register(flood, big, "刷4", "13900001004", follow=False)
    assert r.status_code == 429 and "操作过于频繁" in r.content.decode()
    assert Registration.objects.filter(event=big).count() == 3
    # Someone else, elsewhere, is not affected.
    assert (
        "报名成功"
        in _register(Client(REMOTE_ADDR="198.51.100.7"), big, "李娜", "13900002000").content.decode()
    )


def test_it_answers_not_found_for_registrations_to_unpublished_or_missing_events(client, week, qxj, unit):
    from sciweek.events.services import event_create

    from .helpers import event_fields

    draft = event_create(
        actor=qxj, campaign=week, unit=unit("县气象局"), **event_fields(registration_enabled=True, capacity=5)
    )
    for event_id in (draft.pk, 999999):
        r = client.post(
            f"/events/{event_id}/register/",
            {"name": "张伟", "phone": "13905571234", "party_size": 1, "agree": "on"},
        )
        assert r.status_code == 404
    assert not Registration.objects.exists()
