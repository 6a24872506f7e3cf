"""In Chromium: a unit's reporter fills the publicity form on a phone (photos uploaded, a blurry one
flagged, submitted); the bureau reviews it on a desktop beside the board preview, returns it, and on
the phone the reason shows; after the resubmission the bureau approves."""

from __future__ import annotations

import pytest
from django.test import Client
from playwright.sync_api import expect

from sciweek.materials.models import PublicitySubmission
from sciweek.orgs.models import StaffContact

from .photos import photo_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _login(page, live_server, user) -> None:
    c = Client()
    c.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": c.cookies["sessionid"].value, "url": live_server.url}]
    )


def test_the_unit_sends_content_and_the_bureau_reviews_it_beside_the_board(
    live_server, browser, page, shot, demo, qxj, organizer, unit, tmp_path
):
    qx = unit("县气象局")
    StaffContact.objects.create(unit=qx, name="王芳", mobile="13800001234")
    big, small = tmp_path / "观测场.jpg", tmp_path / "小图.jpg"
    big.write_bytes(photo_bytes(3200, 2400))
    small.write_bytes(photo_bytes(480, 360, color=(200, 80, 60)))
    _login(page, live_server, qxj)
    url = f"{live_server.url}/my/publicity/{demo.campaign.pk}/{qx.pk}/"
    page.goto(url)
    page.fill("#id_headline", "气象科普进万家")
    page.fill("#id_body", "【活动概况】\n开放气象观测场，讲解防灾减灾知识。\n- 发放宣传资料3000份")
    page.set_input_files("#id_images", [str(big), str(small)])
    shot(page, "publicity-1-phone-form")
    page.click("button[name=save]")
    expect(page.locator("#pub-images img")).to_have_count(2)
    expect(page.locator("[data-dpi-warning]")).to_have_count(1)
    expect(page.locator("[data-dpi-warning]")).to_contain_text("这张照片印在展板上会模糊")
    page.locator("#pub-images input[name^=caption_]").first.fill("气象观测场向公众开放")
    shot(page, "publicity-2-phone-photos")
    page.click("button[name=submit]")
    expect(page.locator("[data-status=submitted]")).to_be_visible()
    sub = PublicitySubmission.objects.get()

    desk = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 900}).new_page()
    _login(desk, live_server, organizer)
    desk.goto(f"{live_server.url}/manage/publicity/item/{sub.pk}/")
    preview = desk.locator("#board-preview")
    expect(preview).to_be_visible()
    desk.wait_for_function(
        "document.querySelector('#board-preview').complete && document.querySelector('#board-preview').naturalWidth > 0"
    )
    box = preview.bounding_box()
    assert box["height"] > box["width"] * 1.5  # a roll-up: tall and narrow, beside the text
    text_box = desk.locator("section.card").first.bounding_box()
    assert text_box["x"] < box["x"]  # the text on the left, the board on the right
    shot(desk, "publicity-3-desktop-review")
    desk.fill("#reason", "请补充第二张照片的说明")
    desk.click("button[name=return]")
    expect(desk.locator("[data-status=returned]")).to_be_visible()

    page.goto(url)
    expect(page.locator(".alert-warning")).to_contain_text("请补充第二张照片的说明")
    page.locator("#pub-images input[name^=caption_]").nth(1).fill("科普讲解现场")
    shot(page, "publicity-4-phone-returned")
    page.click("button[name=submit]")
    expect(page.locator("[data-status=submitted]")).to_be_visible()

    desk.goto(f"{live_server.url}/manage/publicity/item/{sub.pk}/")
    desk.select_option("#approve-layout", "gallery")
    desk.click("button[name=approve]")
    expect(desk.locator("[data-status=approved]")).to_be_visible()
    expect(desk.get_by_text("下载印刷文件（PDF）")).to_be_visible()
    shot(desk, "publicity-5-desktop-approved")
    phone_review = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844}).new_page()
    _login(phone_review, live_server, organizer)
    phone_review.goto(f"{live_server.url}/manage/publicity/item/{sub.pk}/")
    expect(phone_review.locator("#board-preview")).to_be_visible()
    shot(phone_review, "publicity-6-phone-review")
    assert PublicitySubmission.objects.get().status == "approved"
