"""The bureau's side: the review queue, one report with its history, compare two revisions, act on it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from sciweek.campaigns.access import access_campaign
from sciweek.campaigns.models import Requirement
from sciweek.orgs.models import OrgUnit

from .. import services
from ..models import Report, ReportRevision
from ..services.workflow import unit_link
from ..validation import Cell, check_report, display
from .entry import _version, attachment_groups

UNIT_HINT = "；如确认无误，请填写上报说明"
ACTIONS = {
    "submit": "提交",
    "head_approve": "单位负责人审核通过",
    "head_return": "单位负责人退回",
    "return": "退回",
    "approve": "审核通过",
    "reopen": "重新打开",
}


@login_required
def queue(request: HttpRequest, campaign_id: int) -> HttpResponse:
    campaign = access_campaign(request.user, campaign_id, bureau=True)
    status = request.GET.get("status", "")
    if status not in {key for key, _ in services.FILTERS}:
        status = ""
    everything = services.review_queue(campaign)
    rows = services.review_queue(campaign, status=status) if status else everything
    counts: dict[str, int] = {}
    for row in everything:
        counts[row.state] = counts.get(row.state, 0) + 1
    counts["late"] = sum(1 for r in everything if r.late)
    counts["notes"] = sum(1 for r in everything if r.notes)
    requirement = campaign.requirements.filter(kind=Requirement.Kind.FINAL_REPORT).order_by("due_at").first()
    return render(
        request,
        "reports/review_queue.html",
        {
            "campaign": campaign,
            "rows": rows,
            "status": status,
            "filters": services.FILTERS,
            "counts": counts,
            "total": len(everything),
            "requirement": requirement,
            "can_grant": services.can_reopen(request.user, campaign),
        },
    )


def _history(report: Report) -> list[dict[str, Any]]:
    rows = services.form_rows(report.form)
    out = []
    for change in report.value_changes.select_related("by").order_by("-version", "-id")[:200]:
        row = rows.get(change.row_code)
        before, after = Cell.from_json(change.before), Cell.from_json(change.after)
        note_changed = before.note != after.note
        out.append(
            {
                "change": change,
                "label": row.label if row else change.row_code,
                "before": display(before, row) if row else change.before,
                "after": display(after, row) if row else change.after,
                "note": after.note if note_changed else "",
            }
        )
    return out


@login_required
def report_page(request: HttpRequest, report_id: int) -> HttpResponse:
    report = services.access_report(request.user, report_id)
    if not services.is_bureau(request.user, report.campaign):
        return redirect(unit_link(report))
    rows = services.form_rows(report.form)
    cells = services.report_cells(report)
    issues = check_report(rows.values(), services.form_rules(report.form), cells, submitting=False)
    # The reviewer reads the check itself; the hint addressed to the unit is left out.
    lines = [
        {
            "row": row,
            "cell": cells.get(code, Cell()),
            "text": display(cells.get(code), row),
            "issues": [i.message.removesuffix(UNIT_HINT) for i in issues if i.code == code],
        }
        for code, row in rows.items()
    ]
    revisions = list(report.revisions.select_related("by").order_by("-number"))
    return render(
        request,
        "reports/review_report.html",
        {
            "report": report,
            "campaign": report.campaign,
            "lines": lines,
            "revisions": revisions,
            "actions": ACTIONS,
            "history": _history(report),
            "attachment_groups": attachment_groups(report, editable=False),
            "deadline": services.report_deadline(report.campaign, report.unit),
            "can_review": services.can_review(request.user, report.campaign),
            "can_reopen": services.can_reopen(request.user, report.campaign),
            "notes": sum(1 for line in lines if line["cell"].note),
        },
    )


@login_required
@require_POST
def act(request: HttpRequest, report_id: int, action: str) -> HttpResponse:
    report = services.access_report_to_review(request.user, report_id)
    version, reason = _version(request), request.POST.get("reason", "")
    try:
        if action == "return":
            services.report_return(report=report, actor=request.user, version=version, reason=reason)
            messages.success(
                request, (gettext("已退回%(name)s，单位会收到通知和退回原因。") % {"name": report.unit.name})
            )
        elif action == "approve":
            services.report_approve(report=report, actor=request.user, version=version)
            messages.success(
                request, (gettext("%(name)s的统计表已审核通过并锁定。") % {"name": report.unit.name})
            )
        elif action == "reopen":
            if not services.can_reopen(request.user, report.campaign):
                raise PermissionDenied(gettext("只有组织单位（主办）可以重新打开已通过的统计表"))
            services.report_reopen(report=report, actor=request.user, version=version, reason=reason)
            messages.success(
                request,
                (gettext("已重新打开%(name)s的统计表，单位修改后需重新提交。") % {"name": report.unit.name}),
            )
        else:
            raise Http404(gettext("未知操作"))
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    return redirect("reports:report", report.pk)


def _revision_side(report: Report, key: str) -> dict[str, Any]:
    if key == "current":
        return {
            "title": f"当前（第{report.version}版，{report.get_status_display()}）",
            "cells": services.report_cells(report),
            "attachments": [str(a) for a in report.attachments.all()],
        }
    try:
        revision = report.revisions.get(number=int(key))
    except (ReportRevision.DoesNotExist, ValueError):
        raise Http404(gettext("该版本不存在"))
    when = timezone.localtime(revision.at)
    return {
        "title": f"第{revision.number}次（{ACTIONS.get(revision.action, revision.action)}，"
        f"{when.year}年{when.month}月{when.day}日 {when:%H:%M}）",
        "cells": {code: Cell.from_json(data) for code, data in (revision.values or {}).items()},
        "attachments": [a.get("title") or a.get("name") or "" for a in revision.attachments or []],
    }


@login_required
def compare(request: HttpRequest, report_id: int) -> HttpResponse:
    report = services.access_report(request.user, report_id)
    if not services.is_bureau(request.user, report.campaign):
        raise PermissionDenied(gettext("只有组织单位可以比较版本"))
    numbers = list(report.revisions.order_by("number").values_list("number", flat=True))
    a_key = request.GET.get("a") or (
        str(numbers[-2]) if len(numbers) > 1 else str(numbers[0]) if numbers else ""
    )
    b_key = request.GET.get("b") or "current"
    if not a_key:
        messages.info(request, gettext("该统计表还没有提交过，暂无可比较的版本。"))
        return redirect("reports:report", report.pk)
    a, b = _revision_side(report, a_key), _revision_side(report, b_key)
    rows = services.form_rows(report.form)
    lines = []
    for code, row in rows.items():
        left, right = a["cells"].get(code, Cell()), b["cells"].get(code, Cell())
        lines.append(
            {
                "row": row,
                "a": display(left, row),
                "b": display(right, row),
                "a_note": left.note,
                "b_note": right.note,
                "changed": left.as_json() != right.as_json(),
            }
        )
    return render(
        request,
        "reports/review_compare.html",
        {
            "report": report,
            "campaign": report.campaign,
            "a": a,
            "b": b,
            "a_key": a_key,
            "b_key": b_key,
            "lines": lines,
            "numbers": numbers,
            "changed": sum(1 for line in lines if line["changed"]),
            "attachments_changed": sorted(a["attachments"]) != sorted(b["attachments"]),
        },
    )


@login_required
@require_POST
def grant_exception(request: HttpRequest, campaign_id: int) -> HttpResponse:
    campaign = access_campaign(request.user, campaign_id, manage=True)
    try:
        unit = OrgUnit.objects.get(pk=int(request.POST.get("unit", "")))
    except (OrgUnit.DoesNotExist, ValueError):
        raise Http404(gettext("单位不存在"))
    try:
        until = dt.datetime.strptime(request.POST.get("until", ""), "%Y-%m-%dT%H:%M")
    except ValueError:
        messages.error(request, gettext("请填写补报截止时间（日期和时间）"))
        return redirect("reports:review_queue", campaign.pk)
    try:
        services.deadline_exception_grant(
            actor=request.user,
            campaign=campaign,
            unit=unit,
            until=timezone.make_aware(until),
            reason=request.POST.get("reason", ""),
        )
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(
            request,
            (
                gettext("已允许%(name)s补报至 %(until)s。")
                % {"name": unit.name, "until": format(until, gettext("%Y年%m月%d日 %H:%M"))}
            ),
        )
    return redirect(
        reverse("reports:review_queue", args=[campaign.pk]) + f"?status={request.POST.get('back', '')}"
    )
