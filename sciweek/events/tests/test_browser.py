"""In Chromium on a phone-sized screen: the public registers for a capped event and gets its QR ticket;
staff at the door check people in by typed code, while offline, and with the camera (a fake camera
that films the ticket's QR code), and the counter goes up."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from PIL import Image
from playwright.sync_api import expect

from sciweek.events.models import CheckIn, Registration
from sciweek.events.registration import registration_create, registration_from_token
from sciweek.events.ticket_tokens import ticket_token

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DECODE_QR = """async () => {
  const svg = document.querySelector('svg.sw-qr');
  const xml = new XMLSerializer().serializeToString(svg);
  const img = new Image();
  img.src = 'data:image/svg+xml;charset=utf-8,' + encodeURIComponent(xml);
  await img.decode();
  const c = document.createElement('canvas'); c.width = c.height = 400;
  const ctx = c.getContext('2d'); ctx.fillStyle = '#fff'; ctx.fillRect(0, 0, 400, 400);
  ctx.drawImage(img, 0, 0, 400, 400);
  const d = ctx.getImageData(0, 0, 400, 400);
  const code = jsQR(d.data, 400, 400);
  return code ? code.data : null;
}"""


def _login(page, live_server, user) -> None:
    c = Client()
    c.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": c.cookies["sessionid"].value, "url": live_server.url}]
    )


def test_it_registers_the_public_and_checks_them_in_at_the_door(
    live_server, page, shot, published_event, qxj
):
    event = published_event(title="走进气象观测站", registration_enabled=True, capacity=30, waitlist_limit=5)
    page.goto(f"{live_server.url}/events/?day=all")
    page.get_by_text("走进气象观测站").click()
    page.wait_for_selector("#register-btn")
    assert "共30人，剩余30个" in page.inner_text("#places")
    shot(page, "events-1-detail")
    page.click("#register-btn")
    page.fill("#id_name", "张伟")
    page.fill("#id_phone", "13905571234")
    page.select_option("#id_party_size", "2")
    page.check("#id_agree")
    shot(page, "events-2-register")
    page.click("#submit-registration")
    page.wait_for_selector("#ticket")
    assert page.inner_text("#ticket-status") == "报名成功"
    assert page.inner_text("#ticket-phone") == "139****1234"
    reg = Registration.objects.get(phone="13905571234")
    token = page.url.rstrip("/").rsplit("/", 1)[1]
    assert registration_from_token(token) == reg
    page.add_script_tag(url=f"{live_server.url}/static/vendor/jsqr/jsQR.js")
    assert page.evaluate(DECODE_QR) == token  # the QR on the phone is the signed ticket
    shot(page, "events-3-ticket")

    _login(page, live_server, qxj)
    page.goto(f"{live_server.url}/manage/events/{event.pk}/checkin/")
    assert page.inner_text("#arrived-people") == "0"
    page.fill("#typed-code", reg.code.lower())
    page.click("#typed-submit")
    page.wait_for_selector(".sw-result-ok")
    assert "张伟（2人）签到成功" in page.inner_text("#result")
    expect(page.locator("#arrived-people")).to_have_text("2")
    shot(page, "events-4-checkin-typed")
    page.fill("#typed-code", reg.code)
    page.click("#typed-submit")
    page.wait_for_selector(".sw-result-dup")
    assert re.search(r"张伟已签到 \d\d:\d\d", page.inner_text("#result"))

    # The network drops: the scan waits on the phone, and goes once the network is back.
    wang = registration_create(event=event, name="王芳", phone="13905575678", party_size=1)
    page.context.set_offline(True)
    page.fill("#typed-code", wang.code)
    page.click("#typed-submit")
    expect(page.locator("#queue-state")).to_contain_text("1 条扫码记录待同步")
    assert "待同步" in page.inner_text("#queue-state")
    shot(page, "events-5-checkin-offline")
    assert not CheckIn.objects.filter(registration=wang).exists()
    page.context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    expect(page.locator("#arrived-people")).to_have_text("3")
    assert "王芳（1人）签到成功" in page.inner_text("#history")
    assert "网络正常" in page.inner_text("#queue-state")
    assert CheckIn.objects.filter(event=event).count() == 2
    shot(page, "events-6-checkin-synced")


def _y4m_of(text: str, path) -> None:
    """A short raw video (YUV4MPEG2, 4:2:0) whose every frame shows the QR code of `text`."""
    import qrcode

    qr = qrcode.make(text, border=4).convert("L")
    frame = Image.new("L", (640, 480), 255)
    side = 440
    frame.paste(qr.resize((side, side), Image.Resampling.NEAREST), ((640 - side) // 2, (480 - side) // 2))
    y = frame.tobytes()
    chroma = bytes([128]) * (320 * 240)
    with open(path, "wb") as out:
        out.write(b"YUV4MPEG2 W640 H480 F10:1 Ip A1:1 C420jpeg\n")
        for _ in range(20):
            out.write(b"FRAME\n" + y + chroma + chroma)


def test_it_scans_a_ticket_with_the_phone_camera(live_server, browser, shot, published_event, qxj, tmp_path):
    event = published_event(title="走进气象观测站", registration_enabled=True, capacity=30)
    reg = registration_create(event=event, name="李娜", phone="13900001111", party_size=3)
    video = tmp_path / "ticket.y4m"
    _y4m_of(ticket_token(reg), video)
    camera_browser = browser.browser_type.launch(
        executable_path="/usr/bin/chromium",
        headless=True,
        args=[
            "--no-sandbox",
            "--disable-gpu",
            "--use-fake-ui-for-media-stream",
            "--use-fake-device-for-media-stream",
            f"--use-file-for-fake-video-capture={video}",
        ],
    )
    try:
        context = camera_browser.new_context(
            locale="zh-CN", viewport={"width": 390, "height": 844}, permissions=["camera"]
        )
        page = context.new_page()
        page.set_default_timeout(20000)
        _login(page, live_server, qxj)
        page.goto(f"{live_server.url}/manage/events/{event.pk}/checkin/")
        page.click("#camera-toggle")
        page.wait_for_selector(".sw-result-ok")
        assert "李娜（3人）签到成功" in page.inner_text("#result")
        expect(page.locator("#arrived-people")).to_have_text("3")
        shot(page, "events-7-checkin-camera")
        page.click("#camera-toggle")  # stop the camera
        assert CheckIn.objects.get(registration=reg).method == "scan"
        context.close()
    finally:
        camera_browser.close()
