"""Statistics reports: read and write a unit's values (with the report's version), submit, attachments,
and the bureau's review actions (return with a reason, approve, reopen).

Scope as on the pages: a unit's reporter or head reads and writes only that unit's report; the bureau
(organizer / reviewer over the campaign's region) reviews; reports outside the caller's view answer
404. Every write carries ``version``; a stale one answers 409 with the rows that changed meanwhile.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from sciweek.campaigns.access import access_campaign
from sciweek.core.files import KIND_INFO, format_duration
from sciweek.reports import services
from sciweek.reports.formspec import format_value
from sciweek.reports.models import Report, ReportAttachment
from sciweek.reports.validation import check_report

from .common import ERRORS, WRITE_ERRORS, InSchema, local

router = Router(tags=["reports"])


class CellOut(Schema):
    code: str
    section: str
    label: str
    unit: str
    value: str | None = Field(..., description="数值（字符串，避免浮点误差）；空表示未填或不适用")
    not_applicable: bool
    note: str = Field(..., description="上报说明")


class IssueOut(Schema):
    code: str
    severity: str = Field(..., description="error（不能提交）/ warning（须填写上报说明）")
    message: str


class AttachmentOut(Schema):
    id: int
    kind: str
    kind_label: str
    title: str
    original_name: str
    link: str
    content_kind: str
    size: int
    duration_seconds: float | None
    duration: str
    download_url: str | None


class ReportOut(Schema):
    id: int
    campaign_id: int
    unit_id: int
    unit_name: str
    form_version: int
    status: str
    status_label: str
    version: int
    editable: bool
    is_late: bool
    submitted_at: dt.datetime | None
    approved_at: dt.datetime | None
    return_reason: str
    values: list[CellOut]
    issues: list[IssueOut]
    attachments: list[AttachmentOut]


class StaleOut(Schema):
    detail: dict[str, list[str]]
    changed: list[str] = Field(..., description="自调用者读取以来数值有变化的指标")
    current_version: int


STALE = {**WRITE_ERRORS, 409: StaleOut}


class QueueOut(Schema):
    unit_id: int
    unit_name: str
    report_id: int | None
    state: str
    state_label: str
    late: bool
    notes: int


class CellIn(InSchema):
    value: str | int | float | None = Field(
        None, description="数字或文字（如“12”“3.5万”“不适用”）；null 清空"
    )
    not_applicable: bool = False
    note: str | None = Field(None, max_length=500, description="上报说明；不传则保持不变")


class ValuesIn(InSchema):
    version: int = Field(..., ge=1, le=2_147_483_647)
    values: dict[str, CellIn] = Field(..., max_length=200)


class VersionIn(InSchema):
    version: int = Field(..., ge=1, le=2_147_483_647)


class SubmitIn(VersionIn):
    values: dict[str, CellIn] | None = Field(
        None, max_length=200, description="可选：与提交一并保存的数值（同一事务，要么都成功要么都不生效）"
    )


class ReasonIn(VersionIn):
    reason: str = Field(..., max_length=1000)


class HeadIn(VersionIn):
    approve: bool
    reason: str = Field("", max_length=1000)


class LinkIn(InSchema):
    url: str = Field(..., max_length=500)
    title: str = Field("", max_length=200)


def attachment_out(a: ReportAttachment) -> dict[str, Any]:
    return {
        "id": a.pk,
        "kind": a.kind,
        "kind_label": services.kind_label(a.kind),
        "title": a.title,
        "original_name": a.original_name,
        "link": a.link,
        "content_kind": a.content_kind,
        "size": a.size,
        "duration_seconds": a.duration_seconds,
        "duration": format_duration(a.duration_seconds) if a.duration_seconds is not None else "",
        "download_url": f"/api/v1/reports/attachments/{a.pk}/file" if a.file else None,
    }


def report_out(report: Report, user: Any, saved: services.SaveResult | None = None) -> dict[str, Any]:
    """The report as the API shows it (``saved``: what a save just read, so it is not read again)."""
    rows = saved.rows if saved else services.form_rows(report.form)
    cells = saved.cells if saved else services.report_cells(report)
    values = []
    for code, row in rows.items():
        cell = cells.get(code)
        values.append(
            {
                "code": code,
                "section": row.section,
                "label": row.label,
                "unit": row.unit,
                "value": format_value(cell.value, row.to_spec()) if cell and cell.value is not None else None,
                "not_applicable": bool(cell and cell.not_applicable),
                "note": cell.note if cell else "",
            }
        )
    issues = (
        saved.issues
        if saved
        else check_report(rows.values(), services.form_rules(report.form), cells, submitting=False)
    )
    deadline = services.deadline_of(report)
    return {
        "id": report.pk,
        "campaign_id": report.campaign_id,
        "unit_id": report.unit_id,
        "unit_name": report.unit.name,
        "form_version": report.form.version,
        "status": report.status,
        "status_label": report.get_status_display(),
        "version": report.version,
        "is_late": report.is_late,
        "return_reason": report.return_reason,
        "editable": report.is_editable
        and not deadline.blocks(report)
        and services.can_fill(user, report.unit),
        "submitted_at": local(report.submitted_at),
        "approved_at": local(report.approved_at),
        "values": values,
        "issues": [{"code": i.code, "severity": i.severity, "message": i.message} for i in issues],
        "attachments": [attachment_out(a) for a in report.attachments.all()],
    }


def _stale(exc: services.ReportStale) -> Status:
    return Status(
        409,
        {"detail": {"version": exc.messages}, "changed": exc.changed, "current_version": exc.current_version},
    )


def _fresh(report: Report) -> Report:
    return Report.objects.select_related("campaign__org_unit", "unit", "form").get(pk=report.pk)


@router.get("/campaigns/{int:campaign_id}/mine", response={200: ReportOut, **ERRORS})
def my_report(request, campaign_id: int, unit_id: int | None = None):
    """The caller's unit's report in this campaign (created empty on first use)."""
    campaign = access_campaign(request.auth, campaign_id)
    unit = services.unit_to_fill(request.auth, campaign, unit_id)
    report = services.report_get_or_create(campaign=campaign, unit=unit, actor=request.auth)
    return report_out(_fresh(report), request.auth)


@router.get("/campaigns/{int:campaign_id}/queue", response={200: list[QueueOut], **ERRORS})
def review_queue(request, campaign_id: int, status: str = ""):
    """The bureau's review queue: submitted first, then returned, draft and missing."""
    campaign = access_campaign(request.auth, campaign_id, bureau=True)
    return [
        {
            "unit_id": r.unit.pk,
            "unit_name": r.unit.name,
            "report_id": r.report.pk if r.report else None,
            "state": r.state,
            "state_label": r.label,
            "late": r.late,
            "notes": r.notes,
        }
        for r in services.review_queue(campaign, status=status)
    ]


