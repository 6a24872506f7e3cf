"""The organizer edits the statistics form on a phone: add a row, move it up, add a rule; the unit sees it."""

from __future__ import annotations

import pytest
from django.test import Client

from sciweek.reports.models import FormDefinition

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _login(page, live_server, user) -> None:
    page.context.clear_cookies()
    c = Client()
    c.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": c.cookies["sessionid"].value, "url": live_server.url}]
    )


def test_the_organizer_edits_the_form_on_a_phone(page, live_server, demo, organizer, qxj, shot):
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("dialog", lambda dialog: dialog.accept())
    _login(page, live_server, organizer)
    page.goto(f"{live_server.url}/reports/{demo.campaign.pk}/form/")
    page.get_by_role("link", name="新增指标").click()
    page.fill("#id_label", "科普讲座场次")
    page.fill("#id_section", "科普活动开展次数")
    page.select_option("#id_unit", "场")
    page.fill("#id_max_plausible", "50")
    page.get_by_role("button", name="保存").click()
    page.get_by_text("指标「科普讲座场次」已保存").wait_for()
    row = page.locator('#form-rows [data-code="row17"]')
    for _ in range(15):
        row.get_by_role("button", name="上移").click()
        page.wait_for_load_state()
    codes = page.locator("#form-rows > li").evaluate_all("rows => rows.map(r => r.dataset.code)")
    assert codes[:3] == ["events_held", "row17", "fund_fiscal"]
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1
    shot(page, "reports-form-edit-phone")
    assert FormDefinition.objects.get(campaign=demo.campaign, is_current=True).version == 1

    _login(page, live_server, qxj)
    page.goto(f"{live_server.url}/reports/{demo.campaign.pk}/mine/")
    lecture = page.locator("#v-row17")
    lecture.fill("80")
    lecture.press("Tab")
    page.locator('#msg-row17 [data-kind="warning"]').wait_for()
    assert "「科普讲座场次」为 80场" in page.locator("#msg-row17").inner_text()
    page.locator("#row-row17").scroll_into_view_if_needed()
    shot(page, "reports-form-new-row-unit-phone")
    assert not errors, errors
