"""Check-in at the door: typed codes and scanned tokens, duplicates, offline queues, walk-ins, the counter."""

from __future__ import annotations

import json
import uuid

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from sciweek.events.models import CheckIn, Registration, Scan
from sciweek.events.registration import registration_create
from sciweek.events.ticket_tokens import ticket_token

from .helpers import at

pytestmark = pytest.mark.django_db


@pytest.fixture
def today_event(published_event):
    """A capped event on today (started an hour ago: the door is open)."""
    from sciweek.events.models import Event

    event = published_event(
        registration_enabled=True, capacity=10, starts_at=at(1, "09:00"), ends_at=at(1, "23:00")
    )
    regs = [
        registration_create(event=event, name=n, phone=p, party_size=s)
        for n, p, s in (("张伟", "13905571234", 2), ("王芳", "13905575678", 1))
    ]
    now = timezone.now()
    Event.objects.filter(pk=event.pk).update(
        starts_at=now - timezone.timedelta(hours=1), ends_at=now + timezone.timedelta(hours=3)
    )
    event.refresh_from_db()
    return event, regs


def _sync(client: Client, event, scans: list[dict]):
    return client.post(
        f"/manage/events/{event.pk}/checkin/sync/",
        json.dumps({"scans": scans}),
        content_type="application/json",
    )


def test_it_checks_in_a_typed_code_and_recognises_it_the_second_time(client_for, qxj, today_event):
    event, (zhang, _wang) = today_event
    c = client_for(qxj)
    page = c.get(f"/manage/events/{event.pk}/checkin/").content.decode()
    assert "现场签到" in page and "jsQR.js" in page and "checkin.js" in page
    assert 'id="arrived-people">0<' in page
    typed = f"{zhang.code[:4].lower()} {zhang.code[4:]}"  # as someone types it at the door
    r = _sync(
        c, event, [{"uuid": str(uuid.uuid4()), "code": typed, "scanned_at": timezone.now().isoformat()}]
    )
    result = r.json()["results"][0]
    assert result["ok"] and "张伟（2人）签到成功" in result["message"]
    r = _sync(c, event, [{"uuid": str(uuid.uuid4()), "code": ticket_token(zhang)}])
    again = r.json()["results"][0]
    hhmm = timezone.localtime(CheckIn.objects.get().checked_in_at).strftime("%H:%M")
    assert again["result"] == "duplicate" and again["message"] == f"张伟已签到 {hhmm}"
    counter = c.get(f"/manage/events/{event.pk}/checkin/counter/").content.decode()
    assert 'id="arrived-people">2<' in counter and "/ 10" in counter
    assert CheckIn.objects.count() == 1


def test_it_rejects_forged_cancelled_and_foreign_tickets(client_for, qxj, today_event, published_event):
    event, (zhang, wang) = today_event
    c = client_for(qxj)
    token = ticket_token(zhang)
    forged = token[:-2] + ("xy" if not token.endswith("xy") else "zz")
    results = _sync(
        c,
        event,
        [
            {"uuid": str(uuid.uuid4()), "code": forged},
            {"uuid": str(uuid.uuid4()), "code": "ZZZZZZZZ"},
            {"uuid": str(uuid.uuid4()), "code": "<script>alert(1)</script>"},
        ],
    ).json()["results"]
    assert [r["result"] for r in results] == ["invalid", "invalid", "invalid"]
    assert "无效票码" in results[0]["message"]
    from sciweek.events.registration import registration_cancel

    registration_cancel(registration=wang)
    r = _sync(c, event, [{"uuid": str(uuid.uuid4()), "code": wang.code}]).json()["results"][0]
    assert r["result"] == "cancelled" and "王芳的报名已取消" in r["message"]
    other = published_event(title="另一场讲座", registration_enabled=True, capacity=5)
    stranger = registration_create(event=other, name="李娜", phone="13900009999")
    r = _sync(c, event, [{"uuid": str(uuid.uuid4()), "code": ticket_token(stranger)}]).json()["results"][0]
    assert r["result"] == "other_event" and "另一场讲座" in r["message"]
    assert not CheckIn.objects.exists()


