"""Accounts: bulk creation for units with one-time passwords, deactivation, API tokens."""

from __future__ import annotations

import datetime as dt
import secrets
import string
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.validators import ASCIIUsernameValidator
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from sciweek.core.audit import audit_log
from sciweek.orgs.models import Membership, OrgUnit, Role

from .models import ApiToken, Profile, hash_token

User = get_user_model()
_ALPHABET = "".join(c for c in string.ascii_letters + string.digits if c not in "0O1lI")


def generate_password(length: int = 12, *, username: str = "", display_name: str = "") -> str:
    """Readable one-time password with letters and digits (no 0/O/1/l/I to misread on paper).

    Given the account's username and name, it is drawn again until the password validators accept it:
    a random draw is now and then "too similar" to a short username (sx-judge9), and the account must
    never fail to be created for that."""
    probe = User(username=username, first_name=display_name[:150]) if (username or display_name) else None
    while True:
        pw = "".join(secrets.choice(_ALPHABET) for _ in range(length))
        if not (any(c.isdigit() for c in pw) and any(c.isalpha() for c in pw)):
            continue
        if probe is not None:
            try:
                validate_password(pw, probe)
            except ValidationError:
                continue
        return pw


@dataclass(frozen=True)
class IssuedLogin:
    unit: OrgUnit
    username: str
    password: str
    role: str
    created: bool


@transaction.atomic
def user_create(
    *,
    actor: Any,
    username: str,
    password: str | None,
    display_name: str = "",
    mobile: str = "",
    email: str = "",
    must_change_password: bool = True,
    unit_path: str = "",
) -> Any:
    username = username.strip()
    if not username:
        raise ValidationError({"username": gettext("请填写用户名。")})
    try:
        ASCIIUsernameValidator()(username)
    except ValidationError:
        raise ValidationError(
            {
                "username": (
                    gettext("用户名「%(username)s」只能包含英文字母、数字和 @ . + - _。")
                    % {"username": username[:30]}
                )
            }
        ) from None
    if len(username) > 150:
        raise ValidationError({"username": gettext("用户名不能超过150个字符。")})
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError(
            {"username": (gettext("用户名「%(username)s」已存在。") % {"username": username})}
        )
    user = User(username=username, email=email, first_name=display_name[:150])
    if password:
        validate_password(password, user)
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    Profile.objects.create(
        user=user, display_name=display_name, mobile=mobile, must_change_password=must_change_password
    )
    audit_log(
        actor=actor,
        action="user.create",
        obj=user,
        object_repr=username,
        unit_path=unit_path,
        after={"username": username, "display_name": display_name},
    )
    return user


@transaction.atomic
def membership_grant(
    *, actor: Any, user: Any, unit: OrgUnit, role: str, acting_for: OrgUnit | None = None
) -> Membership:
    if role not in Role.values:
        raise ValidationError({"role": (gettext("未知角色「%(role)s」。") % {"role": role})})
    membership, created = Membership.objects.get_or_create(
        user=user, unit=unit, role=role, defaults={"acting_for": acting_for}
    )
    if created:
        audit_log(
            actor=actor,
            action="membership.grant",
            obj=membership,
            unit_path=unit.path,
            after={"user": user.username, "unit": unit.name, "role": role},
        )
    return membership


@transaction.atomic
def membership_revoke(*, actor: Any, membership: Membership) -> None:
    audit_log(
        actor=actor,
        action="membership.revoke",
        obj=membership,
        unit_path=membership.unit.path,
        before={"user": membership.user.username, "unit": membership.unit.name, "role": membership.role},
    )
    membership.delete()


@transaction.atomic
def accounts_bulk_create(
    *,
    actor: Any,
    units: list[OrgUnit],
    role: str = Role.UNIT_REPORTER,
    reset_existing: bool = False,
) -> list[IssuedLogin]:
    """One account per unit (username = unit code), a one-time password each, change forced at first login."""
    issued: list[IssuedLogin] = []
    for unit in units:
        username = unit.code.lower()
        user = User.objects.filter(username__iexact=username).first()
        password = generate_password(username=username, display_name=unit.name)
        if user is None:
            user = user_create(
                actor=actor, username=username, password=password, display_name=unit.name, unit_path=unit.path
            )
            created = True
        elif reset_existing:
            user.set_password(password)
            user.is_active = True
            user.save()
            Profile.objects.update_or_create(user=user, defaults={"must_change_password": True})
            tokens_revoke_all(actor=actor, user=user, reason="reset")
            audit_log(
                actor=actor, action="user.reset_password", obj=user, object_repr=username, unit_path=unit.path
            )
            created = False
        else:
            continue
        membership_grant(actor=actor, user=user, unit=unit, role=role)
        issued.append(
            IssuedLogin(unit=unit, username=username, password=password, role=role, created=created)
        )
    return issued


