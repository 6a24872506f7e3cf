"""The public registers for a capped event: ticket with QR, cancel, waiting list, duplicates, floods."""

from __future__ import annotations

import re

import pytest
from django.test import Client, override_settings

from sciweek.events.models import Event, Registration
from sciweek.events.registration import Places, places, recount, registration_from_token
from sciweek.events.ticket_tokens import ticket_token

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


def _shards_hold(event) -> None:
    """The shards add up: Σ quota = capacity, no shard over its quota, Σ taken = the people confirmed."""
    from sciweek.events.models import PlaceShard

    shards = list(PlaceShard.objects.filter(event=event))
    assert sum(s.quota for s in shards) == event.capacity
    assert all(0 <= s.taken <= s.quota for s in shards)
    assert sum(s.taken for s in shards) == recount(event).confirmed


def test_it_confirms_a_party_when_the_places_left_are_spread_over_the_shards(published_event):
    from sciweek.events.registration import EventFull, registration_create

    event = published_event(registration_enabled=True, capacity=20, waitlist_limit=1)
    for i in range(4):  # four shards of 5 places, each left with 1
        assert (
            registration_create(event=event, name=f"团{i}", phone=f"1390000000{i}", party_size=4).status
            == "confirmed"
        )
    event.refresh_from_db()
    assert places(event) == Places(20, 16, 0)
    # 4 places left, one in each shard: counted under the event's lock and shared out again.
    assert (
        registration_create(event=event, name="团4", phone="13900000004", party_size=4).status == "confirmed"
    )
    assert registration_create(event=event, name="候补", phone="13900000005").status == "waitlisted"
    with pytest.raises(EventFull):
        registration_create(event=event, name="来晚了", phone="13900000006")
    event.refresh_from_db()
    assert places(event) == recount(event) == Places(20, 20, 1)
    _shards_hold(event)


def test_it_refuses_a_capacity_below_the_people_confirmed_and_promotes_when_it_grows(
    published_event, organizer
):
    from django.core.exceptions import ValidationError

    from sciweek.events.registration import registration_create
    from sciweek.events.services import event_update

    event = published_event(registration_enabled=True, capacity=10, waitlist_limit=2)
    for i in range(6):
        registration_create(event=event, name=f"甲{i}", phone=f"1390000001{i}")
    with pytest.raises(ValidationError) as refused:
        event_update(actor=organizer, event=event, version=None, capacity=5)
    assert "已有6人报名成功，名额不能少于6" in "".join(refused.value.messages)
    event.refresh_from_db()
    assert event.capacity == 10  # nothing of the edit was kept
    event = event_update(actor=organizer, event=event, version=None, capacity=6)
    waiting = registration_create(event=event, name="候补", phone="13900000020")
    assert waiting.status == "waitlisted"
    event = event_update(actor=organizer, event=event, version=None, capacity=8)
    waiting.refresh_from_db()
    assert waiting.status == "confirmed" and waiting.promoted_at is not None
    event.refresh_from_db()
    assert places(event) == recount(event) == Places(8, 7, 0)
    _shards_hold(event)


def test_it_answers_a_full_event_with_a_short_page_and_a_too_big_party_with_the_form(client, published_event):
    full = published_event(registration_enabled=True, capacity=1)
    _register(Client(), full, "张伟", "13905571234")
    body = _register(client, full, "李娜", "13905575678").content.decode()
    assert 'id="event-full"' in body and "名额已满，候补也已排满" in body
    assert "submit-registration" not in body  # nothing left to try: no form
    small = published_event(title="小型讲座", registration_enabled=True, capacity=3)
    _register(Client(), small, "王芳", "13905570001", 2)
    body = _register(client, small, "赵强", "13905570002", 2).content.decode()
    assert "名额已满（剩余1个名额）" in body and 'id="submit-registration"' in body  # fewer may still come
    assert Registration.objects.count() == 2


def test_it_counts_the_places_of_an_event_registered_before_the_shards_existed(published_event):
    from sciweek.events.models import PlaceShard
    from sciweek.events.registration import EventFull, registration_create

    event = published_event(registration_enabled=True, capacity=5)
    for i in range(4):  # rows and the old counter, as an older version left them
        Registration.objects.create(event=event, name=f"旧{i}", phone=f"1390000003{i}", status="confirmed")
    Event.objects.filter(pk=event.pk).update(confirmed_places=4)
    event.refresh_from_db()
    assert not PlaceShard.objects.filter(event=event).exists() and places(event) == Places(5, 4, 0)
    assert registration_create(event=event, name="新", phone="13900000040").status == "confirmed"
    with pytest.raises(EventFull):
        registration_create(event=event, name="满", phone="13900000041")
    event.refresh_from_db()
    assert places(event) == recount(event) == Places(5, 5, 0)
    _shards_hold(event)


def test_it_keeps_to_a_capacity_lowered_while_the_event_was_off_the_calendar(published_event, organizer, qxj):
    from sciweek.events.registration import EventFull, registration_cancel, registration_create
    from sciweek.events.services import event_approve, event_return, event_submit, event_update

    event = published_event(registration_enabled=True, capacity=10)
    registration_cancel(registration=registration_create(event=event, name="甲", phone="13900000050"))
    # Nobody confirmed: the organizer may send it back; the unit halves the places and resubmits.
    event = event_return(actor=organizer, event=event, reason="场地改为小会议室")
    event = event_update(actor=qxj, event=event, version=None, capacity=5)
    event = event_approve(actor=organizer, event=event_submit(actor=qxj, event=event))
    for i in range(5):
        assert registration_create(event=event, name=f"乙{i}", phone=f"1390000006{i}").status == "confirmed"
    with pytest.raises(EventFull):
        registration_create(event=event, name="丙", phone="13900000070")
    event.refresh_from_db()
    assert places(event) == recount(event) == Places(5, 5, 0)
    _shards_hold(event)
