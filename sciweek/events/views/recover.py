"""找回我的报名 (events/recovery.py): number → code by text → this browser remembers that number's tickets."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from sciweek.core.masking import mask_phone
from sciweek.core.middleware import client_ip

from ..recovery import CODE_TTL, recovery_check, recovery_send
from .tickets import _remember_many, _too_many

COOKIE = "sw_recover"


@never_cache
def recover(request: HttpRequest) -> HttpResponse:
    context: dict[str, object] = {"phone": request.POST.get("phone", ""), "errors": {}}
    pending = request.COOKIES.get(COOKIE, "")
    if request.method == "POST" and request.POST.get("step") == "send":
        try:
            sent = recovery_send(phone=request.POST.get("phone", ""), ip=client_ip(request) or "")
        except ValidationError as exc:
            context["errors"] = {k: v[0] for k, v in exc.message_dict.items()}
        else:
            if sent.limited:
                return _too_many(request, sent.limited)
            response = render(
                request,
                "events/recover.html",
                {"step": "code", "masked": mask_phone(sent.phone), "errors": {}},
            )
            response.set_cookie(COOKIE, sent.cookie, max_age=CODE_TTL, httponly=True, samesite="Lax")
            return response
    elif request.method == "POST" and request.POST.get("step") == "code":
        try:
            found = recovery_check(cookie=pending, code=request.POST.get("code", ""))
        except ValidationError as exc:
            errors = {k: v[0] for k, v in exc.message_dict.items()}
            return render(request, "events/recover.html", {"step": "code", "errors": errors})
        response = redirect("events:mine")
        response.delete_cookie(COOKIE)
        if found:
            messages.success(request, _("已找回%(n)s条报名，本浏览器会记住它们。") % {"n": len(found)})
        else:
            messages.info(request, _("该手机号没有报名记录。"))
        return _remember_many(request, response, found)
    return render(request, "events/recover.html", {"step": "phone", **context})
