"""In Chromium on a phone-sized screen: a unit's reporter cancels its event (reason required, confirmed on
a page of its own); the registrant's ticket, the public page and the calendar then say 已取消 with the
reason, and the text message to the registrant is on the event's message page, its number masked."""

from __future__ import annotations

import pytest
from django.test import Client
from playwright.sync_api import expect

from sciweek.core.models import OutboundMessage
from sciweek.events.registration import registration_create
from sciweek.events.ticket_tokens import ticket_token

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
REASON = "受强降雨影响，为保障安全取消"


def _login(page, live_server, user) -> None:
    c = Client()
    c.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": c.cookies["sessionid"].value, "url": live_server.url}]
    )


def test_the_unit_cancels_its_event_and_everyone_sees_why(live_server, page, shot, published_event, qxj):
    event = published_event(title="走进气象观测站", registration_enabled=True, capacity=1, waitlist_limit=2)
    sure = registration_create(event=event, name="张伟", phone="13905571234")
    waiting = registration_create(event=event, name="王芳", phone="13905575678")
    assert waiting.status == "waitlisted"

    _login(page, live_server, qxj)
    page.goto(f"{live_server.url}/my/events/{event.pk}/")
    page.click("#cancel-event")
    expect(page.locator("#cancel-registrations")).to_contain_text("1 份报名和 1 份候补将全部取消")
    page.click("#confirm-cancel-event")  # no reason yet: refused, nothing changed
    expect(page.locator("[data-error-for=reason]")).to_contain_text("必填")
    page.fill("#id_reason", REASON)
    shot(page, "events-cancel-1-confirm")
    page.click("#confirm-cancel-event")
    expect(page.locator("#cancel-reason")).to_contain_text(REASON)
    expect(page.locator("#cancel-reason")).to_contain_text("活动已取消")
    assert page.locator("#cancel-event").count() == 0
    shot(page, "events-cancel-2-staff")

    page.goto(f"{live_server.url}/manage/events/{event.pk}/messages/")
    expect(page.locator("#messages .list-group-item")).to_have_count(2)
    text = page.inner_text("#messages")
    assert "139****1234" in text and "13905571234" not in text and REASON in text
    shot(page, "events-cancel-3-messages")
    assert set(OutboundMessage.objects.values_list("status", flat=True)) == {"sent"}

    public = page.context.new_page()
    public.goto(f"{live_server.url}/events/{event.pk}/")
    expect(public.locator("#event-cancelled")).to_contain_text(REASON)
    assert public.locator("#register-btn").count() == 0
    shot(public, "events-cancel-4-public")
    public.goto(f"{live_server.url}/events/c/{event.campaign_id}/?day=all")
    card = public.locator(".sw-event", has_text="走进气象观测站")
    expect(card).to_contain_text("已取消")
    expect(card).to_contain_text(REASON)
    shot(public, "events-cancel-5-calendar")
    public.goto(f"{live_server.url}/events/ticket/{ticket_token(sure)}/")
    expect(public.locator("#ticket-status")).to_have_text("活动已取消")
    expect(public.locator("#ticket-event-cancelled")).to_contain_text(REASON)
    assert public.locator("#cancel-link").count() == 0
    shot(public, "events-cancel-6-ticket")
    # Nothing spills over the edge of a phone's screen.
    for p in (page, public):
        assert p.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
