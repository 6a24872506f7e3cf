"""A unit (or the organizer) cancels its own event: reason, confirmation, registrations cancelled and
told by text message, the public page and calendar say 已取消, no more registrations or check-ins,
and the event stops counting for rule 五.2 and the statistics table's cross-check."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from sciweek.accounts.services import token_create
from sciweek.campaigns.models import Requirement
from sciweek.core.errors import StaleVersion
from sciweek.core.models import AuditEvent, Notification, OutboundMessage
from sciweek.events.cancellation import event_cancel
from sciweek.events.checkin import checkin_scan, checkin_walkin
from sciweek.events.compliance import min_events
from sciweek.events.figures import unit_event_figures
from sciweek.events.models import CheckIn, Event, Registration
from sciweek.events.registration import registration_create
from sciweek.events.services import event_create, event_submit, event_update
from sciweek.events.ticket_tokens import ticket_token

from .helpers import at, event_fields

pytestmark = pytest.mark.django_db
REASON = "受强降雨影响，为保障安全取消"


@pytest.fixture
def full_event(published_event):
    """Two places, both taken, and one registration on the waiting list."""
    event = published_event(registration_enabled=True, capacity=2, waitlist_limit=3)
    registration_create(event=event, name="甲", phone="13900000001", party_size=1)
    registration_create(event=event, name="乙", phone="13900000002", party_size=1)
    registration_create(event=event, name="丙", phone="13900000003", party_size=1)
    event.refresh_from_db()
    assert (event.confirmed_places, event.waitlisted_count) == (2, 1)
    return event


def test_it_cancels_every_registration_and_texts_each_registrant_after_the_commit(
    full_event, qxj, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        event = event_cancel(actor=qxj, event=full_event, reason=f"  {REASON} ", version=full_event.version)
    assert event.status == "cancelled" and event.cancel_reason == REASON
    assert event.cancelled_by == qxj and event.cancelled_at is not None
    regs = Registration.objects.filter(event=event)
    assert sorted(regs.values_list("status", flat=True)) == ["cancelled"] * 3
    assert not regs.filter(promoted_at__isnull=False).exists()  # no one moved up into a cancelled event
    event.refresh_from_db()
    assert (event.confirmed_places, event.waitlisted_count) == (0, 0)

    sent = OutboundMessage.objects.filter(event=event)
    assert sorted(sent.values_list("phone", flat=True)) == ["13900000001", "13900000002", "13900000003"]
    assert set(sent.values_list("kind", "status")) == {("event_cancelled", "sent")}
    text = sent.first().text
    assert text.startswith("【科技活动周】") and "「走进气象观测站」" in text and REASON in text
    assert f"/events/{event.pk}/" in text

    audit = AuditEvent.objects.get(action="event.cancel", object_id=str(event.pk))
    assert audit.after["cancel_reason"] == REASON and audit.after["registrations_cancelled"] == 3
    assert audit.before == {"status": "approved"} and audit.actor == qxj
    # The unit cancelled: the organizer hears of it.
    assert Notification.objects.filter(unit=event.campaign.org_unit, title__contains="已取消").exists()


def test_it_needs_a_reason_and_changes_nothing_without_one(full_event, qxj):
    with pytest.raises(ValidationError) as exc:
        event_cancel(actor=qxj, event=full_event, reason="   ", version=full_event.version)
    assert "请填写取消原因" in exc.value.message_dict["reason"][0]
    with pytest.raises(ValidationError) as exc:
        event_cancel(actor=qxj, event=full_event, reason="很" * 201, version=full_event.version)
    assert "不能超过200个字" in exc.value.message_dict["reason"][0]
    full_event.refresh_from_db()
    assert full_event.status == "approved"
    assert Registration.objects.filter(event=full_event, status="cancelled").count() == 0
    assert not OutboundMessage.objects.exists()


def test_it_checks_the_version_against_a_concurrent_edit(full_event, qxj, organizer):
    loaded = full_event.version
    event_update(actor=organizer, event=full_event, version=loaded, title="走进气象观测站（上午场）")
    with pytest.raises(StaleVersion):
        event_cancel(actor=qxj, event=full_event, reason=REASON, version=loaded)
    full_event.refresh_from_db()
    assert full_event.status == "approved"

    # And the other way round: an edit form loaded before the cancellation cannot save over it.
    before = full_event.version
    event_cancel(actor=qxj, event=full_event, reason=REASON, version=before)
    with pytest.raises(StaleVersion):
        event_update(actor=organizer, event=full_event, version=before, venue="新地点")
    # Even with the current version, a cancelled event is not changed any more.
    full_event.refresh_from_db()
    with pytest.raises(ValidationError, match="取消，不能再修改"):
        event_update(actor=organizer, event=full_event, version=full_event.version, venue="新地点")


def test_it_cancels_a_pending_event_but_not_a_draft_a_started_one_or_one_with_arrivals(
    week, org, qxj, published_event
):
    draft = event_create(actor=qxj, campaign=week, unit=org("县气象局"), **event_fields())
    with pytest.raises(ValidationError, match="只有已发布或待审核的活动可以取消"):
        event_cancel(actor=qxj, event=draft, reason=REASON, version=None)
    pending = event_submit(actor=qxj, event=draft)
    assert event_cancel(actor=qxj, event=pending, reason=REASON, version=None).status == "cancelled"
    with pytest.raises(ValidationError, match="只有已发布或待审核"):  # not twice
        event_cancel(actor=qxj, event=pending, reason=REASON, version=None)

    started = published_event(title="已开始的活动")
    Event.objects.filter(pk=started.pk).update(starts_at=timezone.now() - dt.timedelta(minutes=5))
    with pytest.raises(ValidationError, match="活动已经开始"):
        event_cancel(actor=qxj, event=started, reason=REASON, version=None)

    early = published_event(title="有人提前签到", registration_enabled=True, capacity=5)
    reg = registration_create(event=early, name="甲", phone="13900000009")
    assert checkin_scan(actor=qxj, event=early, raw=reg.code).ok
    with pytest.raises(ValidationError, match="已有人签到"):
        event_cancel(actor=qxj, event=early, reason=REASON, version=None)


def test_a_cancelled_event_takes_no_registrations_or_check_ins(full_event, qxj):
    ticket = Registration.objects.get(phone="13900000001")
    event = event_cancel(actor=qxj, event=full_event, reason=REASON, version=None)
    with pytest.raises(Event.DoesNotExist):
        registration_create(event=event, name="丁", phone="13900000004")
    assert not checkin_scan(actor=qxj, event=event, raw=ticket.code).ok
    assert checkin_scan(actor=qxj, event=event, raw=ticket_token(ticket)).result == "cancelled"
    Event.objects.filter(pk=event.pk).update(starts_at=timezone.now(), ends_at=at(1))
    with pytest.raises(ValidationError, match="不在现场签到"):
        checkin_walkin(event=event, name="戊", phone="13900000005")
    assert not CheckIn.objects.filter(event=event).exists()
    r = Client().post(
        f"/events/{event.pk}/register/",
        {"name": "丁", "phone": "13900000004", "party_size": 1, "agree": "on"},
    )
    assert r.status_code == 200 and "活动已取消，不再接受报名" in r.content.decode()
    assert Registration.objects.filter(event=event).count() == 3
    page = Client().get(f"/events/{event.pk}/register/")  # a shared registration link
    assert (
        page.status_code == 200
        and REASON in page.content.decode()
        and 'name="phone"' not in page.content.decode()
    )


def test_the_public_page_calendar_ical_and_ticket_say_cancelled_with_the_reason(full_event, qxj, client):
    ticket = Registration.objects.get(phone="13900000003")  # on the waiting list
    event = event_cancel(actor=qxj, event=full_event, reason=REASON, version=None)
    page = client.get(f"/events/{event.pk}/")
    body = page.content.decode()
    assert page.status_code == 200 and 'id="event-cancelled"' in body and REASON in body
    assert 'id="register-btn"' not in body and "报名已截止" not in body
    cal = client.get(f"/events/c/{event.campaign_id}/?day=all").content.decode()
    assert "已取消" in cal and REASON in cal and f"/events/{event.pk}/" in cal
    assert client.get(f"/events/{event.pk}/qr.svg").status_code == 200  # shared QR codes still work
    ics = client.get(f"/events/{event.pk}/event.ics").content.decode()
    assert "STATUS:CANCELLED" in ics and "SUMMARY:【已取消】走进气象观测站" in ics
    feed = client.get(f"/events/c/{event.campaign_id}/calendar.ics").content.decode()
    assert "STATUS:CANCELLED" in feed
    body = client.get(f"/events/ticket/{ticket_token(ticket)}/").content.decode()
    assert 'id="ticket-status">活动已取消<' in body and REASON in body and 'id="cancel-link"' not in body


def test_it_no_longer_counts_for_rule_five_two_or_the_cross_check(published_event, qxj, org, week):
    rule = week.requirements.get(kind=Requirement.Kind.MIN_EVENTS)
    unit = org("县气象局")
    event = published_event(title="唯一的活动")
    assert min_events(rule, unit).done
    held_before = unit_event_figures(week, unit)["events_held"]
    # The week goes by: the event's time has come (the figures count events that have started).
    Event.objects.filter(pk=event.pk).update(starts_at=timezone.now() - dt.timedelta(hours=1))
    assert unit_event_figures(week, unit)["events_held"] == held_before + 1
    Event.objects.filter(pk=event.pk).update(starts_at=at(2), ends_at=at(2, "11:30"))
    event_cancel(actor=qxj, event=event, reason=REASON, version=None)
    state = min_events(rule, unit)
    assert not state.done and "1次已取消" in state.detail
    Event.objects.filter(pk=event.pk).update(starts_at=timezone.now() - dt.timedelta(hours=1))
    assert unit_event_figures(week, unit)["events_held"] == held_before


def test_the_unit_confirms_on_a_page_with_a_reason(full_event, qxj, client_for):
    c = client_for(qxj)
    detail = c.get(f"/my/events/{full_event.pk}/").content.decode()
    assert f'href="/my/events/{full_event.pk}/cancel/" id="cancel-event"' in detail
    page = c.get(f"/my/events/{full_event.pk}/cancel/").content.decode()
    assert "2 份报名和 1 份候补将全部取消" in page and 'name="version"' in page
    r = c.post(f"/my/events/{full_event.pk}/cancel/", {"reason": "", "version": full_event.version})
    assert r.status_code == 200 and "取消原因" in r.content.decode()
    full_event.refresh_from_db()
    assert full_event.status == "approved"
    r = c.post(f"/my/events/{full_event.pk}/cancel/", {"reason": REASON, "version": full_event.version})
    assert r.status_code == 302 and r["Location"] == f"/my/events/{full_event.pk}/"
    full_event.refresh_from_db()
    assert full_event.status == "cancelled"
    detail = c.get(f"/my/events/{full_event.pk}/").content.decode()
    assert 'id="cancel-reason"' in detail and REASON in detail and 'id="cancel-event"' not in detail
    stale = c.post(f"/my/events/{full_event.pk}/cancel/", {"reason": REASON, "version": 1})
    assert "已被其他人修改" in stale.content.decode() or "只有已发布或待审核" in stale.content.decode()


def test_only_the_unit_and_the_organizer_may_cancel(full_event, client_for, town1, xcb, organizer, province):
    url = f"/my/events/{full_event.pk}/cancel/"
    assert client_for(town1).get(url).status_code == 404  # another unit: not even its existence
    assert client_for(xcb).post(url, {"reason": REASON, "version": full_event.version}).status_code == 403
    assert (
        client_for(province).post(url, {"reason": REASON, "version": full_event.version}).status_code == 403
    )
    assert Client().post(url, {"reason": REASON}).status_code == 302  # to the login page
    full_event.refresh_from_db()
    assert full_event.status == "approved"
    r = client_for(organizer).post(url, {"reason": REASON, "version": full_event.version})
    assert r.status_code == 302
    full_event.refresh_from_db()
    assert full_event.status == "cancelled" and full_event.cancelled_by == organizer
    # The organizer cancelled: the unit hears of it.
    assert Notification.objects.filter(unit=full_event.unit, title__contains="已取消").exists()


def test_the_api_cancels_with_the_same_rules(full_event, qxj, town1):
    def call(user, payload):
        _token, raw = token_create(actor=user, user=user, name="测试")
        return Client().post(
            f"/api/v1/events/{full_event.pk}/cancel",
            payload,
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {raw}",
        )

    assert call(town1, {"reason": REASON}).status_code == 404
    r = call(qxj, {"reason": "", "version": full_event.version})
    assert r.status_code == 400 and "请填写取消原因" in r.json()["detail"]["reason"][0]
    r = call(qxj, {"reason": REASON, "version": full_event.version})
    assert r.status_code == 200 and r.json()["status"] == "cancelled" and r.json()["cancelled"] is True
    public = Client().get(f"/api/v1/events/{full_event.pk}").json()
    assert public["cancelled"] is True and public["cancel_reason"] == REASON


def test_the_organizer_finds_cancelled_events_counted_in_the_review_list(
    published_event, qxj, organizer, client_for, django_capture_on_commit_callbacks
):
    published_event(title="照常举办")
    published_event(title="照常举办（下午场）", starts_at=at(2, "14:00"), ends_at=at(2, "16:00"))
    event = published_event(title="取消的活动", registration_enabled=True, capacity=5)
    for i in range(3):
        registration_create(event=event, name=f"报名者{i}", phone=f"1390000001{i}")
    with django_capture_on_commit_callbacks(execute=True):
        event_cancel(actor=qxj, event=event, reason=REASON, version=None)
    c = client_for(organizer)
    body = c.get(f"/manage/events/?campaign={event.campaign_id}&status=cancelled").content.decode()
    assert "取消的活动" in body and "照常举办" not in body and REASON in body
    assert re.search(r'status=cancelled">已取消 <span class="badge text-bg-light">1</span>', body)
    approved = Event.objects.filter(campaign_id=event.campaign_id, status="approved").count()
    assert approved >= 2  # counted by status, not one per event (a GROUP BY that kept the ordering did)
    assert f'status=approved">已发布 <span class="badge text-bg-light">{approved}</span>' in body
    log = c.get(f"/manage/events/{event.pk}/messages/").content.decode()
    assert re.search(r"已发送 3</span>", log)