@router.get("/{int:report_id}", response={200: ReportOut, **ERRORS})
def get_report(request, report_id: int):
    return report_out(services.access_report(request.auth, report_id), request.auth)


@router.put("/{int:report_id}/values", response={200: ReportOut, **STALE})
def put_values(request, report_id: int, payload: ValuesIn):
    """Save some or all cells, all or nothing. Errors come back per row code (400)."""
    report = services.access_report_to_fill(request.auth, report_id)
    try:
        saved = services.report_save_values(
            report=report, actor=request.auth, version=payload.version, cells=_cells(payload.values)
        )
    except services.ReportStale as exc:
        return _stale(exc)
    return report_out(saved.report, request.auth, saved)


def _cells(values: dict[str, CellIn]) -> dict[str, services.CellInput]:
    return {
        code: services.CellInput(
            raw=None if c.value is None else str(c.value), not_applicable=c.not_applicable, note=c.note
        )
        for code, c in values.items()
    }


def _act(request, report: Report, fn, **kwargs: Any):
    try:
        done = fn(report=report, actor=request.auth, **kwargs)
    except services.ReportStale as exc:
        return _stale(exc)
    # The services hand back the report they locked and saved (campaign, unit and form already read).
    return report_out(done if isinstance(done, Report) else _fresh(report), request.auth)


@router.post("/{int:report_id}/submit", response={200: ReportOut, **STALE})
def submit(request, report_id: int, payload: SubmitIn):
    """Blank required rows, warnings without a 上报说明 and missing required attachments answer 400.
    With ``values`` the cells are saved and the report submitted in one transaction (a 400 saves none)."""
    report = services.access_report_to_fill(request.auth, report_id)
    cells = _cells(payload.values) if payload.values else None
    return _act(request, report, services.report_submit, version=payload.version, cells=cells)


