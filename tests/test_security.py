"""Security a user and an operator can see: lockout, password rules, production settings, deactivation,
CSP, cookies."""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

from django.test import Client

LOGIN = "/accounts/login/"


def _login(client: Client, username: str, password: str):
    return client.post(LOGIN, {"username": username, "password": password})


def test_it_locks_an_account_after_five_failed_logins(demo, town1):
    client = Client()
    for _ in range(4):
        r = _login(client, "sx-town1", "wrong-password-1")
        assert r.status_code == 200
        assert "请输入一个正确的" in r.content.decode()  # Django's own message, in Chinese
    r = _login(client, "sx-town1", "wrong-password-1")  # the fifth failure locks
    assert "账号已暂时锁定" in r.content.decode()
    # While locked, even the right password is refused, with the lock message in Chinese.
    r = _login(client, "sx-town1", demo.logins["sx-town1"])
    body = r.content.decode()
    assert r.status_code in (403, 429)
    assert "密码错误次数过多，为保护账号安全已暂时锁定，请30分钟后再试" in body
    assert "_auth_user_id" not in client.session
    assert client.get("/home/")["Location"].startswith(LOGIN)


def test_it_lets_a_user_in_before_the_limit_and_forgets_the_failures(demo, town1):
    client = Client()
    for _ in range(4):
        _login(client, "sx-town1", "wrong-password-1")
    r = _login(client, "sx-town1", demo.logins["sx-town1"])
    assert r.status_code == 302 and client.session["_auth_user_id"] == str(town1.pk)
    client.post("/accounts/logout/")
    for _ in range(4):  # AXES_RESET_ON_SUCCESS: the count started again after the good login
        _login(client, "sx-town1", "wrong-password-1")
    assert _login(client, "sx-town1", demo.logins["sx-town1"]).status_code == 302


def _change_password(client: Client, old: str, new: str) -> str:
    r = client.post("/accounts/password/", {"old_password": old, "new_password1": new, "new_password2": new})
    assert r.status_code == 200, "a refused password stays on the page"
    return r.content.decode()


def test_it_refuses_weak_passwords_with_chinese_messages(demo, town1):
    client = Client()
    client.force_login(town1)
    old = demo.logins["sx-town1"]
    assert "密码长度太短。密码必须包含至少 10 个字符。" in _change_password(client, old, "Ab1x")
    assert "密码只包含数字。" in _change_password(client, old, "3141592653589")
    assert "这个密码太常见了。" in _change_password(client, old, "password123")
    assert "密码须同时包含字母和数字。" in _change_password(client, old, "abcdefghijkmnop")
    assert "密码跟 用户名 太相似了。" in _change_password(client, old, "sx-town1-2023")
    town1.refresh_from_db()
    assert town1.check_password(old), "nothing was changed"
    r = client.post(
        "/accounts/password/",
        {"old_password": old, "new_password1": "Qiao-7xLm-2023", "new_password2": "Qiao-7xLm-2023"},
    )
    assert r.status_code == 302
    town1.refresh_from_db()
    assert town1.check_password("Qiao-7xLm-2023")


def test_production_settings_pass_the_deploy_check(tmp_path):
    """`sciweek check --deploy` in a fresh process (not under pytest, which relaxes the settings)."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("SCIWEEK_", "DJANGO_")) and k != "DATABASE_URL"
    }
    env |= {
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "example.org",
        "SCIWEEK_DEBUG": "0",
        "SCIWEEK_VAR_DIR": str(tmp_path),
    }
    command = [str(Path(sys.executable).with_name("sciweek")), "check", "--deploy", "--fail-level", "DEBUG"]
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "System check identified no issues (0 silenced)." in done.stdout
    # And it does warn when production hardening is off, so the check above means something.
    env["SCIWEEK_DEBUG"] = "1"
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert done.returncode != 0 and "security.W" in done.stdout + done.stderr


def test_a_deactivated_user_is_out_at_once(demo, organizer, town1, api_for, client_for):
    from django.urls import reverse

    from sciweek.orgs.models import OrgUnit

    browser = Client()
    assert _login(browser, "sx-town1", demo.logins["sx-town1"]).status_code == 302
    assert browser.get("/my/").status_code == 200
    api = api_for(town1)
    assert api.get("campaigns/").status_code == 200
    # The organizer deactivates the account on the unit's page.
    town = OrgUnit.objects.get(name="示例镇一")
    url = reverse("orgs:user_active", args=[town.pk, town1.pk])
    assert client_for(organizer).post(url, {"active": "0"}).status_code == 302
    r = browser.get("/my/")
    assert r.status_code == 302 and r["Location"].startswith(LOGIN)
    assert browser.get("/api/v1/campaigns/").status_code == 401
    r = api.get("campaigns/")
    assert r.status_code == 401 and r.json()["detail"] == "请先登录，或在请求头中提供有效的接口令牌。"
    # Logging in again does not work either.
    again = Client()
    r = _login(again, "sx-town1", demo.logins["sx-town1"])
    assert r.status_code == 200 and "_auth_user_id" not in again.session


def test_pages_carry_a_csp_with_no_outside_origin(client, demo):
    r = client.get("/")
    policy = r["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    assert directives["default-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["script-src"] == "'self'"  # a nonce is added only on pages that use one
    sources = " ".join(directives.values()).split()
    outside = [
        s for s in sources if not re.fullmatch(r"'self'|'none'|'unsafe-inline'|'nonce-[^']+'|data:|blob:", s)
    ]
    assert not outside, policy
    # The page loads nothing from elsewhere either (no CDN: intranets have no internet).
    assert not re.search(r'<(script|link)[^>]+(src|href)="(https?:)?//', r.content.decode())
    assert r["X-Frame-Options"] == "DENY" and r["X-Content-Type-Options"] == "nosniff"


def test_the_session_cookie_is_http_only(demo):
    client = Client()
    r = _login(client, "sx-qxj", demo.logins["sx-qxj"])
    assert r.status_code == 302
    cookie = r.cookies["sessionid"]
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"


def test_an_inline_script_gets_the_request_nonce(rf):
    """A page that needs an inline script uses {{ request.csp_nonce }}; the header then allows just that one."""
    from csp.middleware import CSPMiddleware
    from django.http import HttpResponse

    def page(request):
        return HttpResponse(f'<script nonce="{request.csp_nonce}">1</script>')

    middleware = CSPMiddleware(page)
    request = rf.get("/")
    middleware.process_request(request)
    response = middleware.process_response(request, page(request))
    nonce = re.search(r'nonce="([^"]+)"', response.content.decode()).group(1)
    assert f"script-src 'self' 'nonce-{nonce}'" in response["Content-Security-Policy"]
