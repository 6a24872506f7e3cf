"""The login page: django's LoginView behind the throttle (accounts/throttle.py)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse

from . import throttle


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        reason = throttle.refusal(request, request.POST.get("username", ""))
        if reason:
            context = self.get_context_data(
                form=self.get_form_class()(request),
                throttled=reason,
                throttled_username=request.POST.get("username", "")[:150],
            )
            return self.render_to_response(context, status=429)
        return super().post(request, *args, **kwargs)
