"""Regression tests for the findings of the security review (issue 11): forwarded addresses, login
lockout behind a proxy, the one-time password through the API, tokens that outlived passwords."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone

from sciweek.accounts.models import ApiToken
from sciweek.accounts.services import token_create, user_reset_password
from sciweek.core.middleware import client_ip
from sciweek.core.models import AuditEvent

pytestmark = pytest.mark.django_db
NEW_PASSWORD = "Kx7#mq2Lp9zT-qx"


def _req(remote: str, forwarded: str = ""):
    extra = {"REMOTE_ADDR": remote}
    if forwarded:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


# --- X-Forwarded-For only from trusted proxies ------------------------------------------------------


def test_a_forwarded_header_from_anyone_is_ignored(settings):
    settings.SCIWEEK_TRUSTED_PROXIES = []
    assert client_ip(_req("203.0.113.7", "1.2.3.4")) == "203.0.113.7"
    settings.SCIWEEK_TRUSTED_PROXIES = ["10.0.0.0/8"]
    assert client_ip(_req("203.0.113.7", "1.2.3.4")) == "203.0.113.7"


def test_a_trusted_proxy_chain_gives_the_first_address_not_ours(settings):
    settings.SCIWEEK_TRUSTED_PROXIES = ["127.0.0.1", "10.0.0.0/8"]
    # The client wrote "6.6.6.6" itself; our nginx (10.0.0.5) appended the address it saw.
    assert client_ip(_req("127.0.0.1", "6.6.6.6, 198.51.100.9, 10.0.0.5")) == "198.51.100.9"
    assert client_ip(_req("127.0.0.1", "198.51.100.9")) == "198.51.100.9"
    assert client_ip(_req("127.0.0.1", "")) == "127.0.0.1"
    assert client_ip(_req("127.0.0.1", "not-an-ip")) == "127.0.0.1"


def test_the_audit_log_records_the_real_address_not_a_forged_one(settings, qxj, client_for):
    settings.SCIWEEK_TRUSTED_PROXIES = []
    c = client_for(qxj)
    c.post(reverse("accounts:profile"), {"name": "脚本"}, HTTP_X_FORWARDED_FOR="8.8.8.8")
    event = AuditEvent.objects.get(action="token.create")
    assert event.ip == "127.0.0.1"


def test_the_registration_rate_limit_cannot_be_dodged_with_a_forged_header(settings):
    from sciweek.core.middleware import client_ip as ip_of

    settings.SCIWEEK_TRUSTED_PROXIES = []
    keys = {ip_of(_req("203.0.113.7", f"10.0.0.{i}")) for i in range(20)}
    assert keys == {"203.0.113.7"}  # twenty forged headers, one rate-limit key


# --- Login: lockout on the real address, address-wide limit, progressive delay ---------------------


def _login(client: Client, username: str, password: str, ip: str):
    return client.post(
        reverse("accounts:login"),
        {"username": username, "password": password},
        HTTP_X_FORWARDED_FOR=ip,
    )


@pytest.fixture
def behind_proxy(settings):
    settings.SCIWEEK_TRUSTED_PROXIES = ["127.0.0.1"]  # the test client connects from 127.0.0.1
    settings.SCIWEEK_LOGIN_DELAY_AFTER = 50
    return settings


def test_wrong_passwords_from_one_client_do_not_lock_out_the_owner(behind_proxy, demo):
    attacker = Client()
    for _ in range(6):
        r = _login(attacker, "sx-qxj", "wrong-password-1", "198.51.100.66")
    assert r.status_code in (403, 429)  # the attacker's own pair is locked
    owner = Client()
    r = _login(owner, "sx-qxj", demo.logins["sx-qxj"], "203.0.113.10")
    assert r.status_code == 302, "the owner, at another address, still gets in"


def test_one_address_spraying_many_usernames_is_stopped(behind_proxy, demo):
    behind_proxy.SCIWEEK_LOGIN_IP_LIMIT = 5
    sprayer = Client()
    for name in ["sx-kjj", "sx-xcb", "sx-town1", "sz-kjj", "ah-kjt"]:
        assert _login(sprayer, name, "Spring2023!", "198.51.100.77").status_code == 200
    r = _login(sprayer, "sx-qxj", demo.logins["sx-qxj"], "198.51.100.77")
    assert r.status_code == 429 and "登录失败次数过多" in r.content.decode()
    # Another address is not affected.
    assert _login(Client(), "sx-qxj", demo.logins["sx-qxj"], "203.0.113.11").status_code == 302


def test_a_username_under_attack_gets_a_growing_delay_not_a_lock(behind_proxy, demo, monkeypatch):
    import sciweek.accounts.throttle as throttle

    behind_proxy.SCIWEEK_LOGIN_DELAY_AFTER = 2
    now = [1_000_000.0]
    monkeypatch.setattr(throttle.time, "time", lambda: now[0])
    for i in range(2):  # from two addresses: axes' pair lock never triggers
        _login(Client(), "sx-qxj", "wrong-password-1", f"198.51.100.{i + 1}")
    r = _login(Client(), "sx-qxj", demo.logins["sx-qxj"], "203.0.113.12")
    assert r.status_code == 429 and "秒后再试" in r.content.decode()
    assert throttle.seconds_to_wait("sx-qxj") == 2
    now[0] += 3
    _login(Client(), "sx-qxj", "wrong-password-1", "198.51.100.3")
    assert throttle.seconds_to_wait("sx-qxj") == 4  # doubles with each further failure …
    now[0] += 5
    assert _login(Client(), "sx-qxj", demo.logins["sx-qxj"], "203.0.113.12").status_code == 302
    assert throttle.seconds_to_wait("sx-qxj") == 0  # success clears it


# --- A pending one-time password: no API, no token ---------------------------------------------------


def _logged_in_with_one_time_password(organizer, qxj) -> tuple[Client, str]:
    password = user_reset_password(actor=organizer, user=qxj)
    c = Client()
    assert c.post(reverse("accounts:login"), {"username": "sx-qxj", "password": password}).status_code == 302
    return c, password


def test_the_api_answers_403_until_the_password_is_changed(organizer, qxj):
    c, password = _logged_in_with_one_time_password(organizer, qxj)
    r = c.get("/api/v1/campaigns/")
    assert r.status_code == 403 and r.json()["detail"] == "请先修改密码"
    r = c.post(reverse("accounts:profile"), {"name": "永久令牌"})
    assert not ApiToken.objects.filter(user=qxj).exists()
    assert "请先修改密码" in r.content.decode()
    c.post(
        reverse("accounts:password_change"),
        {"old_password": password, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert c.get("/api/v1/campaigns/").status_code == 200
    c.post(reverse("accounts:profile"), {"name": "同步脚本"})
    assert ApiToken.objects.filter(user=qxj).count() == 1


# --- Tokens: expiry, revoked with the password --------------------------------------------------------


def _api(raw: str) -> int:
    return Client().get("/api/v1/campaigns/", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code


def test_a_token_expires(settings, qxj):
    token, raw = token_create(actor=qxj, user=qxj, name="脚本")
    assert token.expires_at - timezone.now() > dt.timedelta(days=89)
    assert _api(raw) == 200
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert _api(raw) == 401


def test_a_reset_by_the_organizer_revokes_every_token(organizer, qxj):
    _, raw = token_create(actor=qxj, user=qxj, name="脚本")
    assert _api(raw) == 200
    user_reset_password(actor=organizer, user=qxj)
    assert _api(raw) == 401
    assert AuditEvent.objects.filter(action="token.revoke_all", actor=organizer).exists()


def test_changing_ones_own_password_revokes_every_token(qxj, demo):
    _, raw = token_create(actor=qxj, user=qxj, name="脚本")
    c = Client()
    c.force_login(qxj)
    r = c.post(
        reverse("accounts:password_change"),
        {"old_password": demo.logins["sx-qxj"], "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert r.status_code == 302
    assert _api(raw) == 401


def test_the_account_page_lists_tokens_with_their_expiry_and_revokes_them(qxj, client_for):
    token, raw = token_create(actor=qxj, user=qxj, name="数据同步")
    c = client_for(qxj)
    body = c.get(reverse("accounts:profile")).content.decode()
    assert "数据同步" in body and "有效期至" in body and token.prefix in body
    c.post(reverse("accounts:token_revoke", args=[token.pk]))
    assert _api(raw) == 401


# --- Password strength ---------------------------------------------------------------------------------


def test_a_username_plus_digits_is_refused_with_a_chinese_message(qxj):
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as exc:
        validate_password("sxqxj12345", qxj)
    assert any("太容易被猜到" in m for m in exc.value.messages)
    validate_password("Kx7#mq2Lp9zT-qx", qxj)  # a strong one passes


def test_the_change_page_refuses_a_guessable_password(qxj, demo, client_for):
    r = client_for(qxj).post(
        reverse("accounts:password_change"),
        {"old_password": demo.logins["sx-qxj"], "new_password1": "sxqxj12345", "new_password2": "sxqxj12345"},
    )
    assert r.status_code == 200 and "太容易被猜到" in r.content.decode()
