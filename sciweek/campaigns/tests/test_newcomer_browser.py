"""A newcomer's first session, in Debian's Chromium: the organizer logs in with the password the demo
printed, changes the theme, imports units from an xlsx; then a unit user logs in and sees its deadlines."""

from __future__ import annotations

import pytest

from sciweek.orgs.models import OrgUnit
from sciweek.orgs.tests.xlsx_factory import GOOD_ROWS, write_import_xlsx

pytestmark = pytest.mark.browser


def _login(page, base: str, username: str, password: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_load_state()


def test_it_walks_a_newcomer_from_login_to_a_units_deadlines(page, live_server, demo, shot, tmp_path):
    base = live_server.url
    page.set_viewport_size({"width": 1280, "height": 900})
    _login(page, base, "sx-kjj", demo.logins["sx-kjj"])
    assert "/manage/" in page.url
    page.get_by_role("link", name="2023年泗县科技活动周").first.click()
    page.wait_for_load_state()
    shot(page, "newcomer-1-dashboard")

    page.get_by_role("link", name="编辑活动周").click()
    page.fill("#id_theme", "热爱科学 崇尚科学 · 走进乡村")
    page.get_by_role("button", name="保存").click()
    page.wait_for_load_state()
    assert page.locator("#campaign-theme").inner_text() == "热爱科学 崇尚科学 · 走进乡村"

    # The public home page follows at once (its cache is invalidated by the audited write).
    page.goto(f"{base}/")
    assert "热爱科学 崇尚科学 · 走进乡村" in page.locator(".sw-hero").inner_text()

    page.goto(f"{base}/manage/units/import/")
    xlsx = write_import_xlsx(tmp_path / "单位名单.xlsx", GOOD_ROWS)
    page.set_input_files("input[type=file]", str(xlsx))
    page.get_by_role("button", name="上传并预览").click()
    page.wait_for_load_state()
    shot(page, "newcomer-2-import-preview")
    page.locator("button", has_text="确认导入").click()
    page.wait_for_load_state()
    shot(page, "newcomer-3-imported")
    assert OrgUnit.objects.filter(name="泗县草沟镇").exists()
    assert OrgUnit.objects.get(name="泗县草沟镇").staff.count() == 2

    page.context.clear_cookies()
    page.set_viewport_size({"width": 390, "height": 844})
    _login(page, base, "sx-qxj", demo.logins["sx-qxj"])
    shot(page, "newcomer-4-unit-deadlines")
    deadlines = page.locator("#deadlines").inner_text()
    assert "报送宣传内容及工作人员姓名、手机号" in deadlines
    assert "2023年5月30日 17:30" in deadlines
    assert "已截止" in deadlines
    # The contact imported for 县气象局 shows on its page.
    assert "刘洋" in page.locator("#staff").inner_text()
