from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from sciweek.core.users import signed_in
from sciweek.orgs.access import memberships_of

from .models import ApiToken
from .otp import confirmed_totp, may_create_tokens, recovery_codes_left, required_for
from .services import password_change_done, token_create, token_revoke


@login_required
def password_change(request: HttpRequest) -> HttpResponse:
    forced = getattr(getattr(request.user, "profile", None), "must_change_password", False)
    form = PasswordChangeForm(signed_in(request), request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        update_session_auth_hash(request, user)
        password_change_done(user=user)
        messages.success(request, gettext("密码已修改。"))
        return redirect("core:home")
    return render(request, "accounts/password_change.html", {"form": form, "forced": forced})


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    new_token = None
    if request.method == "POST":
        try:
            _, new_token = token_create(
                actor=request.user,
                user=request.user,
                name=request.POST.get("name", ""),
                second_factor_ok=may_create_tokens(request),
            )
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        except PermissionDenied as exc:
            messages.error(request, str(exc))
    return render(
        request,
        "accounts/profile.html",
        {
            "memberships": memberships_of(request.user),
            "tokens": ApiToken.objects.filter(user=signed_in(request)).order_by("-created_at"),
            "new_token": new_token,
            "token_days": settings.SCIWEEK_API_TOKEN_DAYS,
            "totp": confirmed_totp(request.user),
            "otp_required": required_for(request.user),
            "recovery_left": recovery_codes_left(request.user),
        },
    )


@login_required
@require_POST
def token_revoke_view(request: HttpRequest, token_id: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=token_id, user=request.user)
    token_revoke(actor=request.user, token=token)
    messages.success(request, gettext("令牌已作废。"))
    return redirect("accounts:profile")
