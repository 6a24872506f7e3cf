"""In Chromium on a phone: main activity 2's page shows the bureau the week's enterprise-service figures,
activity 5's page shows a town its own commissioners' service, and the public page the safe totals."""

from __future__ import annotations

import pytest
from django.test import Client
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _login(page, live_server, user) -> None:
    c = Client()
    c.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": c.cookies["sessionid"].value, "url": live_server.url}]
    )


def test_the_activity_pages_show_the_panels_on_a_phone(
    live_server, page, shot, browser, demo, organizer, town1, activities, records
):
    c = demo.campaign
    _login(page, live_server, organizer)
    page.goto(f"{live_server.url}/manage/campaigns/{c.pk}/")
    page.locator("a.list-group-item", has_text="2. 服务企业创新专项行动").click()
    panel = page.locator(".sw-activity-panel")
    expect(panel.locator('[data-figure="visits"]')).to_have_text("3")
    expect(panel.locator('[data-figure="contracts"]')).to_have_text("1")
    expect(panel).to_contain_text("签约项目，合同30.00万元")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # nothing sticks out sideways
    shot(page, "innovation-activity-2-phone")
    panel.get_by_role("link", name="企业创新服务看板（活动周）").click()
    page.wait_for_url("**/innovation/?week=1")

    town = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844})
    pg = town.new_page()
    _login(pg, live_server, town1)
    pg.goto(f"{live_server.url}/manage/campaigns/{c.pk}/activities/{activities[5].pk}/view/")
    expect(pg.locator('.sw-activity-panel [data-figure="person_times"]')).to_have_text("2")
    expect(pg.locator(".sw-activity-panel")).to_contain_text("示例镇一")
    assert f"/c/{c.pk}/" in pg.locator("#activity-back").get_attribute(
        "href"
    )  # a town goes back to the public page
    shot(pg, "innovation-activity-5-town-phone")
    town.close()

    page.goto(f"{live_server.url}/c/{c.pk}/")
    public = page.locator("#activity-2 .sw-activity-panel")
    expect(public.locator('[data-figure="demands"]')).to_have_text("1")  # the 涉密 demand left out
    expect(public.get_by_role("link")).to_have_count(0)
    shot(page, "innovation-activity-public-phone")
