"""API authentication: a personal token (Authorization: Bearer sw_…) or the browser session."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja.security import APIKeyCookie, HttpBearer

from sciweek.accounts.middleware import must_change_password
from sciweek.accounts.models import ApiToken, hash_token
from sciweek.accounts.otp import pending_step
from sciweek.accounts.services import PASSWORD_PENDING
from sciweek.core.statements import select_one, update_row

LAST_USED_RESOLUTION = dt.timedelta(minutes=5)


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        # One statement built once: every API call starts here.
        row = select_one(ApiToken, hash_token(token), by="key_hash", related=("user",))
        if row is None or not row.user.is_active:
            return None
        now = timezone.now()
        if row.expires_at is not None and row.expires_at <= now:
            return None
        # To the nearest few minutes: a write on every request would double the cost of a busy client's calls.
        if row.last_used_at is None or now - row.last_used_at > LAST_USED_RESOLUTION:
            row.last_used_at = now
            update_row(row, ["last_used_at"])
        request.user = row.user
        return row.user


class SessionAuth(APIKeyCookie):
    """Logged-in browser pages may call the API too (CSRF checked by ninja for cookie auth)."""

    param_name = "sessionid"

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.is_active:
            # Only the one-time password so far: not yet known to be the owner (tokens cannot exist
            # then: a reset revokes them and none can be made until the password is changed).
            if must_change_password(request):
                raise PermissionDenied(PASSWORD_PENDING)
            if pending_step(request) is not None:
                raise PermissionDenied(_("请先完成两步验证"))
            return user
        return None


token_or_session = [TokenAuth(), SessionAuth()]
