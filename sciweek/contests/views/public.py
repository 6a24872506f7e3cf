"""Public pages (no login): 公示 with the real-name objection form, 公布, certificate verification.

Nothing shows before its stage's date (404, as for anything not published); a vetoed entry never shows.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from sciweek.core import clock

from ..certificates import certificate_verify
from ..models import Contest
from ..publication import announcement_window, awarded_rows, objection_create, publicity_window


def _contest(contest_id: int) -> Contest:
    contest = Contest.objects.select_related("campaign", "org_unit").filter(pk=contest_id).first()
    if contest is None or not contest.campaign.is_public:
        raise Http404(_("大赛不存在"))
    return contest


def publicity(request: HttpRequest, contest_id: int) -> HttpResponse:
    contest = _contest(contest_id)
    window = publicity_window(contest)
    today = clock.localdate()
    if not window.begun(today):
        raise Http404(_("尚未公示"))
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        try:
            objection_create(
                contest=contest,
                entry_id=request.POST.get("entry", ""),
                name=request.POST.get("name", ""),
                phone=request.POST.get("phone", ""),
                text=request.POST.get("text", ""),
                actor=request.user,
            )
        except ValidationError as exc:
            errors = exc.message_dict
        else:
            messages.success(request, _("异议已收到，组织单位将核实后答复您。"))
            return redirect("contests:publicity", contest.pk)
    return render(
        request,
        "contests/publicity.html",
        {
            "contest": contest,
            "groups": awarded_rows(contest),
            "window": window,
            "open": window.open_on(today),
            "errors": errors,
            "post": request.POST,
        },
        status=400 if errors else 200,
    )


@require_GET
def announcement(request: HttpRequest, contest_id: int) -> HttpResponse:
    contest = _contest(contest_id)
    if not announcement_window(contest).begun(clock.localdate()):
        raise Http404(_("尚未公布"))
    return render(
        request, "contests/announcement.html", {"contest": contest, "groups": awarded_rows(contest)}
    )


@require_GET
def verify(request: HttpRequest, code: str) -> HttpResponse:
    """What a certificate's QR code opens: the award as the system records it."""
    found = certificate_verify(code)
    if found is None:
        return render(request, "contests/verify.html", {"found": False}, status=404)
    entry, row = found
    return render(request, "contests/verify.html", {"found": True, "entry": entry, "row": row})
