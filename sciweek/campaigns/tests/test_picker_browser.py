"""Picking units: a searchable checkbox list grouped by kind, with tags; never a bare multiple select."""

from __future__ import annotations

import pytest

from sciweek.campaigns.models import MainActivity

from .test_newcomer_browser import _login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_it_picks_units_by_search_and_keeps_the_others(page, live_server, demo, shot):
    base = live_server.url
    page.set_viewport_size({"width": 1280, "height": 900})
    _login(page, base, "sx-kjj", demo.logins["sx-kjj"])
    activity = MainActivity.objects.get(campaign=demo.campaign, number=1)
    before = set(activity.cooperating_units.values_list("pk", flat=True))
    assert len(before) == 17
    page.goto(f"{base}/manage/campaigns/{demo.campaign.pk}/activities/{activity.pk}/")
    assert not page.locator("select[multiple]").first.is_visible()  # replaced by the picker
    picker = page.locator(".sw-picker").nth(1)  # lead, then cooperating
    assert "已选 17 家" in picker.inner_text()
    assert picker.locator("legend", has_text="县直单位").count() == 1
    picker.get_by_role("searchbox").fill("示例镇")
    assert picker.locator(".sw-picker-item:visible").count() == 2
    picker.get_by_label("示例镇一").check()
    shot(page, "picker-1-search")
    picker.locator(".sw-picker-tag", has_text="县气象局").click()  # remove one by its tag
    assert "已选 17 家" in picker.inner_text()
    page.fill("#id_starts_at", "2023-05-20T09:00")
    page.fill("#id_ends_at", "2023-05-20T11:30")
    page.get_by_role("button", name="保存").click()
    page.wait_for_load_state()
    shot(page, "picker-2-saved")
    assert "说明仍为“另行通知”" in page.content()  # the time is set, the note still says 另行通知
    assert "仍写着“另行通知”" in page.content()
    names = set(activity.cooperating_units.values_list("name", flat=True))
    assert "示例镇一" in names and "泗县气象局" not in names and len(names) == 17


def test_the_campaign_page_draws_its_charts(page, live_server, settings, shot):
    from sciweek.core import clock
    from sciweek.demo import phases
    from sciweek.demo.loader import load_demo

    settings.DEMO_MODE = True
    loaded = load_demo(full=True)
    phases.jump("after", actor="test")
    logins = {login.username: login.password for login in loaded.logins}
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.set_viewport_size({"width": 1280, "height": 900})
    _login(page, live_server.url, "sx-kjj", logins["sx-kjj"])
    page.goto(f"{live_server.url}/manage/campaigns/{loaded.campaign.pk}/?show=todo&sort=todo")
    for chart in ("by-category", "by-mode", "participation", "completion"):
        page.locator(f"#chart-{chart} canvas").wait_for()
    page.locator("#charts").scroll_into_view_if_needed()
    shot(page, "campaign-charts")
    assert not errors, errors
    clock.forget()
