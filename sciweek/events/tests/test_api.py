"""/api/v1/events: public reads without a token; scoped writes, registrations and check-in with one."""

from __future__ import annotations

import json
import uuid

import pytest
from django.test import Client

from sciweek.accounts.services import token_create
from sciweek.events.models import CheckIn, Event
from sciweek.events.registration import registration_create
from sciweek.events.ticket_tokens import ticket_token

from .helpers import at

pytestmark = pytest.mark.django_db


def _bearer(user) -> dict:
    _token, raw = token_create(actor=user, user=user, name="测试")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_it_lists_published_events_to_anyone_without_a_token(client, published_event, week):
    published_event(title="走进气象观测站")
    published_event(title="防灾减灾直播课", mode="online", venue="", online_url="https://live.example.com/qx")
    r = client.get("/api/v1/events/?mode=online")
    assert r.status_code == 200
    data = r.json()
    assert data["count"] == 1 and data["items"][0]["title"] == "防灾减灾直播课"
    item = data["items"][0]
    assert item["online_link"].endswith(f"/events/{item['id']}/go/")  # counted, never the raw link
    assert "live.example.com" not in json.dumps(item)
    assert "safety_phone" not in item and "status" not in item
    one = client.get(f"/api/v1/events/{item['id']}").json()
    assert one["title"] == "防灾减灾直播课"
    assert client.get("/api/v1/events/?day=all&limit=1&offset=1").json()["count"] == 2
    assert client.get(f"/api/v1/events/scoped/?campaign={week.pk}").status_code == 401


def test_it_does_not_show_unpublished_events_publicly(client, qxj, week, unit):
    from sciweek.events.services import event_create

    from .helpers import event_fields

    draft = event_create(actor=qxj, campaign=week, unit=unit("县气象局"), **event_fields(title="草稿活动"))
    assert client.get(f"/api/v1/events/{draft.pk}").status_code == 404
    assert client.get("/api/v1/events/?day=all").json()["count"] == 0


def test_it_lets_a_unit_create_and_submit_its_own_event_only(qxj, organizer, week, unit):
    c = Client(**_bearer(qxj))
    payload = {
        "campaign_id": week.pk,
        "unit_id": unit("县气象局").pk,
        "title": "接口登记的讲座",
        "category": "科普讲座",
        "mode": "offline",
        "starts_at": at(3, "09:00").isoformat(),
        "ends_at": at(3, "10:00").isoformat(),
        "audiences": ["公众"],
        "venue": "县气象局会议室",
        "expected_scale": 50,
        "safety_contact": "刘工",
        "safety_phone": "13955700101",
    }
    r = c.post("/api/v1/events/", json.dumps(payload), content_type="application/json")
    assert r.status_code == 201, r.content
    event_id = r.json()["id"]
    assert r.json()["status"] == "draft"
    bad = dict(payload, capacity=-3, ends_at=at(3, "08:00").isoformat())
    r = c.post("/api/v1/events/", json.dumps(bad), content_type="application/json")
    assert r.status_code == 400
    assert "结束时间不能早于开始时间" in r.json()["detail"]["ends_at"][0]
    assert "名额不能为负数" in r.json()["detail"]["capacity"][0]
    other = dict(payload, unit_id=unit("县农业农村局").pk)
    assert c.post("/api/v1/events/", json.dumps(other), content_type="application/json").status_code == 404
    r = c.post(f"/api/v1/events/{event_id}/submit")
    assert r.status_code == 200 and r.json()["status"] == "submitted"
    assert (
        c.post(
            f"/api/v1/events/{event_id}/review",
            json.dumps({"decision": "approve"}),
            content_type="application/json",
        ).status_code
        == 403
    )
    o = Client(**_bearer(organizer))
    r = o.post(
        f"/api/v1/events/{event_id}/review",
        json.dumps({"decision": "approve"}),
        content_type="application/json",
    )
    assert r.status_code == 200 and r.json()["status"] == "approved"
    stale = {k: v for k, v in payload.items() if k not in ("campaign_id", "unit_id")} | {"version": 1}
    r = o.put(f"/api/v1/events/{event_id}", json.dumps(stale), content_type="application/json")
    assert r.status_code == 409  # someone changed it since version 1


def test_it_masks_registrant_phones_unless_the_caller_needs_them(qxj, organizer, town1, published_event):
    event = published_event(registration_enabled=True, capacity=5)
    registration_create(event=event, name="张伟", phone="13905571234")
    unit_rows = Client(**_bearer(qxj)).get(f"/api/v1/events/{event.pk}/registrations").json()
    assert unit_rows[0]["phone"] == "139****1234" and unit_rows[0]["name"] == "张伟"
    assert (
        Client(**_bearer(organizer)).get(f"/api/v1/events/{event.pk}/registrations").json()[0]["phone"]
        == "13905571234"
    )
    assert Client(**_bearer(town1)).get(f"/api/v1/events/{event.pk}/registrations").status_code == 404


def test_it_checks_in_a_token_and_a_replayed_batch_through_the_api(qxj, town1, published_event):
    event = published_event(registration_enabled=True, capacity=5)
    a = registration_create(event=event, name="张伟", phone="13905571234", party_size=2)
    b = registration_create(event=event, name="王芳", phone="13905575678")
    c = Client(**_bearer(qxj))
    r = c.post(
        f"/api/v1/events/{event.pk}/checkin",
        json.dumps({"token": ticket_token(a)}),
        content_type="application/json",
    )
    assert r.status_code == 200 and r.json()["results"][0]["ok"] and r.json()["people"] == 2
    batch = {
        "scans": [{"uuid": str(uuid.uuid4()), "code": b.code}, {"uuid": str(uuid.uuid4()), "code": a.code}]
    }
    first = c.post(
        f"/api/v1/events/{event.pk}/checkin", json.dumps(batch), content_type="application/json"
    ).json()
    again = c.post(
        f"/api/v1/events/{event.pk}/checkin", json.dumps(batch), content_type="application/json"
    ).json()
    assert [x["result"] for x in first["results"]] == ["ok", "duplicate"]
    assert [x["result"] for x in again["results"]] == ["ok", "duplicate"] and again["people"] == 3
    assert CheckIn.objects.count() == 2
    r = Client(**_bearer(town1)).post(
        f"/api/v1/events/{event.pk}/checkin", json.dumps(batch), content_type="application/json"
    )
    assert r.status_code == 404
    r = c.post(f"/api/v1/events/{event.pk}/checkin", json.dumps({}), content_type="application/json")
    assert r.status_code == 400 and "请提供票码" in json.dumps(r.json(), ensure_ascii=False)
    assert Event.objects.get(pk=event.pk).status == "approved"
