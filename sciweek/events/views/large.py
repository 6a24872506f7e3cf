"""Large events (events/large.py): the unit files its safety plan and permit; the bureau lists them."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from sciweek.campaigns.access import access_campaign

from ..access import access_event
from ..large import event_safety_save, large_events, missing_for_approval, threshold
from ..places import places_many


@login_required
@require_POST
def safety_save(request: HttpRequest, event_id: int) -> HttpResponse:
    event = access_event(request.user, event_id, edit=True)
    try:
        event_safety_save(
            actor=request.user,
            event=event,
            permit_number=request.POST.get("permit_number", ""),
            upload=request.FILES.get("safety_plan"),
        )
    except ValidationError as exc:
        messages.error(request, "；".join(m for ms in exc.message_dict.values() for m in ms))
    else:
        messages.success(request, _("安全材料已保存。"))
    return redirect("events:staff_detail", event.pk)


@login_required
@require_GET
def safety_plan(request: HttpRequest, event_id: int) -> FileResponse:
    event = access_event(request.user, event_id)
    if not event.safety_plan:
        raise Http404(_("尚未上传安全工作方案"))
    name = event.safety_plan_name or event.safety_plan.name.rsplit("/", 1)[-1]
    return FileResponse(event.safety_plan.open("rb"), as_attachment=True, filename=name)


@login_required
@require_GET
def large_list(request: HttpRequest, campaign_id: int) -> HttpResponse:
    campaign = access_campaign(request.user, campaign_id, bureau=True)
    events = list(large_events(campaign.pk))
    taken = places_many(events)
    rows = [(e, taken[e.pk], missing_for_approval(e)) for e in events]
    return render(
        request, "events/large_list.html", {"campaign": campaign, "rows": rows, "threshold": threshold()}
    )
