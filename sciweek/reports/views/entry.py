"""The unit's entry page: the table as printed, saved cell by cell as it is typed, then submitted.

/reports/<campaign_id>/mine/ is the unit's page (``?unit=`` when one account fills for several units).
Each input posts its row to /reports/<report_id>/cell/<code>/ (htmx) with the report's version; the
answer is the row's message (error, warning with a 上报说明 box, or "已保存") and, out of band, the new
version. Without JavaScript the "保存草稿" button posts every row at once to /save/.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sciweek.campaigns.access import access_campaign
from sciweek.campaigns.compliance import countdown
from sciweek.core import clock

from .. import services
from ..formspec import format_value
from ..models import FormRow, Report
from ..services.workflow import unit_link
from ..validation import Cell, Issue, check_report

S = Report.Status


@dataclass
class RowView:
    row: FormRow
    cell: Cell
    text: str
    issues: list[Issue] = field(default_factory=list)
    error: str = ""
    saved: bool = False

    @property
    def code(self) -> str:
        return self.row.code

    @property
    def needs_note(self) -> bool:
        return any(not i.is_error for i in self.issues)


def _version(request: HttpRequest) -> int | None:
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        return None


def _text(row: FormRow, cell: Cell) -> str:
    return format_value(cell.value, row.to_spec()) if cell.value is not None else ""


def row_views(
    report: Report, *, typed: dict[str, str] | None = None, errors: dict[str, list[str]] | None = None
) -> list[tuple[str, list[RowView]]]:
    """The rows grouped into sections as printed, with their values and current messages."""
    rows = services.form_rows(report.form)
    cells = services.report_cells(report)
    issues = check_report(rows.values(), services.form_rules(report.form), cells, submitting=False)
    blocks: list[tuple[str, list[RowView]]] = []
    for row in rows.values():
        cell = cells.get(row.code, Cell())
        view = RowView(
            row,
            cell,
            (typed or {}).get(row.code, _text(row, cell)),
            [i for i in issues if i.code == row.code],
            "；".join((errors or {}).get(row.code, [])),
        )
        if blocks and row.section and blocks[-1][0] == row.section:
            blocks[-1][1].append(view)
        else:
            blocks.append((row.section, [view]))
    return blocks


def entry_context(request: HttpRequest, report: Report, **extra: Any) -> dict[str, Any]:
    deadline = services.deadline_of(report)
    blocked = deadline.blocks(report)
    editable = report.is_editable and not blocked and services.can_fill(request.user, report.unit)
    return {
        "report": report,
        "campaign": report.campaign,
        "unit": report.unit,
        "blocks": row_views(report, typed=extra.pop("typed", None), errors=extra.get("problems")),
        "editable": editable,
        "deadline": deadline,
        "deadline_blocked": blocked,
        "countdown": countdown(deadline.requirement) if deadline.requirement else "",
        "is_head": services.is_unit_head(request.user, report.unit),
        "attachment_groups": attachment_groups(report, editable),
        "revisions": list(report.revisions.select_related("by").order_by("-number")[:20]),
        "other_units": services.filling_units(request.user, report.campaign),
        "cell_url": _cell_url(report),
        **extra,
    }


def attachment_groups(report: Report, editable: bool) -> list[dict[str, Any]]:
    by_kind: dict[str, list[Any]] = {}
    for attachment in report.attachments.all():
        by_kind.setdefault(attachment.kind, []).append(attachment)
    form = services.current_form(report.campaign, known=report.form) or report.form
    required = set(form.required_attachments or [])
    return [
        {
            "kind": kind,
            "label": services.kind_label(kind),
            "items": by_kind.get(kind, []),
            "rule": rule,
            "limit_mb": services.upload_limit_bytes(kind) // (1024 * 1024),
            "required": kind in required,
            "editable": editable,
        }
        for kind, rule in services.KIND_RULES.items()
    ]


@login_required
def mine(request: HttpRequest, campaign_id: int) -> HttpResponse:
    campaign = access_campaign(request.user, campaign_id)
    unit = services.unit_to_fill(request.user, campaign, request.GET.get("unit"))
    try:
        report = services.report_get_or_create(campaign=campaign, unit=unit, actor=request.user)
    except ValidationError as exc:
        return render(request, "reports/entry_none.html", {"campaign": campaign, "message": exc.messages[0]})
    return render(request, "reports/entry_report.html", entry_context(request, report))


def _cell_input(request: HttpRequest, code: str) -> services.CellInput:
    note_key = f"note_{code}"
    return services.CellInput(
        raw=request.POST.get(f"v_{code}"),
        not_applicable=request.POST.get(f"na_{code}") == "1",
        note=request.POST.get(note_key),  # absent: keep the stored note
    )


def _fragment(context: dict[str, Any]) -> HttpResponse:
    """The row's message (and out-of-band swaps): no forms, no site chrome, so no context processors."""
    return HttpResponse(render_to_string("reports/entry_cell.html", context))