def test_it_counts_an_offline_queue_replayed_twice_only_once(client_for, qxj, today_event):
    event, (zhang, wang) = today_event
    c = client_for(qxj)
    queue = [
        {"uuid": str(uuid.uuid4()), "code": zhang.code, "scanned_at": at(0, "00:01").isoformat()},
        {"uuid": str(uuid.uuid4()), "code": ticket_token(wang), "scanned_at": timezone.now().isoformat()},
        {"uuid": str(uuid.uuid4()), "code": zhang.code},
    ]  # the same ticket scanned again
    first = _sync(c, event, queue).json()
    assert [r["result"] for r in first["results"]] == ["ok", "ok", "duplicate"]
    second = _sync(c, event, queue).json()  # the phone never got the answer, and sends it all again
    assert [r["result"] for r in second["results"]] == ["ok", "ok", "duplicate"]
    assert all(r["replayed"] for r in second["results"])
    assert CheckIn.objects.count() == 2 and Scan.objects.count() == 3
    counter = c.get(f"/manage/events/{event.pk}/checkin/counter/").content.decode()
    assert 'id="arrived-people">3<' in counter and "签到 2 次" in counter
    # The scan time from the phone is kept (queued while offline), not the time it arrived.
    assert CheckIn.objects.get(registration=zhang).checked_in_at == at(0, "00:01")


def test_it_refuses_malformed_sync_requests(client_for, qxj, today_event):
    event, _ = today_event
    c = client_for(qxj)
    r = c.post(f"/manage/events/{event.pk}/checkin/sync/", "not json", content_type="application/json")
    assert r.status_code == 400 and "数据格式不正确" in r.json()["detail"]
    r = _sync(c, event, [{"uuid": "not-a-uuid", "code": "ABCD2345"}])
    assert r.json()["results"][0]["result"] == "invalid"
    r = _sync(c, event, [{"uuid": str(uuid.uuid4()), "code": "X"}] * 201)
    assert r.status_code == 400 and "一次最多同步200条" in r.json()["detail"]


def test_it_lets_walk_ins_check_themselves_in_from_the_poster(client, client_for, qxj, today_event):
    event, (zhang, _) = today_event
    poster = client_for(qxj).get(f"/manage/events/{event.pk}/poster/").content.decode()
    assert "现场签到" in poster and 'class="sw-qr"' in poster and event.title in poster
    url = f"/events/{event.pk}/walkin/{event.poster_key}/"
    assert client.get(f"/events/{event.pk}/walkin/guessed-key/").status_code == 404
    r = client.post(url, {"name": "路人甲", "phone": "13911112222", "party_size": 3})
    assert "路人甲（3人）签到成功" in r.content.decode()
    r = Client().post(url, {"name": "路人甲", "phone": "13911112222", "party_size": 1})
    assert "路人甲已签到" in r.content.decode()
    r = Client().post(
        url, {"name": "张伟", "phone": "13905571234", "party_size": 1}
    )  # registered: their ticket
    assert "张伟（2人）签到成功" in r.content.decode()
    assert CheckIn.objects.get(registration=zhang).method == "walkin"
    r = Client().post(url, {"name": "路人乙", "phone": "110", "party_size": 1})
    assert "手机号「110」格式不正确" in r.content.decode()
    # Capacity 10: 3 walk-ins and 张伟's 2 are in; a party of 5 fills it exactly, one more is refused.
    r = Client().post(url, {"name": "大团", "phone": "13911113333", "party_size": 5})
    assert "签到成功" in r.content.decode()
    r = Client().post(url, {"name": "晚到", "phone": "13911114444", "party_size": 1})
    assert "现场人数已达上限（10人）" in r.content.decode()
    board = client_for(qxj).get(f"/manage/events/{event.pk}/checkin/counter/").content.decode()
    assert 'id="arrived-people">10<' in board


def test_it_keeps_check_in_to_the_staff_who_run_the_event(
    client, client_for, town1, province, organizer, today_event
):
    event, (zhang, _) = today_event
    assert client.get(f"/manage/events/{event.pk}/checkin/").status_code == 302  # to the login page
    assert client_for(town1).get(f"/manage/events/{event.pk}/checkin/").status_code == 404
    assert client_for(province).get(f"/manage/events/{event.pk}/checkin/").status_code == 403
    r = _sync(client_for(town1), event, [{"uuid": str(uuid.uuid4()), "code": zhang.code}])
    assert r.status_code == 404 and not CheckIn.objects.exists()
    assert client_for(organizer).get(f"/manage/events/{event.pk}/checkin/").status_code == 200


