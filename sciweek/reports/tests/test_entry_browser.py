"""On a phone in headless Chromium: a unit fills the table (validation as it types, autosave), attaches a
photo, submits; the organizer returns it with a reason; the unit sees the reason beside its report."""

from __future__ import annotations

import pytest
from django.test import Client

from sciweek.reports.models import Report

from .report_files import VALID, deadline_in, docx_bytes, pdf_bytes, png_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _watch(page, errors: list[str]) -> None:
    page.on(
        "console",
        lambda m: (
            errors.append(m.text)
            if m.type == "error" and "favicon" not in (m.location or {}).get("url", "")
            else None
        ),
    )
    page.on("pageerror", lambda e: errors.append(str(e)))


def _login(page, live_server, user) -> None:
    page.context.clear_cookies()
    c = Client()
    c.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": c.cookies["sessionid"].value, "url": live_server.url}]
    )


def _fits_the_phone(page) -> None:
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1, f"page is {overflow}px wider than the phone"


def _upload(page, kind: str, path) -> None:
    form = page.locator(f"#attach-{kind} form.sw-upload")
    form.locator("input[type=file]").set_input_files(str(path))
    form.get_by_role("button", name="上传").click()


def test_a_unit_fills_submits_and_answers_a_return_on_a_phone(
    page, live_server, demo, qxj, organizer, shot, tmp_path
):
    errors: list[str] = []
    _watch(page, errors)
    deadline_in(demo.campaign, days=3)
    page.on("dialog", lambda dialog: dialog.accept())
    _login(page, live_server, qxj)
    page.goto(f"{live_server.url}/reports/{demo.campaign.pk}/mine/")
    assert page.get_by_role("heading", name="2023年全县科技活动周开展情况统计表").is_visible()
    _fits_the_phone(page)

    # Validation as it types: the row's own message, nothing saved.
    events = page.locator("#v-events_held")
    events.fill("")
    events.press_sequentially("-5", delay=50)
    page.locator('#msg-events_held [data-kind="error"]').wait_for()
    assert "「举办活动次数」不能为负数，收到 -5（未保存）" in page.locator("#msg-events_held").inner_text()
    page.locator("#row-events_held").scroll_into_view_if_needed()
    shot(page, "reports-entry-typing-error-phone")

    for code, value in VALID.items():
        field = page.locator(f"#v-{code}")
        field.fill(value)
        field.press("Tab")
        page.locator(f'#msg-{code} [data-kind="saved"]').wait_for()
    # An absurd figure: saved as a draft but it asks for a written explanation.
    offline = page.locator("#v-public_offline")
    offline.fill("10000000")
    offline.press("Tab")
    page.locator('#msg-public_offline [data-kind="warning"]').wait_for()
    page.fill("#note-public_offline", "含县城广场主会场人流统计，见总结第2页")
    page.locator("#note-public_offline").press("Tab")
    page.locator('#msg-public_offline [data-kind="saved"]').wait_for()
    assert page.locator("#autosave-status").inner_text().startswith("已自动保存")

    photo = tmp_path / "活动现场.png"
    photo.write_bytes(png_bytes())
    _upload(page, "photo", photo)
    page.locator("#attach-photo img").wait_for()
    summary, stamped = tmp_path / "工作总结.docx", tmp_path / "盖章统计表.pdf"
    summary.write_bytes(docx_bytes())
    stamped.write_bytes(pdf_bytes())
    _upload(page, "summary", summary)
    page.locator("#attach-summary", has_text="工作总结.docx").wait_for()
    _upload(page, "stamped", stamped)
    page.locator("#attach-stamped", has_text="盖章统计表.pdf").wait_for()
    page.locator("#attach-photo").scroll_into_view_if_needed()
    _fits_the_phone(page)
    shot(page, "reports-entry-filled-phone")

    page.get_by_role("button", name="提交统计表").click()
    page.get_by_text("统计表已提交，请等待组织单位审核").wait_for()
    assert Report.objects.get(unit__name="泗县气象局").status == Report.Status.SUBMITTED
    shot(page, "reports-entry-submitted-phone")

    # The organizer, on a phone too, returns it with a reason.
    _login(page, live_server, organizer)
    page.goto(f"{live_server.url}/reports/{demo.campaign.pk}/review/")
    row = page.locator('[data-unit="泗县气象局"]')
    assert "已提交" in row.inner_text()
    shot(page, "reports-review-queue-phone")
    row.get_by_role("link", name="审核").click()
    assert page.get_by_text("上报说明：含县城广场主会场人流统计，见总结第2页").is_visible()
    page.fill("#return-reason", "线上参与人次请附直播平台截图")
    page.get_by_role("button", name="退回修改").click()
    page.get_by_text("已退回泗县气象局").wait_for()
    _fits_the_phone(page)
    shot(page, "reports-review-returned-phone")

    _login(page, live_server, qxj)
    page.goto(f"{live_server.url}/reports/{demo.campaign.pk}/mine/")
    reason = page.locator("#return-reason")
    assert "退回原因：线上参与人次请附直播平台截图" in reason.inner_text()
    assert page.get_by_role("button", name="重新提交").is_visible()
    shot(page, "reports-entry-returned-phone")

    # The unit corrects one figure and resubmits; the organizer compares the two submissions.
    online = page.locator("#v-public_online")
    online.fill("15000")
    online.press("Tab")
    page.locator('#msg-public_online [data-kind="saved"]').wait_for()
    page.get_by_role("button", name="重新提交").click()
    page.get_by_text("统计表已提交，请等待组织单位审核").wait_for()
    _login(page, live_server, organizer)
    report = Report.objects.get(unit__name="泗县气象局")
    page.goto(f"{live_server.url}/reports/{report.pk}/compare/?a=1&b=3")
    changed = page.locator("#compare tr.sw-changed")
    assert changed.count() == 1 and "线上活动群众参与数量" in changed.inner_text()
    assert "12,000人次" in changed.inner_text() and "15,000人次" in changed.inner_text()
    _fits_the_phone(page)
    shot(page, "reports-review-compare-phone")
    assert not errors, errors


def test_save_draft_pressed_while_a_typed_value_autosaves_is_not_refused_as_someone_elses_change(
    page, live_server, demo, qxj
):
    """保存草稿 tapped right after typing: the field's own autosave (on leaving it) moves the version on while
    the button's POST still carried the old one, and the draft was refused as "已被其他人修改". The button
    waits for the autosave like 提交 does. The form's POST is held back a moment so that the autosave
    always finishes first, as it does on a slow phone network."""
    import time

    deadline_in(demo.campaign, days=3)
    _login(page, live_server, qxj)

    def slow_save(route):
        time.sleep(0.8)
        route.continue_()

    page.route("**/reports/*/save/", slow_save)
    page.goto(f"{live_server.url}/reports/{demo.campaign.pk}/mine/")
    page.locator("#v-events_held").fill("7")
    page.locator("#save-all").click()
    page.wait_for_url("**/reports/**", wait_until="load")
    page.get_by_text("草稿已保存。").wait_for()
    assert "其他人修改" not in page.content()
    report = Report.objects.get(campaign=demo.campaign, unit__name="泗县气象局")
    assert report.values.get(row_code="events_held").value == 7
