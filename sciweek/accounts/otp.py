"""The second factor: a TOTP authenticator app (django-otp) and ten one-use recovery codes.

Enrolment: an unconfirmed TOTP device with a QR code; the first correct code confirms it, marks the
session verified and issues the recovery codes (shown once). Login: after the password, a user with a
confirmed device enters a code (or a recovery code) before any other page. With SCIWEEK_OTP_REQUIRED,
organizers and co-organizers without a device are sent to enrolment first. API tokens are made only
in a verified session (accounts.services.token_create); existing tokens keep working.

The outcome is remembered in the session against the password hash (as the password gate does), so
an ordinary page costs no extra query once the session is settled.
"""

from __future__ import annotations

import io
import secrets
from typing import Any

import django_otp
import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib.auth import HASH_SESSION_KEY
from django.db import transaction
from django.http import HttpRequest
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from sciweek.core.audit import audit_log
from sciweek.orgs.models import Membership, Role

SETTLED_KEY = "_sciweek_2fa_ok"  # the password hash this session's second factor was settled for
RECOVERY_CODES = 10
REQUIRED_ROLES = (Role.ORGANIZER, Role.CO_ORGANIZER)


def required_for(user: Any) -> bool:
    return (
        settings.SCIWEEK_OTP_REQUIRED
        and Membership.objects.filter(user=user, role__in=REQUIRED_ROLES).exists()
    )


def confirmed_totp(user: Any) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def session_verified(request: HttpRequest) -> bool:
    return bool(request.session.get(django_otp.DEVICE_ID_SESSION_KEY))


def _settle(request: HttpRequest) -> None:
    request.session[SETTLED_KEY] = request.session.get(HASH_SESSION_KEY)


def pending_step(request: HttpRequest) -> str | None:
    """ "verify", "setup" or None: what the logged-in user must do before anything else."""
    user = request.user
    if not user.is_authenticated:
        return None
    stamp = request.session.get(HASH_SESSION_KEY)
    if stamp and request.session.get(SETTLED_KEY) == stamp:
        return None
    if session_verified(request):
        _settle(request)
        return None
    if confirmed_totp(user) is not None:
        return "verify"
    if required_for(user):
        return "setup"
    _settle(request)
    return None


def may_create_tokens(request: HttpRequest) -> bool:
    """Tokens only after the second factor, for whoever has or needs one."""
    if session_verified(request):
        return True
    return confirmed_totp(request.user) is None and not required_for(request.user)


def begin_setup(user: Any) -> TOTPDevice:
    """The unconfirmed device the enrolment page shows (a new secret each time enrolment restarts)."""
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name="身份验证器", confirmed=False)


def qr_svg(device: TOTPDevice) -> str:
    img = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8, border=2)
    buf = io.BytesIO()
    img.save(buf)
    return buf.getvalue().decode()


def secret_b32(device: TOTPDevice) -> str:
    from base64 import b32encode

    return b32encode(device.bin_key).decode().rstrip("=")


@transaction.atomic
def confirm_setup(*, request: HttpRequest, device: TOTPDevice, token: str) -> list[str] | None:
    """Confirm the device with its first code; returns the recovery codes (shown once), None if wrong."""
    if not device.verify_token(token.strip()):
        return None
    TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = new_recovery_codes(device.user)
    django_otp.login(request, device)
    _settle(request)
    audit_log(actor=device.user, action="user.2fa_enable", obj=device.user, object_repr=device.user.username)
    return codes


def new_recovery_codes(user: Any) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    static = StaticDevice.objects.create(user=user, name="恢复码", confirmed=True)
    codes = [f"{secrets.randbelow(10**8):08d}" for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=static, token=c) for c in codes])
    return codes


def verify_login(*, request: HttpRequest, token: str) -> bool:
    """A code from the app (six digits) or a recovery code (eight digits, used up)."""
    token = "".join(token.split())
    user: Any = request.user
    devices: list[Any] = []
    if len(token) == 6:
        devices = list(TOTPDevice.objects.filter(user=user, confirmed=True))
    elif len(token) == 8:
        devices = list(StaticDevice.objects.filter(user=user, confirmed=True))
    for device in devices:
        verified = django_otp.verify_token(user, device.persistent_id, token)
        if verified is not None:
            django_otp.login(request, verified)
            _settle(request)
            if isinstance(verified, StaticDevice):
                audit_log(actor=user, action="user.2fa_recovery_used", obj=user, object_repr=user.username)
            return True
    return False


def recovery_codes_left(user: Any) -> int:
    return StaticToken.objects.filter(device__user=user).count()