@transaction.atomic
def user_set_active(*, actor: Any, user: Any, active: bool) -> None:
    before = {"is_active": user.is_active}
    user.is_active = active
    user.save(update_fields=["is_active"])
    if not active:
        # Out at once: tokens go too (sessions stop working because the backend refuses inactive users).
        user.api_tokens.all().delete()
    audit_log(
        actor=actor,
        action="user.activate" if active else "user.deactivate",
        obj=user,
        object_repr=user.username,
        unit_path=_first_unit_path(user),
        before=before,
        after={"is_active": active},
    )


@transaction.atomic
def password_change_done(*, user: Any) -> None:
    Profile.objects.update_or_create(user=user, defaults={"must_change_password": False})
    audit_log(actor=user, action="user.password_change", obj=user, object_repr=user.username)
    # A token is a password that does not expire with the old one: a new password ends them all.
    tokens_revoke_all(actor=user, user=user, reason="password_change")


PASSWORD_PENDING = "请先修改密码"


def password_change_pending(user: Any) -> bool:
    profile = Profile.objects.filter(user=user).only("must_change_password").first()
    return bool(profile and profile.must_change_password)


@transaction.atomic
def token_create(*, actor: Any, user: Any, name: str, second_factor_ok: bool = True) -> tuple[ApiToken, str]:
    """A personal token, valid SCIWEEK_API_TOKEN_DAYS. Refused while a one-time password is pending
    (whoever holds it is not yet known to be the owner) and, where required, before the second factor."""
    if password_change_pending(user):
        raise PermissionDenied(PASSWORD_PENDING)
    if not second_factor_ok:
        raise PermissionDenied(gettext("请先完成两步验证"))
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": gettext("请填写令牌用途。")})
    raw = ApiToken.new_raw()
    token = ApiToken.objects.create(
        user=user,
        name=name[:100],
        prefix=raw[3:9],
        key_hash=hash_token(raw),
        expires_at=timezone.now() + dt.timedelta(days=settings.SCIWEEK_API_TOKEN_DAYS),
    )
    audit_log(actor=actor, action="token.create", obj=token, object_repr=str(token))
    return token, raw


def tokens_revoke_all(*, actor: Any, user: Any, reason: str) -> int:
    """Every token of ``user`` (on a password reset or change); audited once with the count."""
    tokens = list(ApiToken.objects.filter(user=user).values_list("prefix", flat=True))
    if tokens:
        ApiToken.objects.filter(user=user).delete()
        audit_log(
            actor=actor,
            action="token.revoke_all",
            obj=user,
            object_repr=user.username,
            unit_path=_first_unit_path(user),
            before={"tokens": tokens},
            note={"reset": "密码被重置", "password_change": "本人修改密码"}.get(reason, reason),
        )
    return len(tokens)


@transaction.atomic
def token_revoke(*, actor: Any, token: ApiToken) -> None:
    audit_log(actor=actor, action="token.revoke", obj=token, object_repr=str(token))
    token.delete()


@transaction.atomic
def user_reset_password(*, actor: Any, user: Any) -> str:
    """A new one-time password (returned once, never stored in clear); the user must change it at next login."""
    password = generate_password(username=user.username, display_name=user.first_name)
    user.set_password(password)
    user.save(update_fields=["password"])
    Profile.objects.update_or_create(user=user, defaults={"must_change_password": True})
    tokens_revoke_all(actor=actor, user=user, reason="reset")
    audit_log(
        actor=actor,
        action="user.reset_password",
        obj=user,
        object_repr=user.username,
        unit_path=_first_unit_path(user),
    )
    return password


def _first_unit_path(user: Any) -> str:
    m = Membership.objects.filter(user=user).select_related("unit").order_by("unit__path").first()
    return m.unit.path if m else ""
