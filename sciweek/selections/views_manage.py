"""The bureau's pages after review: the committee's list, 公示, objections, 公布; portraits."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from sciweek.core import clock

from .access import access_nomination, access_selection
from .models import Nomination, Objection, Selection
from .ranking import ranking
from .services.publicity import objection_answer, publicity_start, selection_decide, selection_publish


@login_required
def decide(request: HttpRequest, selection_id: int) -> HttpResponse:
    selection = access_selection(request.user, selection_id, run=True)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "decide":
                ids = [int(i) for i in request.POST.getlist("winner") if i.isdigit()]
                raw_version = request.POST.get("version", "")
                selection_decide(
                    actor=request.user, selection=selection, winner_ids=ids, note=request.POST.get("note", ""),
                    version=int(raw_version) if raw_version.isdigit() else None,
                )  # fmt: skip
                messages.success(request, _("评审委员会决定已记录。"))
            elif action == "publicize":
                start = dt.date.fromisoformat(request.POST.get("start") or clock.localdate().isoformat())
                s = publicity_start(
                    actor=request.user,
                    selection=selection,
                    start=start,
                    days=int(request.POST.get("days") or 5),
                )
                until = s.publicize_until or start
                messages.success(request, _("公示至%(m)s月%(d)s日。") % {"m": until.month, "d": until.day})
            elif action == "publish":
                selection_publish(actor=request.user, selection=selection)
                messages.success(request, _("已公布。"))
        except ValueError:
            messages.error(request, _("日期或天数格式不正确。"))
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        return redirect("selections:decide", selection.pk)
    objections = selection.objections.select_related("nomination")
    rows, weight = ranking(selection)
    decided = any(r.nomination.status == Nomination.Status.WINNER for r in rows)
    return render(
        request,
        "selections/decide.html",
        {"selection": selection, "rows": rows, "objections": objections, "outcomes": Objection.Outcome.choices,
         "today": clock.localdate(), "weight": weight, "decided": decided,
         "has_expert": any(r.expert is not None for r in rows), "certificates": selection.stage == Selection.Stage.PUBLISHED},
    )  # fmt: skip


@login_required
def answer(request: HttpRequest, objection_id: int) -> HttpResponse:
    objection = Objection.objects.select_related("selection").filter(pk=objection_id).first()
    if objection is None:
        raise Http404(_("异议不存在"))
    access_selection(request.user, objection.selection_id, run=True)
    if request.method == "POST":
        try:
            objection_answer(actor=request.user, objection=objection, outcome=request.POST.get("outcome", ""),
                             answer=request.POST.get("answer", ""))  # fmt: skip
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, _("已答复并办结。"))
    return redirect("selections:decide", objection.selection_id)


def portrait(request: HttpRequest, nomination_id: int) -> FileResponse:
    """Public for the winners once published; otherwise only for those who may see the nomination."""
    n = Nomination.objects.select_related("selection").filter(pk=nomination_id).first()
    if n is None or not n.portrait:
        raise Http404(_("照片不存在"))
    public = n.status == Nomination.Status.WINNER and n.selection.stage == Selection.Stage.PUBLISHED
    if not public:
        if not request.user.is_authenticated:
            raise Http404(_("照片不存在"))
        access_nomination(request.user, n.pk)
    return FileResponse(n.portrait.open("rb"))
