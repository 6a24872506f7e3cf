"""The demo clock's phase switch: a logged-in user jumps to a named phase (demo mode only)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sciweek.core import clock

from . import phases


@login_required
@require_POST
def jump(request: HttpRequest) -> HttpResponse:
    if not settings.DEMO_MODE:
        raise Http404
    key = request.POST.get("phase", "")
    if phases.phase(key) is None:
        messages.error(request, _("没有这个演示阶段。"))
    else:
        chosen = phases.jump(key, actor=request.user)
        messages.success(
            request,
            _("演示时间已切换到“%(name)s”：%(at)s")
            % {"name": chosen.name, "at": f"{clock.now().astimezone(chosen.at.tzinfo):%Y-%m-%d %H:%M}"},
        )
    nxt = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()}):
        nxt = "/"
    return redirect(nxt)
