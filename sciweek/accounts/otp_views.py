"""Second-factor pages: enrolment with a QR code and recovery codes, the code page after the password."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import otp


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return "/home/"


@login_required
def setup(request: HttpRequest) -> HttpResponse:
    """GET: a new secret as QR code; POST: its first code confirms it and shows the recovery codes."""
    if otp.confirmed_totp(request.user) is not None and not otp.session_verified(request):
        return redirect("accounts:otp_verify")  # replacing a device takes the current one first
    error = ""
    device = None
    if request.method == "POST":
        device = TOTPDevice.objects.filter(
            user=request.user, confirmed=False, pk=request.POST.get("device") or 0
        ).first()
        if device is None:
            error = "绑定已过期，请重新扫描二维码。"
        else:
            codes = otp.confirm_setup(request=request, device=device, token=request.POST.get("token", ""))
            if codes is not None:
                return render(request, "accounts/otp_codes.html", {"codes": codes, "next": _next(request)})
            error = "验证码不正确，请核对手机上的时间后重新输入当前显示的6位数字。"
    if device is None:
        device = otp.begin_setup(request.user)
    return render(
        request,
        "accounts/otp_setup.html",
        {
            "device": device,
            "qr": otp.qr_svg(device),
            "secret": otp.secret_b32(device),
            "error": error,
            "required": otp.required_for(request.user),
            "next": _next(request),
        },
    )


@login_required
def verify(request: HttpRequest) -> HttpResponse:
    if otp.session_verified(request):
        return redirect(_next(request))
    if otp.confirmed_totp(request.user) is None:
        return redirect("accounts:otp_setup")
    error = ""
    if request.method == "POST":
        if otp.verify_login(request=request, token=request.POST.get("token", "")):
            return redirect(_next(request))
        error = "验证码不正确（或尝试过于频繁，请稍候再试）。"
    return render(request, "accounts/otp_verify.html", {"error": error, "next": _next(request)})
