"""Login throttling beside django-axes, in the shared cache (so every instance sees the same counts).

django-axes locks a (username, client address) pair after a few wrong passwords: an attacker at one
address locks only himself. Two things it does not do are added here:

- an address-wide limit: spraying one password over many usernames from one address stops after
  SCIWEEK_LOGIN_IP_LIMIT failures in SCIWEEK_LOGIN_IP_WINDOW seconds (answer 429, until the window ends);
- a progressive delay per username, from any address: after SCIWEEK_LOGIN_DELAY_AFTER failures each
  further attempt must wait 2, 4, 8 … seconds (at most SCIWEEK_LOGIN_DELAY_MAX) after the last failure.
  A delay, never a lock: someone guessing a colleague's username cannot keep the owner out for longer
  than that, and a successful login clears it.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.core.cache import cache
from django.dispatch import receiver
from django.http import HttpRequest

from sciweek.core import metrics
from sciweek.core.middleware import client_ip


def _ip_key(ip: str) -> str:
    return f"login:ip:{ip}"


def _user_key(username: str) -> str:
    return f"login:user:{username.strip().lower()[:150]}"


def refusal(request: HttpRequest, username: str) -> str | None:
    """Why this attempt is refused before the password is even checked (None: go ahead)."""
    ip = client_ip(request) or "unknown"
    if (cache.get(_ip_key(ip)) or 0) >= settings.SCIWEEK_LOGIN_IP_LIMIT:
        minutes = max(1, settings.SCIWEEK_LOGIN_IP_WINDOW // 60)
        return f"该网络地址登录失败次数过多，请{minutes}分钟后再试。"
    wait = seconds_to_wait(username)
    if wait > 0:
        return f"该账号连续登录失败，请{wait}秒后再试。"
    return None


def seconds_to_wait(username: str) -> int:
    state = cache.get(_user_key(username))
    if not state:
        return 0
    failures, last = state
    extra = failures - settings.SCIWEEK_LOGIN_DELAY_AFTER
    if extra < 0:
        return 0
    delay = min(2 ** (extra + 1), settings.SCIWEEK_LOGIN_DELAY_MAX)
    return max(0, int(last + delay - time.time() + 0.999))


@receiver(user_login_failed)
def _failed(sender, credentials: dict, request: HttpRequest | None = None, **kwargs) -> None:
    metrics.LOGIN_FAILURES.inc()
    if request is None:
        return
    ip_key = _ip_key(client_ip(request) or "unknown")
    if not cache.add(ip_key, 1, timeout=settings.SCIWEEK_LOGIN_IP_WINDOW):
        try:
            cache.incr(ip_key)
        except ValueError:  # expired between add and incr
            cache.add(ip_key, 1, timeout=settings.SCIWEEK_LOGIN_IP_WINDOW)
    username = str(credentials.get("username") or "")
    if username:
        key = _user_key(username)
        failures = (cache.get(key) or (0, 0.0))[0] + 1
        cache.set(key, (failures, time.time()), timeout=86400)


@receiver(user_logged_in)
def _succeeded(sender, request: HttpRequest | None = None, user=None, **kwargs) -> None:
    if user is not None:
        cache.delete(_user_key(user.get_username()))
