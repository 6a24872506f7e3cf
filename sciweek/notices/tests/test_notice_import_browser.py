"""The review screen in a real browser: stacked on a phone, side by side on a desktop; then create."""

from __future__ import annotations

import pytest

from conftest import ARTIFACTS
from sciweek.campaigns.models import Campaign
from sciweek.orgs.models import OrgUnit

from .notice_import_pages import seed_bytes

pytestmark = pytest.mark.browser


def log_in(page, base: str, username: str, password: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_load_state()


def box(page, selector: str) -> dict[str, float]:
    found = page.locator(selector).first.bounding_box()
    assert found is not None, selector
    return found


@pytest.fixture
def tree(transactional_db, demo):
    demo.campaign.delete()
    OrgUnit.objects.filter(short_name="团县委").update(short_name="")  # one name for the organizer to map
    return demo


def test_it_reviews_a_notice_on_a_phone_and_on_a_desktop(live_server, page, browser, shot, tree, tmp_path):
    base = live_server.url
    notice = tmp_path / "关于举办2023年科技活动周的通知.txt"
    notice.write_bytes(seed_bytes())

    # Phone: from the workbench to the upload page, upload, land on the review.
    log_in(page, base, "sx-kjj", tree.logins["sx-kjj"])
    page.goto(f"{base}/manage/")
    page.click("text=从通知导入")
    page.screenshot(path=str(ARTIFACTS / "notice-upload-phone.png"), full_page=True)
    page.set_input_files("input[name=file]", str(notice))
    page.click("text=识别通知")
    page.wait_for_selector("#warnings")
    review_url = page.url
    assert "/review/" in review_url
    warnings = page.locator("[data-warning]")
    assert warnings.count() >= 5
    assert page.locator("[data-warning=report_before_end]").first.is_visible()
    assert "早于活动周结束日期" in page.locator("#warnings").inner_text()
    page.screenshot(path=str(ARTIFACTS / "notice-review-phone-top.png"))
    page.locator("#act-0").screenshot(path=str(ARTIFACTS / "notice-review-phone-activity.png"))
    page.locator("#unmatched").screenshot(path=str(ARTIFACTS / "notice-review-phone-unmatched.png"))
    assert "团县委" in page.locator("#unmatched").inner_text()
    # Stacked: the source sentence sits under its field, full width.
    theme, source = box(page, "#f-theme"), box(page, "[data-source=theme]")
    assert source["y"] > theme["y"] + theme["height"] - 1 and abs(source["x"] - theme["x"]) < 20
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # nothing sticks out sideways
    shot(page, "notice-review-phone")

    # Desktop: the same review, the source beside each field.
    context = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 900})
    desk = context.new_page()
    try:
        log_in(desk, base, "sx-kjj", tree.logins["sx-kjj"])
        desk.goto(review_url)
        theme, source = box(desk, "#f-theme"), box(desk, "[data-source=theme]")
        assert source["x"] > theme["x"] + theme["width"] and abs(source["y"] - theme["y"]) < 40
        lead_field, lead_source = (
            box(desk, "#act-4 #f-act-4-lead_units"),
            box(desk, "#act-4 [data-source=lead]"),
        )
        assert lead_source["x"] > lead_field["x"] + lead_field["width"]
        assert "各镇（街道）、经济开发区（泗涂产业园）、县直有关单位" in desk.locator("#act-4").inner_text()
        desk.screenshot(path=str(ARTIFACTS / "notice-review-desktop-top.png"))
        desk.locator("#act-3").screenshot(path=str(ARTIFACTS / "notice-review-desktop-activity.png"))
        desk.locator("#deadlines").screenshot(path=str(ARTIFACTS / "notice-review-desktop-deadlines.png"))
        shot(desk, "notice-review-desktop")
        # Untick activity 3's lead unit: the page names the item and field, and keeps everything else.
        desk.locator("#f-act-2-lead_units input:checked").uncheck()
        desk.fill("#id_theme", "热爱科学 崇尚科学")
        desk.click("text=创建活动周（草稿）")
        desk.wait_for_selector("#errors")
        assert "主要活动 3「牵头单位」：请至少选择一个牵头单位。" in desk.locator("#errors").inner_text()
        assert desk.locator("#f-act-2-lead_units [data-error-for]").is_visible()
        desk.screenshot(path=str(ARTIFACTS / "notice-review-desktop-error.png"))
        desk.locator("#f-act-2-lead_units").get_by_label("泗县科学技术协会（县科协）").check()
        desk.click("text=创建活动周（草稿）")
        desk.wait_for_selector("#campaign-theme")
        assert "已根据通知创建活动周「2023年泗县科技活动周」" in desk.content()
        assert desk.locator("#campaign-theme").inner_text() == "热爱科学 崇尚科学"
        shot(desk, "notice-import-created-dashboard")
    finally:
        context.close()
    campaign = Campaign.objects.get()
    assert campaign.activities.count() == 6 and campaign.requirements.count() == 3
    assert [u.short_name for u in campaign.activities.get(number=3).lead_units.all()] == ["县科协"]
    league = OrgUnit.objects.get(name="共青团泗县委员会")  # mapped as suggested
    assert campaign.activities.get(number=3).cooperating_units.filter(pk=league.pk).exists()
