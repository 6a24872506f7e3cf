from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth import HASH_SESSION_KEY
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.http import urlencode

ALLOWED_WHILE_FORCED = ("/accounts/", "/static/", "/i18n/", "/api/")
# The password hash (as stored in the session) for which this session's user was found not to need
# a password change.
PASSWORD_CHECKED_KEY = "_sciweek_password_ok"


def must_change_password(request: HttpRequest) -> bool:
    """Whether the logged-in user still has to replace a one-time password.

    Asked once per session and password: the flag is only ever set together with a new password
    (accounts.services), and a new password ends every session made with the old one. So once a
    session's password was found fine, the profile need not be read again on each request."""
    user = request.user
    if not user.is_authenticated:
        return False
    stamp = request.session.get(HASH_SESSION_KEY)
    if stamp and request.session.get(PASSWORD_CHECKED_KEY) == stamp:
        return False
    profile = getattr(user, "profile", None)
    forced = profile is not None and profile.must_change_password
    if not forced and stamp:
        request.session[PASSWORD_CHECKED_KEY] = stamp
    return forced


def password_gate(request: HttpRequest) -> HttpResponse | None:
    """The redirect to the password change page, if the user must go there first."""
    if request.path.startswith(ALLOWED_WHILE_FORCED) or not must_change_password(request):
        return None
    return redirect("accounts:password_change")


ALLOWED_BEFORE_SECOND_FACTOR = ("/accounts/2fa/", "/accounts/logout/", "/static/", "/i18n/", "/jsi18n/")


def second_factor_gate(request: HttpRequest) -> HttpResponse | None:
    """The code page (or the enrolment page, where the second factor is required) before anything else."""
    if request.path.startswith(ALLOWED_BEFORE_SECOND_FACTOR) or request.path.startswith("/api/"):
        return None  # the API answers 403 itself (api/auth.py)
    from .otp import pending_step

    step = pending_step(request)
    if step is None:
        return None
    target = "accounts:otp_verify" if step == "verify" else "accounts:otp_setup"
    response = redirect(target)
    if request.method == "GET":
        response["Location"] += "?" + urlencode({"next": request.get_full_path()})
    return response


def checks_own_user(view: Callable[..., Any]) -> Callable[..., Any]:
    """Mark a view that checks the user itself (with `password_gate` where it uses the session):
    `ActiveUserMiddleware` then does not load the user for it. The door's scan endpoint is one: it
    may be called with a door pass (events.door) instead of the session."""
    view.checks_own_user = True  # type: ignore[attr-defined]
    return view


class ActiveUserMiddleware:
    """A user who must change a one-time password goes to the change page before anything else.

    (Deactivated users are already out on their next request: Django's backend refuses to load
    an inactive user from the session.)
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func: Callable[..., Any], view_args: Any, view_kwargs: Any
    ) -> HttpResponse | None:
        if getattr(view_func, "checks_own_user", False):
            return None
        return password_gate(request) or second_factor_gate(request)
