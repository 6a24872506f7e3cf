"""The completeness matrix's actions: 催报 to chosen units, the not-done list as xlsx and as a 通报."""

from __future__ import annotations

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from sciweek.core import clock
from sciweek.core.audit import audit_log
from sciweek.core.cells import safe_row
from sciweek.core.notify import notify_units

from ..access import access_campaign
from ..matrix import build_matrix, not_done_lines
from ..models import Campaign


def campaign_remind(*, actor: object, campaign: Campaign, unit_ids: list[int], note: str = "") -> int:
    """A one-off 催报 notice to each chosen unit that still has something missing (what, by when)."""
    note = (note or "").strip()
    if len(note) > 300:
        raise ValidationError(_("附言最多300字。"))
    lines = {u.pk: items for u, items in not_done_lines(build_matrix(campaign))}
    chosen = [pk for pk in unit_ids if pk in lines]
    if not chosen:
        raise ValidationError(_("请勾选至少一家尚未完成的单位。"))
    units = {u.pk: u for u, _items in not_done_lines(build_matrix(campaign))}
    with transaction.atomic():
        for pk in chosen:
            what = "；".join(
                f"{r.title}（{_('已逾期') if late else _('截止') + ' ' + f'{timezone.localtime(r.due_at):%m月%d日 %H:%M}'}）"
                for r, _s, late in lines[pk]
            )
            body = _("请尽快完成：%(what)s。") % {"what": what} + (f"\n{note}" if note else "")
            notify_units(units=[units[pk]], title=_("催报：%(title)s") % {"title": campaign.title}, body=body)
        audit_log(
            actor=actor,
            action="campaign.remind",
            obj=campaign,
            after={"units": [str(units[pk]) for pk in chosen], "note": note},
        )
    return len(chosen)


@login_required
@require_POST
def remind(request: HttpRequest, campaign_id: int) -> HttpResponse:
    campaign = access_campaign(request.user, campaign_id, manage=True)  # the organizer sends 催报
    ids = [int(v) for v in request.POST.getlist("unit") if v.isdigit()]
    try:
        n = campaign_remind(
            actor=request.user, campaign=campaign, unit_ids=ids, note=request.POST.get("note", "")
        )
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, _("已向%(n)s家单位发送催报通知。") % {"n": n})
    return redirect(f"/manage/campaigns/{campaign.pk}/?show={request.POST.get('show', 'todo')}#matrix")


@login_required
@require_GET
def not_done_xlsx(request: HttpRequest, campaign_id: int) -> HttpResponse:
    from openpyxl import Workbook

    campaign = access_campaign(request.user, campaign_id, bureau=True)
    wb = Workbook()
    ws = wb.active
    ws.title = "未完成单位"
    ws.append(
        safe_row([campaign.title, _("未完成情况"), f"{timezone.localtime(clock.now()):%Y-%m-%d %H:%M}"])
    )
    ws.append(safe_row([_("单位"), _("事项"), _("截止时间"), _("状态"), _("是否逾期")]))
    for unit, items in not_done_lines(build_matrix(campaign)):
        for r, s, late in items:
            ws.append(
                safe_row(
                    [
                        unit.display_name,
                        r.title,
                        f"{timezone.localtime(r.due_at):%Y-%m-%d %H:%M}",
                        s.detail,
                        _("已逾期") if late else _("未到期"),
                    ]
                )
            )
    for col, width in zip("ABCDE", (30, 40, 18, 24, 10), strict=True):
        ws.column_dimensions[col].width = width
    out = io.BytesIO()
    wb.save(out)
    response = HttpResponse(
        out.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    stamp = timezone.localtime().strftime("%Y%m%d%H%M")  # the file's own name: real time
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''not-done-{campaign.pk}-{stamp}.xlsx"
    return response


@login_required
@require_GET
def not_done_print(request: HttpRequest, campaign_id: int) -> HttpResponse:
    campaign = access_campaign(request.user, campaign_id, bureau=True)
    lines = not_done_lines(build_matrix(campaign))
    return render(
        request,
        "campaigns/not_done_print.html",
        {"campaign": campaign, "lines": lines, "today": clock.localdate(), "now": clock.now()},
    )
