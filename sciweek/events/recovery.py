"""找回我的报名: a ticket lives in the browser that booked it; from another phone or browser the public
finds its tickets again with its mobile number and a 6-digit code sent by text (core/sms.py).

Nothing is stored per request on the server: the code's keyed hash travels in a signed, short-lived
cookie with the number, so any web process can check it. Sending is rate limited per number and per
address, checking per number (a code has a million values: five tries in ten minutes do not find it).
A code is sent only to a number that has registrations, but the page says the same either way, so it
does not tell who registered.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from sciweek.core.ratelimit import rate_limit_hit
from sciweek.core.sms import Outgoing, sms_queue
from sciweek.orgs.validators import check_mobile

from .messaging import _sign
from .models import Registration

CODE_TTL = 600  # seconds a code stays good
SALT = "sciweek.events.recover"
MAX_TICKETS = 20


@dataclass(frozen=True)
class Sent:
    phone: str
    cookie: str  # signed: the number, the code's hash, when it was made
    limited: int = 0  # > 0: over a rate limit, try again in this many seconds


def _digest(phone: str, code: str) -> str:
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, f"{SALT}:{phone}:{code}".encode(), hashlib.sha256).hexdigest()


def recovery_send(*, phone: str, ip: str) -> Sent:
    """Check the number, apply the limits, text a code if the number has registrations."""
    phone = check_mobile(phone, field="phone", label="手机号")
    for scope, key, setting, default in (
        ("recover-ip", ip or "unknown", "SCIWEEK_RECOVER_IP_RATE", (10, 3600)),
        ("recover-phone", phone, "SCIWEEK_RECOVER_PHONE_RATE", (3, 900)),
    ):
        over, window = rate_limit_hit(scope=scope, key=key, setting=setting, default=default)
        if over:
            return Sent(phone, "", limited=window)
    code = f"{secrets.randbelow(1_000_000):06d}"
    if Registration.objects.filter(phone=phone).exists():
        with transaction.atomic():
            sms_queue(
                messages=[
                    Outgoing(
                        phone=phone,
                        text=_sign(f"您正在找回报名，验证码{code}，10分钟内有效。如非本人操作请忽略。"),
                        kind="recover",
                    )
                ]
            )
    cookie = signing.dumps({"p": phone, "h": _digest(phone, code), "t": int(time.time())}, salt=SALT)
    return Sent(phone, cookie)


def recovery_check(*, cookie: str, code: str) -> list[Registration]:
    """The number's registrations when the code matches; ValidationError (in Chinese) otherwise."""
    try:
        data = signing.loads(cookie or "", salt=SALT, max_age=CODE_TTL)
    except signing.BadSignature:
        raise ValidationError({"code": _("验证码已过期，请重新获取。")}) from None
    phone = data["p"]
    over, window = rate_limit_hit(
        scope="recover-check", key=phone, setting="SCIWEEK_RECOVER_CHECK_RATE", default=(5, 600)
    )
    if over:
        raise ValidationError(
            {"code": (_("尝试次数过多，请%(max)s分钟后重新获取验证码。") % {"max": max(1, window // 60)})}
        )
    code = "".join((code or "").split())
    if not (len(code) == 6 and code.isdigit()):
        raise ValidationError({"code": _("请输入短信中的6位数字验证码。")})
    if not hmac.compare_digest(_digest(phone, code), data["h"]):
        raise ValidationError({"code": _("验证码不正确，请核对短信后重新输入。")})
    return list(
        Registration.objects.filter(phone=phone).select_related("event").order_by("-created_at")[:MAX_TICKETS]
    )
