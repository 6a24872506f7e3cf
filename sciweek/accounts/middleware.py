from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

ALLOWED_WHILE_FORCED = ("/accounts/", "/static/", "/i18n/", "/api/")


class ActiveUserMiddleware:
    """A user who must change a one-time password goes to the change page before anything else.

    (Deactivated users are already out on their next request: Django's backend refuses to load
    an inactive user from the session.)
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated and not request.path.startswith(ALLOWED_WHILE_FORCED):
            profile = getattr(user, "profile", None)
            if profile is not None and profile.must_change_password:
                return redirect("accounts:password_change")
        return self.get_response(request)
