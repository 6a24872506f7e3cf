"""On a phone in headless Chromium: 采用 beside 宣传报道数量 fills the input from the confirmed registry and
the row saves itself; a unit corrects and deletes its media reports; the bureau withdraws a confirmation."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client

from sciweek.materials.models import MediaReport
from sciweek.reports.models import Report, ReportValue

from .test_media_suggestions import registry

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _login(page, live_server, user) -> None:
    page.context.clear_cookies()
    c = Client()
    c.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": c.cookies["sessionid"].value, "url": live_server.url}]
    )


def _watch(page) -> list[str]:
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    return errors


def _fits(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 1


def test_adopting_the_registry_figure_on_a_phone(page, live_server, demo, qxj, organizer, unit, shot):
    errors = _watch(page)
    qx = unit("县气象局")
    registry(demo.campaign, qx, qxj, organizer, confirmed=7, pending=1, outlets=3)
    _login(page, live_server, qxj)
    page.goto(f"{live_server.url}/reports/{demo.campaign.pk}/mine/")
    box = page.locator('[data-suggest-row="media_reports"]')
    box.scroll_into_view_if_needed()
    assert "媒体报道登记：3 家媒体，7 篇报道" in box.inner_text()
    _fits(page)
    shot(page, "materials-suggest-before-phone")
    box.get_by_role("button", name="采用").click()
    page.locator('#msg-media_reports [data-kind="saved"]').wait_for()
    assert page.input_value("#v-media_reports") == "7"
    report = Report.objects.get(campaign=demo.campaign, unit=qx)
    assert ReportValue.objects.get(report=report, row_code="media_reports").value == Decimal(7)
    # The other row too; the page stays on the same version chain (no stale banner).
    page.locator('[data-suggest-row="media_outlets"]').get_by_role("button", name="采用").click()
    page.locator('#msg-media_outlets [data-kind="saved"]').wait_for()
    assert ReportValue.objects.get(report=report, row_code="media_outlets").value == Decimal(3)
    assert page.locator("#stale-banner .alert").count() == 0
    page.locator("#row-media_outlets").scroll_into_view_if_needed()
    shot(page, "materials-suggest-adopted-phone")
    assert not errors, errors


def test_a_unit_edits_and_deletes_its_media_reports_on_a_phone(
    page, live_server, demo, qxj, organizer, unit, shot
):
    errors = _watch(page)
    page.on("dialog", lambda dialog: dialog.accept())
    qx = unit("县气象局")
    confirmed, pending = registry(demo.campaign, qx, qxj, organizer, confirmed=1, pending=1, outlets=1)
    _login(page, live_server, qxj)
    page.goto(f"{live_server.url}/my/media/{demo.campaign.pk}/")
    item = page.locator(f'[data-media-report="{pending.pk}"]')
    item.get_by_role("link", name="修改/删除").click()
    page.fill("#m-title", "更正后的标题")
    _fits(page)
    shot(page, "materials-media-edit-phone")
    page.click("#media-save")
    page.locator(f'[data-media-report="{pending.pk}"]').wait_for()
    assert "更正后的标题" in page.locator(f'[data-media-report="{pending.pk}"]').inner_text()
    assert MediaReport.objects.get(pk=pending.pk).title == "更正后的标题"
    # A confirmed one is read-only for the unit.
    page.locator(f'[data-media-report="{confirmed.pk}"]').get_by_role("link", name="查看").click()
    assert page.locator("#media-locked").is_visible() and page.locator("#media-delete").count() == 0
    # Delete the pending one.
    page.goto(f"{live_server.url}/my/media/report/{pending.pk}/")
    page.click("#media-delete")
    page.locator(".alert-success").wait_for()
    assert not MediaReport.objects.filter(pk=pending.pk).exists()
    shot(page, "materials-media-list-phone")

    # The bureau withdraws the confirmation on a desktop, with a reason the unit then reads.
    page.set_viewport_size({"width": 1280, "height": 900})
    _login(page, live_server, organizer)
    page.goto(f"{live_server.url}/my/media/report/{confirmed.pk}/")
    page.fill("#m-withdraw", "报道的单位填错了")
    page.click("#media-withdraw")
    page.locator("#media-edit-form").wait_for()
    shot(page, "materials-media-withdrawn-desktop")
    assert MediaReport.objects.get(pk=confirmed.pk).status == "pending"
    page.set_viewport_size({"width": 390, "height": 844})
    _login(page, live_server, qxj)
    page.goto(f"{live_server.url}/my/media/report/{confirmed.pk}/")
    assert "报道的单位填错了" in page.locator("#media-reason").inner_text()
    assert page.locator("#media-delete").is_visible()
    assert not errors, errors


def test_the_bureau_can_type_a_reject_reason_on_a_phone(page, live_server, demo, qxj, organizer, unit, shot):
    """The 不采纳原因 input shrank to one character's width beside the buttons in the table's last column."""
    errors = _watch(page)
    qx = unit("县气象局")
    _, pending = registry(demo.campaign, qx, qxj, organizer, confirmed=1, pending=1, outlets=1)
    _login(page, live_server, organizer)
    page.goto(f"{live_server.url}/manage/media/{demo.campaign.pk}/")
    reason = page.locator(f'form[action$="/media/report/{pending.pk}/confirm/"] input[name="reason"]')
    assert reason.bounding_box()["width"] >= 120  # about 8 characters readable
    _fits(page)  # the table scrolls inside its box, the page does not
    shot(page, "materials-media-reject-phone")
    reason.fill("与活动周无关")
    page.locator(f'form[action$="/media/report/{pending.pk}/confirm/"] button[name="reject"]').click()
    page.wait_for_load_state()
    pending.refresh_from_db()
    assert pending.status == MediaReport.Status.REJECTED and "与活动周无关" in pending.reject_reason
    assert not errors, errors