def test_it_shows_full_phones_only_to_those_who_need_them(client_for, qxj, organizer, xcb, today_event):
    event, _ = today_event
    unit_view = client_for(qxj).get(f"/manage/events/{event.pk}/registrations/").content.decode()
    assert "139****1234" in unit_view and "13905571234" not in unit_view
    assert "139****1234" in client_for(xcb).get(f"/manage/events/{event.pk}/registrations/").content.decode()
    full = client_for(organizer).get(f"/manage/events/{event.pk}/registrations/").content.decode()
    assert "13905571234" in full
    assert Registration.objects.count() == 2


def _door_cookie(client: Client, event) -> str:
    cookie = client.cookies.get(f"sw_door_{event.pk}")
    return cookie.value if cookie is not None else ""


def test_it_takes_scans_on_the_door_pass_without_reading_the_session(client_for, qxj, today_event):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from sciweek.core.models import AuditEvent

    event, (zhang, _wang) = today_event
    c = client_for(qxj)
    c.get(f"/manage/events/{event.pk}/checkin/")
    cookie = c.cookies[f"sw_door_{event.pk}"]
    assert cookie["path"] == f"/manage/events/{event.pk}/checkin/" and cookie["httponly"]
    assert cookie["samesite"] == "Strict" and int(cookie["max-age"]) <= 120
    with CaptureQueriesContext(connection) as queries:
        result = _sync(c, event, [{"uuid": str(uuid.uuid4()), "code": zhang.code}]).json()["results"][0]
    assert result["ok"]
    tables = " ".join(q["sql"] for q in queries.captured_queries)
    for looked_up in ("django_session", "auth_user", "accounts_profile", "orgs_membership", '"events_event"'):
        assert looked_up not in tables, looked_up
    assert CheckIn.objects.get().by == qxj  # audited as the person the pass was given to
    assert AuditEvent.objects.filter(action="checkin.scan").get().actor == qxj
    # The counter, polled every 5 s while the page is open, renews it.
    c.cookies.pop(f"sw_door_{event.pk}")
    c.get(f"/manage/events/{event.pk}/checkin/counter/")
    assert _door_cookie(c, event)


def test_it_refuses_a_door_pass_copied_moved_to_another_event_or_expired(
    client_for, qxj, today_event, published_event, monkeypatch
):
    import time

    from sciweek.accounts.services import user_set_active
    from sciweek.events import door

    event, (zhang, wang) = today_event
    c = client_for(qxj)
    c.get(f"/manage/events/{event.pk}/checkin/")
    pass_value = _door_cookie(c, event)
    # Copied to a phone without the session it was given with: refused (sent to the login page).
    thief = Client()
    thief.cookies[f"sw_door_{event.pk}"] = pass_value
    assert _sync(thief, event, [{"uuid": str(uuid.uuid4()), "code": zhang.code}]).status_code == 302
    # Renamed for another event the session may not run: refused there (out of scope: 404).
    other = published_event("县科协", title="科协讲座", registration_enabled=True, capacity=5)
    c.cookies[f"sw_door_{other.pk}"] = pass_value
    assert _sync(c, other, [{"uuid": str(uuid.uuid4()), "code": zhang.code}]).status_code == 404
    assert not CheckIn.objects.exists()
    # Deactivated: the pass still opens the door for what is left of its two minutes, then not.
    user_set_active(actor="测试", user=qxj, active=False)
    assert _sync(c, event, [{"uuid": str(uuid.uuid4()), "code": zhang.code}]).json()["results"][0]["ok"]
    later = time.time() + door.PASS_SECONDS + 1
    monkeypatch.setattr(time, "time", lambda: later)
    assert _sync(c, event, [{"uuid": str(uuid.uuid4()), "code": wang.code}]).status_code == 302
    assert c.get(f"/manage/events/{event.pk}/checkin/counter/").status_code == 302  # nothing renews it
    assert CheckIn.objects.count() == 1


def test_it_gives_no_door_pass_to_someone_who_must_change_a_one_time_password(client_for, qxj, today_event):
    from sciweek.accounts.models import Profile

    event, (zhang, _) = today_event
    Profile.objects.update_or_create(user=qxj, defaults={"must_change_password": True})
    c = client_for(qxj)
    change = reverse("accounts:password_change")
    r = c.get(f"/manage/events/{event.pk}/checkin/")
    assert r.status_code == 302 and r.url == change
    assert not _door_cookie(c, event)
    r = _sync(c, event, [{"uuid": str(uuid.uuid4()), "code": zhang.code}])
    assert r.status_code == 302 and r.url == change
    assert not CheckIn.objects.exists()
