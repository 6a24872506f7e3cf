"""In Chromium on a phone-sized screen: a unit's reporter reads the deadline reminders in the notification
centre (unread count in the header, filter, open, mark all read) and sets their reminder preferences;
the organizer looks at the preview and the rules."""

from __future__ import annotations

import pytest
from django.test import Client
from playwright.sync_api import expect

from sciweek.reminders.models import Preference
from sciweek.reminders.sending import tick

from .conftest import at

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _login(page, live_server, user) -> None:
    c = Client()
    c.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": c.cookies["sessionid"].value, "url": live_server.url}]
    )


def test_the_notification_centre_and_preferences_on_a_phone(live_server, page, shot, live, reachable):
    qxj = reachable[0]
    tick(at=at("2023-05-29 17:31"))
    _login(page, live_server, qxj)
    page.goto(f"{live_server.url}/notifications/centre/")
    page.click(".navbar-toggler")
    expect(page.locator(".navbar .badge.text-bg-danger")).to_be_visible()  # the unread count
    shot(page, "reminders-1-centre")
    items = page.locator("#notification-list [data-notification]")
    assert items.count() >= 2
    expect(page.locator("#notification-list")).to_contain_text("5月30日17:30")
    page.click("text=截止提醒")
    expect(page.locator("#notification-list")).to_contain_text("报送活动总结")
    page.locator("#notification-list a", has_text="报送活动总结").first.click()
    expect(page).to_have_url(f"{live_server.url}/my/")
    page.goto(f"{live_server.url}/notifications/centre/?show=unread")
    before = page.locator("#notification-list [data-notification]").count()
    page.click("#mark-all")
    expect(page.locator(".alert-success")).to_contain_text(f"已将{before}条通知标为已读")
    page.goto(f"{live_server.url}/notifications/centre/?show=unread")
    expect(page.locator("#notification-list")).to_contain_text("暂无通知")
    shot(page, "reminders-2-all-read")

    page.goto(f"{live_server.url}/reminders/preferences/")
    expect(page.locator("body")).to_contain_text("13800000001")
    page.uncheck("#id_sms")
    page.fill("#id_quiet_start", "21:30")
    page.fill("#id_daily_cap", "0")
    page.click("button:has-text('保存')")
    expect(page.locator("[data-error-for=daily_cap]")).to_be_visible()
    page.fill("#id_daily_cap", "4")
    shot(page, "reminders-3-preferences")
    page.click("button:has-text('保存')")
    expect(page.locator(".alert-success")).to_contain_text("提醒设置已保存")
    pref = Preference.objects.get(user=qxj)
    assert not pref.sms and pref.daily_cap == 4 and pref.quiet_start.strftime("%H:%M") == "21:30"
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways on a phone ({width}px)"


def test_the_organizer_previews_reminders_on_a_phone(live_server, page, shot, live, reachable, organizer):
    _login(page, live_server, organizer)
    page.goto(f"{live_server.url}/reminders/campaigns/{live.pk}/preview/?at=2023-05-29T09:00")
    expect(page.locator("#preview-summary")).to_contain_text("将发送")
    expect(page.locator("#preview-list")).to_contain_text("泗县气象局")
    shot(page, "reminders-4-preview")
    page.goto(f"{live_server.url}/reminders/campaigns/{live.pk}/rules/")
    expect(page.locator("body")).to_contain_text("3天、1天、2小时")
    shot(page, "reminders-5-rules")