@router.post("/{int:report_id}/head", response={200: ReportOut, **STALE})
def head_decide(request, report_id: int, payload: HeadIn):
    report = services.access_report_to_fill(request.auth, report_id)
    return _act(
        request,
        report,
        services.report_head_decide,
        version=payload.version,
        approve=payload.approve,
        reason=payload.reason,
    )


@router.post("/{int:report_id}/return", response={200: ReportOut, **STALE})
def return_report(request, report_id: int, payload: ReasonIn):
    report = services.access_report_to_review(request.auth, report_id)
    return _act(request, report, services.report_return, version=payload.version, reason=payload.reason)


@router.post("/{int:report_id}/approve", response={200: ReportOut, **STALE})
def approve(request, report_id: int, payload: VersionIn):
    report = services.access_report_to_review(request.auth, report_id)
    return _act(request, report, services.report_approve, version=payload.version)


@router.post("/{int:report_id}/reopen", response={200: ReportOut, **STALE})
def reopen(request, report_id: int, payload: ReasonIn):
    report = services.access_report(request.auth, report_id)
    if not services.can_reopen(request.auth, report.campaign):
        raise PermissionDenied(_("只有组织单位（主办）可以重新打开已通过的统计表"))
    return _act(request, report, services.report_reopen, version=payload.version, reason=payload.reason)


@router.get("/{int:report_id}/attachments", response={200: list[AttachmentOut], **ERRORS})
def list_attachments(request, report_id: int):
    report = services.access_report(request.auth, report_id)
    return [attachment_out(a) for a in report.attachments.all()]


_UPLOAD_BODY = {
    "requestBody": {
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file"],
                    "properties": {
                        "file": {"type": "string", "format": "binary"},
                        "title": {"type": "string"},
                    },
                }
            }
        }
    }
}


@router.post(
    "/{int:report_id}/attachments", response={201: AttachmentOut, **ERRORS}, openapi_extra=_UPLOAD_BODY
)
def upload_attachment(request, report_id: int, kind: str):
    """multipart/form-data with ``file``; ``?kind=`` summary / photo / media / video / stamped. Type by
    content, size limit per kind (refused while streaming when authenticated by token), video length ≤ the
    campaign's limit."""
    if kind not in services.KIND_RULES:
        raise Http404(_("未知的附件类别"))
    if not hasattr(request, "_files"):  # body not parsed yet (token auth): limit the stream itself
        services.install_upload_limit(request, kind)
    report = services.access_report_to_fill(request.auth, report_id)
    upload = request.FILES.get("file")  # parses the body: the limit handler runs here
    rejected = getattr(request, "sciweek_upload_rejected", None)
    if rejected is not None:
        return Status(400, {"detail": {kind: [rejected.message]}})
    attachment = services.attachment_add_file(
        report=report, actor=request.auth, kind=kind, upload=upload, title=request.POST.get("title", "")
    )
    return Status(201, attachment_out(attachment))


@router.post("/{int:report_id}/links", response={201: AttachmentOut, **ERRORS})
def add_link(request, report_id: int, payload: LinkIn):
    report = services.access_report_to_fill(request.auth, report_id)
    attachment = services.attachment_add_link(
        report=report, actor=request.auth, url=payload.url, title=payload.title
    )
    return Status(201, attachment_out(attachment))


@router.delete("/{int:report_id}/attachments/{int:attachment_id}", response={204: None, **ERRORS})
def delete_attachment(request, report_id: int, attachment_id: int):
    attachment = services.access_attachment(request.auth, attachment_id)
    if attachment.report_id != report_id:
        raise Http404(_("附件不存在"))
    services.access_report_to_fill(request.auth, report_id)
    services.attachment_delete(attachment=attachment, actor=request.auth)
    return Status(204, None)


@router.get("/attachments/{int:attachment_id}/file", response={200: None, **ERRORS})
def attachment_file(request, attachment_id: int):
    attachment = services.access_attachment(request.auth, attachment_id)
    name = attachment.file.name
    if not name or not default_storage.exists(name):
        raise Http404(_("文件不存在"))
    info = KIND_INFO.get(attachment.content_kind, KIND_INFO["unknown"])
    return FileResponse(
        default_storage.open(name, "rb"),
        content_type=info.mime,
        as_attachment=True,
        filename=attachment.original_name or f"附件{attachment.pk}",
    )
