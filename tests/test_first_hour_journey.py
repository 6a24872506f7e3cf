"""The first hour, in a real browser on a phone and on a desktop: a newcomer with the accounts load_demo
printed lives through the demo's phases.

筹备 (5月19日): registers for the weather open day, opens the ticket, loses the browser and finds the
ticket again by phone; 活动周进行中 (5月20日 09:10): the unit checks the ticket in at the door;
总结上报 (5月30日 15:00): the unit fills and submits its table, the organizer returns it, the unit
resubmits, the organizer approves; and a mistyped address shows the 404 page.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from sciweek.core import clock
from sciweek.core.models import OutboundMessage
from sciweek.demo import phases
from sciweek.demo.loader import load_demo
from sciweek.events.models import CheckIn, Event, Registration
from sciweek.reports.models import Report
from sciweek.reports.tests.report_files import VALID, docx_bytes, pdf_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SIZES = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}


@pytest.fixture
def first_run(settings):
    """What `make run` does: demo mode, the whole demo, the clock at 筹备."""
    settings.DEMO_MODE = True
    loaded = load_demo(full=True)
    phases.start_if_unset()
    yield {login.username: login.password for login in loaded.logins}
    clock.forget()


def _login(page, base: str, username: str, password: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_load_state()


def _phase(page, name: str) -> None:
    page.locator(".sw-demo-banner").get_by_role("button", name=name).click()
    page.wait_for_load_state()
    expect(page.locator(".sw-demo-banner button[aria-current]")).to_have_text(name)


def _menu(page, size: str, name: str) -> None:
    if size == "phone":
        page.get_by_role("button", name="菜单").click()
    page.locator("#nav").get_by_role("link", name=name).click()
    page.wait_for_load_state()


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_a_newcomer_lives_through_the_demo(size, page, live_server, first_run, shot, tmp_path):
    base = live_server.url
    page.set_viewport_size(SIZES[size])
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("dialog", lambda dialog: dialog.accept())

    # 筹备: the public registers for the weather open day (2 of 30 places left) and opens the ticket.
    page.goto(f"{base}/")
    assert "演示时间：2023年5月19日 10:" in page.locator(".sw-demo-banner").inner_text()
    shot(page, f"journey-{size}-1-home")
    _menu(page, size, "活动日历")
    page.get_by_text("走进气象观测站").first.click()
    page.click("#register-btn")
    page.fill("#id_name", "林小满")
    page.fill("#id_phone", "13955123456")
    page.check("#id_agree")
    page.click("#submit-registration")
    page.wait_for_selector("#ticket")
    assert page.inner_text("#ticket-status") == "报名成功"
    shot(page, f"journey-{size}-2-ticket")
    reg = Registration.objects.get(phone="13955123456")

    # A new browser: 我的报名 is empty; 找回我的报名 by the mobile number and the texted code.
    page.context.clear_cookies()
    page.goto(f"{base}/")
    _menu(page, size, "我的报名")
    assert "本浏览器中没有报名记录" in page.content()
    page.click("#recover-link")
    page.fill("#phone", "13955123456")
    page.get_by_role("button", name="发送验证码").click()
    text = OutboundMessage.objects.filter(phone="13955123456", kind="recover").latest("id").text
    page.fill("#code", re.search(r"验证码(\d{6})", text).group(1))
    page.get_by_role("button", name="找回").click()
    page.get_by_text("已找回1条报名").wait_for()
    shot(page, f"journey-{size}-3-recovered")
    page.get_by_text("走进气象观测站").click()
    page.wait_for_selector("#ticket")

    # 活动周进行中: 县气象局 checks the ticket in at the door (typed code).
    _login(page, base, "sx-qxj", first_run["sx-qxj"])
    _phase(page, "活动周进行中")
    assert "2023年5月20日 09:1" in page.locator(".sw-demo-banner").inner_text()
    event = Event.objects.get(title__startswith="走进气象观测站")
    page.goto(f"{base}/manage/events/{event.pk}/checkin/")
    page.fill("#typed-code", reg.code)
    page.click("#typed-submit")
    page.wait_for_selector(".sw-result-ok")
    assert "林小满（1人）签到成功" in page.inner_text("#result")
    shot(page, f"journey-{size}-4-checkin")
    assert CheckIn.objects.filter(registration=reg).exists()

    # 总结上报: the unit fills and submits its table before the 17:30 deadline.
    _phase(page, "总结上报")
    campaign = event.campaign
    page.goto(f"{base}/reports/{campaign.pk}/mine/")
    for code, value in VALID.items():
        field = page.locator(f"#v-{code}")
        field.fill(value)
        field.press("Tab")
        page.locator(f"#msg-{code} [data-kind]").first.wait_for()
    for kind, name, data in (
        ("summary", "工作总结.docx", docx_bytes()),
        ("stamped", "盖章统计表.pdf", pdf_bytes()),
    ):
        path = tmp_path / name
        path.write_bytes(data)
        form = page.locator(f"#attach-{kind} form.sw-upload")
        form.locator("input[type=file]").set_input_files(str(path))
        form.get_by_role("button", name="上传").click()
        page.locator(f"#attach-{kind}", has_text=name).wait_for()
    for note in page.locator("textarea[id^=note-]:visible").all():  # figures the cross-check asks about
        note.fill("以活动签到和直播后台统计为准")
        note.press("Tab")
    shot(page, f"journey-{size}-5-table-filled")
    page.get_by_role("button", name="提交统计表").click()
    page.get_by_text("统计表已提交，请等待组织单位审核").wait_for()
    report = Report.objects.get(campaign=campaign, unit__name="泗县气象局")
    assert report.status == Report.Status.SUBMITTED and not report.is_late

    # The organizer lands on its to-do, returns the table, the unit resubmits, the organizer approves.
    _login(page, base, "sx-kjj", first_run["sx-kjj"])
    assert "/manage/" in page.url and "待审核的统计表" in page.content()
    shot(page, f"journey-{size}-6-organizer-todo")
    page.goto(f"{base}/reports/{report.pk}/")
    page.fill("#return-reason", "请补充活动照片")
    page.get_by_role("button", name="退回修改").click()
    page.get_by_text("已退回泗县气象局").wait_for()
    _login(page, base, "sx-qxj", first_run["sx-qxj"])
    page.goto(f"{base}/reports/{campaign.pk}/mine/")
    assert "请补充活动照片" in page.inner_text("#return-reason")
    page.get_by_role("button", name="重新提交").click()
    page.get_by_text("统计表已提交，请等待组织单位审核").wait_for()
    _login(page, base, "sx-kjj", first_run["sx-kjj"])
    page.goto(f"{base}/reports/{report.pk}/")
    page.click("#approve")
    page.wait_for_load_state()
    report.refresh_from_db()
    assert report.status == Report.Status.APPROVED
    shot(page, f"journey-{size}-7-approved")

    # A mistyped address: the 404 page, in the site's layout, with a way back.
    response = page.goto(f"{base}/events/no-such-page/")
    assert response.status == 404
    assert page.get_by_role("heading", name="页面不存在").is_visible()
    assert page.get_by_role("link", name="我的工作台").is_visible()
    shot(page, f"journey-{size}-8-404")
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1
    assert not errors, errors