def _cell_url(report: Report) -> str:
    """/reports/<id>/cell/ — the rows append their code (one reverse() instead of three per row)."""
    return reverse("reports:cell", args=[report.pk, "x"])[:-2]


def _row(report: Report, code: str) -> FormRow:
    row = report.form.rows.filter(code=code).first()
    if row is None:
        raise Http404(_("统计表中没有代码为「%(code)s」的指标") % {"code": code})
    return row


@login_required
@require_POST
def cell_save(request: HttpRequest, report_id: int, code: str) -> HttpResponse:
    """htmx: save one row; answer its message, the new version, and the messages of rows tied to it by a rule."""
    report = services.access_report_to_fill(request.user, report_id)
    context: dict[str, Any] = {"report": report, "editable": True, "cell_url": _cell_url(report)}
    try:
        result = services.report_save_values(
            report=report,
            actor=request.user,
            version=_version(request),
            cells={code: _cell_input(request, code)},
        )
    except services.ReportStale as exc:
        view = RowView(
            _row(report, code), Cell(), "", error="未保存：统计表已被其他人修改，请看页面上方的提示"
        )
        return _fragment({**context, "rv": view, "stale": exc.messages[0]})
    except ValidationError as exc:
        text = "；".join(exc.message_dict.get(code, []) if hasattr(exc, "error_dict") else exc.messages)
        text = text or "；".join(exc.messages)
        view = RowView(_row(report, code), Cell(), "", error=f"{text}（未保存）")
        return _fragment({**context, "rv": view})
    rows = result.rows
    related = {
        c
        for rule in result.rules
        if code in (*rule.left_codes, rule.right_code)
        for c in (*rule.left_codes, rule.right_code)
    } - {code}
    views = {
        c: RowView(
            rows[c],
            result.cells.get(c, Cell()),
            "",
            [i for i in result.issues if i.code == c],
            saved=c == code,
        )
        for c in [code, *sorted(related)]
        if c in rows
    }
    return _fragment(
        {
            **context,
            "rv": views.pop(code),
            "others": list(views.values()),
            "report": result.report,
            "saved_at": timezone.localtime(clock.now()),
            "changed": bool(result.changed),
        }
    )


@login_required
@require_POST
def save_all(request: HttpRequest, report_id: int) -> HttpResponse:
    """Without JavaScript: every row at once, all or nothing."""
    report = services.access_report_to_fill(request.user, report_id)
    rows = services.form_rows(report.form)
    cells = {
        code: _cell_input(request, code)
        for code in rows
        if f"v_{code}" in request.POST or f"na_{code}" in request.POST
    }
    try:
        services.report_save_values(report=report, actor=request.user, version=_version(request), cells=cells)
    except ValidationError as exc:
        problems = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
        typed = {code: request.POST.get(f"v_{code}", "") for code in rows}
        problems = {key: [f"{m}（未保存）" for m in ms] for key, ms in problems.items()}
        return render(
            request,
            "reports/entry_report.html",
            entry_context(request, report, typed=typed, problems=problems),
        )
    messages.success(request, _("草稿已保存。"))
    return redirect(unit_link(report))


@login_required
@require_POST
def submit(request: HttpRequest, report_id: int) -> HttpResponse:
    report = services.access_report_to_fill(request.user, report_id)
    try:
        report = services.report_submit(report=report, actor=request.user, version=_version(request))
    except ValidationError as exc:
        problems = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
        report.refresh_from_db()
        return render(
            request,
            "reports/entry_report.html",
            entry_context(request, report, problems=problems, submit_failed=True),
        )
    if report.status == S.HEAD_REVIEW:
        messages.success(request, _("统计表已提交，等待本单位负责人审核。"))
    else:
        late = _("（已过截止时间，标记为逾期）") if report.is_late else ""
        messages.success(request, (_("统计表已提交%(late)s，请等待组织单位审核。") % {"late": late}))
    return redirect(unit_link(report))


@login_required
@require_POST
def head_decide(request: HttpRequest, report_id: int) -> HttpResponse:
    report = services.access_report_to_fill(request.user, report_id)
    if not services.is_unit_head(request.user, report.unit):
        raise PermissionDenied(_("只有本单位负责人可以审核"))
    approve = request.POST.get("decision") == "approve"
    try:
        services.report_head_decide(
            report=report,
            actor=request.user,
            version=_version(request),
            approve=approve,
            reason=request.POST.get("reason", ""),
        )
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(
            request, _("已审核通过，统计表已报送组织单位。") if approve else _("已退回填报员修改。")
        )
    return redirect(unit_link(report))
