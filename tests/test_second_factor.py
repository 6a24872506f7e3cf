"""The second factor (TOTP) for organizers: enrolment with a QR code, recovery codes, the code asked
after the password, required for organizer roles by a setting, tokens only after it."""

from __future__ import annotations

import re

import pyotp
import pytest
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from sciweek.accounts.models import ApiToken

pytestmark = pytest.mark.django_db


def _login(username: str, password: str) -> Client:
    c = Client()
    r = c.post(reverse("accounts:login"), {"username": username, "password": password})
    assert r.status_code == 302, r.content.decode()[:500]
    return c


def _inside(c: Client) -> bool:
    r = c.get("/home/", follow=True)
    return r.status_code == 200 and not r.request["PATH_INFO"].startswith("/accounts/")


def _secret(c: Client) -> tuple[str, str]:
    body = c.get(reverse("accounts:otp_setup")).content.decode()
    secret = re.search(r'id="otp-secret"[^>]*>([A-Z2-7]+)<', body)[1]
    device = re.search(r'name="device" value="(\d+)"', body)[1]
    assert "<svg" in body  # the QR code, inline
    return secret, device


def _enrol(c: Client) -> tuple[pyotp.TOTP, list[str]]:
    secret, device = _secret(c)
    totp = pyotp.TOTP(secret)
    r = c.post(reverse("accounts:otp_setup"), {"device": device, "token": totp.now()})
    codes = re.findall(r"<li class=\"col\">(\d{8})</li>", r.content.decode())
    assert len(codes) == 10
    return totp, codes


def test_an_organizer_must_enrol_when_required_and_then_give_a_code_at_each_login(settings, demo):
    settings.SCIWEEK_OTP_REQUIRED = True
    password = demo.logins["sx-kjj"]
    c = _login("sx-kjj", password)
    r = c.get("/home/")
    assert r.status_code == 302 and r["Location"].startswith(reverse("accounts:otp_setup"))
    assert c.get("/api/v1/campaigns/").status_code == 403
    totp, codes = _enrol(c)
    assert _inside(c)

    again = _login("sx-kjj", password)
    r = again.get("/home/")
    assert r.status_code == 302 and r["Location"].startswith(reverse("accounts:otp_verify"))
    assert again.get(reverse("accounts:otp_setup")).status_code == 302  # no re-enrolment without the code
    assert "验证码不正确" in again.post(reverse("accounts:otp_verify"), {"token": "000000"}).content.decode()
    TOTPDevice.objects.update(throttling_failure_count=0, throttling_failure_timestamp=None)
    TOTPDevice.objects.update(last_t=-1)  # the enrolment code's time step may be reused in this test
    assert again.post(reverse("accounts:otp_verify"), {"token": totp.now()}).status_code == 302
    assert _inside(again)


def test_a_recovery_code_works_once(settings, demo):
    settings.SCIWEEK_OTP_REQUIRED = True
    password = demo.logins["sx-xcb"]  # a co-organizer
    _totp, codes = _enrol(_login("sx-xcb", password))
    c = _login("sx-xcb", password)
    assert c.post(reverse("accounts:otp_verify"), {"token": codes[0]}).status_code == 302
    assert _inside(c)
    c2 = _login("sx-xcb", password)
    assert c2.post(reverse("accounts:otp_verify"), {"token": codes[0]}).status_code == 200  # used up


def test_a_unit_reporter_is_not_asked_when_not_enrolled(settings, demo):
    settings.SCIWEEK_OTP_REQUIRED = True
    c = _login("sx-qxj", demo.logins["sx-qxj"])
    assert _inside(c)


def test_a_token_is_made_only_after_the_second_factor(settings, demo):
    settings.SCIWEEK_OTP_REQUIRED = True
    password = demo.logins["sx-kjj"]
    _enrol(_login("sx-kjj", password))
    c = _login("sx-kjj", password)
    c.post(reverse("accounts:profile"), {"name": "脚本"})
    assert not ApiToken.objects.exists()
    # The service refuses it too, whatever page calls it.
    from django.core.exceptions import PermissionDenied

    from sciweek.accounts.services import token_create

    with pytest.raises(PermissionDenied):
        token_create(actor=None, user=demo_user("sx-kjj"), name="x", second_factor_ok=False)


def demo_user(username: str):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username=username)


@pytest.mark.browser
def test_enrolment_and_login_in_the_browser(settings, demo, live_server, page, shot):
    settings.SCIWEEK_OTP_REQUIRED = True
    password = demo.logins["sx-kjj"]
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "sx-kjj")
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_url("**/accounts/2fa/setup/**")
    assert page.locator("#otp-qr svg").count() == 1
    shot(page, "otp-setup")
    secret = page.inner_text("#otp-secret").strip()
    totp = pyotp.TOTP(secret)
    page.fill("#id_token", totp.now())
    page.click("form button.btn-primary")
    page.wait_for_selector("#recovery-codes")
    assert page.locator("#recovery-codes li").count() == 10
    shot(page, "otp-recovery-codes")
    page.click("#otp-continue")
    page.wait_for_url(lambda url: "/accounts/" not in url)

    page.context.clear_cookies()
    TOTPDevice.objects.update(last_t=-1)
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "sx-kjj")
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_url("**/accounts/2fa/verify/**")
    shot(page, "otp-verify")
    page.fill("#id_token", totp.now())
    page.click("form button.btn-primary")
    page.wait_for_url(lambda url: "/accounts/" not in url)
    assert "sx-kjj" in page.content() or "县科技局" in page.content()
