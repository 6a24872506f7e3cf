"""Submit → (unit head) → bureau review: return with a reason, approve (locks), reopen (organizer).

Every step is one transaction that locks the report, checks the version the actor had loaded,
records a ``ReportRevision`` (the values and attachments as they stood) and writes the audit log.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import prefetch_related_objects
from django.urls import reverse
from django.utils.translation import gettext as _

from sciweek.core import clock
from sciweek.core.audit import audit_event, audit_log, audit_log_many
from sciweek.core.files import format_duration
from sciweek.core.notify import notify_units
from sciweek.core.statements import insert_numbered, update_row

from ..models import Report, ReportAttachment, ReportRevision
from ..validation import blocking, check_report, check_text
from .access import is_unit_head
from .deadline import deadline_of
from .entry import (
    CellInput,
    apply_cells,
    check_editable,
    current_form,
    form_rows,
    form_rules,
    lock_report,
    report_cells,
)

REASON_MAX_LENGTH = 1000
S = Report.Status
#: What a submission changes on the report row.
SUBMIT_FIELDS = [
    "first_submitted_at",
    "is_late",
    "status",
    "submitted_at",
    "submitted_by",
    "return_reason",
    "version",
    "updated_at",
]


def unit_link(report: Report) -> str:
    return reverse("reports:mine", args=[report.campaign_id]) + f"?unit={report.unit_id}"


def _revision(report: Report, *, action: str, actor: Any, reason: str = "") -> ReportRevision:
    stored = {code: cell.as_json() for code, cell in report_cells(report).items()}
    attachments = [
        {
            "id": a.pk,
            "kind": a.kind,
            "name": a.original_name or a.link,
            "title": a.title,
            "duration": format_duration(a.duration_seconds) if a.duration_seconds is not None else "",
        }
        for a in report.attachments.all()
    ]
    revision = ReportRevision(
        report=report,
        action=action,
        status=report.status,
        values=stored,
        reason=reason,
        by=actor if getattr(actor, "is_authenticated", False) else None,
        report_version=report.version,
        attachments=attachments,
    )
    return insert_numbered(revision, number="number", within="report")  # the report row is locked


def _reason(reason: str, what: str) -> str:
    reason = check_text(reason, field="reason", label=what, max_length=REASON_MAX_LENGTH)
    if not reason:
        raise ValidationError({"reason": (_("请填写%(what)s") % {"what": what})})
    return reason


def _need(report: Report, *statuses: str, doing: str) -> None:
    if report.status not in statuses:
        raise ValidationError(
            (
                _("统计表当前状态为「%(status)s」，不能%(doing)s")
                % {"status": report.get_status_display(), "doing": doing}
            ),
            code="status",
        )


def submit_problems(report: Report) -> dict[str, list[str]]:
    """What stops a submission, keyed by row code (and "attachments"), in form order."""
    rows = form_rows(report.form)
    cells = report_cells(report)
    problems: dict[str, list[str]] = {}
    for issue in blocking(
        check_report(rows.values(), form_rules(report.form), cells, submitting=True), cells, rows
    ):
        problems.setdefault(issue.code, []).append(issue.message)
    form = current_form(report.campaign, known=report.form) or report.form
    have = {a.kind for a in report.attachments.all()}
    labels = dict(ReportAttachment.Kind.choices)
    missing = [labels.get(k, k) for k in form.required_attachments or [] if k not in have]
    if missing:
        problems["attachments"] = [f"请上传{'、'.join(f'「{m}」' for m in missing)}后再提交"]
    return problems


@transaction.atomic
def report_submit(
    *, report: Report, actor: Any, version: int | None, cells: Mapping[str, CellInput] | None = None
) -> Report:
    """Submit the report; with ``cells``, save them first in the same transaction (a unit's final
    figures and its submission are one step: both happen, or neither)."""
    report = lock_report(report, version)
    check_editable(report)
    applied = apply_cells(report, actor=actor, cells=cells) if cells else None
    audits = [applied.audit] if applied and applied.audit else []
    # Read once for the checks, the revision and the reply (nothing here changes them); cells just
    # written are known without reading them (report_cells).
    prefetch_related_objects([report], "attachments")
    if not audits:
        prefetch_related_objects([report], "values")
    problems = submit_problems(report)
    if problems:
        raise ValidationError(problems)
    now = clock.now()
    deadline = deadline_of(report)
    report.first_submitted_at = report.first_submitted_at or now
    report.is_late = bool(deadline.due_at and report.first_submitted_at > deadline.due_at)
    form = current_form(report.campaign, known=report.form) or report.form
    needs_head = form.requires_head_approval and not is_unit_head(actor, report.unit)
    report.status = S.HEAD_REVIEW if needs_head else S.SUBMITTED
    report.submitted_at, report.submitted_by = now, actor
    report.return_reason = ""  # answered; the reason stays in the revision history
    report.version += 1
    update_row(report, [*SUBMIT_FIELDS, "totals"] if cells else SUBMIT_FIELDS)
    _revision(report, action="submit", actor=actor)
    audits.append(
        audit_event(
            actor=actor,
            action="report.submit",
            obj=report,
            after={"status": report.status, "is_late": report.is_late, "version": report.version},
        )
    )
    audit_log_many(audits)
    if needs_head:
        notify_units(
            units=[report.unit],
            title=(_("%(title)s统计表待单位负责人审核") % {"title": report.campaign.title}),
            body=_("填报员已提交统计表，请单位负责人审核后报送。"),
            link=unit_link(report),
            email=False,
        )
    else:
        _tell_bureau(report, "已提交统计表" + ("（逾期）" if report.is_late else ""))
    return report


def _tell_bureau(report: Report, what: str) -> None:
    notify_units(
        units=[report.campaign.org_unit],
        title=f"{report.unit.name}{what}",
        body=report.campaign.title,
        link=reverse("reports:report", args=[report.pk]),
        email=False,
    )


@transaction.atomic
def report_head_decide(
    *, report: Report, actor: Any, version: int | None, approve: bool, reason: str = ""
) -> Report:
    """The unit head passes the report on to the bureau, or returns it to the unit's reporter."""
    report = lock_report(report, version)
    if not is_unit_head(actor, report.unit):
        raise PermissionDenied(_("只有本单位负责人可以审核"))
    _need(report, S.HEAD_REVIEW, doing="审核")
    if approve:
        report.status = S.SUBMITTED
        report.submitted_at = clock.now()
    else:
        report.return_reason = _reason(reason, "退回原因")
        report.status, report.returned_at, report.returned_by = S.RETURNED, clock.now(), actor
    report.version += 1
    report.save()
    action = "head_approve" if approve else "head_return"
    _revision(report, action=action, actor=actor, reason="" if approve else report.return_reason)
    audit_log(
        actor=actor,
        action=f"report.{action}",
        obj=report,
        after={"status": report.status},
        note="" if approve else report.return_reason,
    )
    if approve:
        _tell_bureau(report, "已提交统计表（经单位负责人审核）")
    else:
        notify_units(
            units=[report.unit],
            title=(_("%(title)s统计表被单位负责人退回") % {"title": report.campaign.title}),
            body=(_("退回原因：%(return_reason)s") % {"return_reason": report.return_reason}),
            link=unit_link(report),
            email=False,
        )
    return report


@transaction.atomic
def report_return(*, report: Report, actor: Any, version: int | None, reason: str) -> Report:
    report = lock_report(report, version)
    _need(report, S.SUBMITTED, doing="退回")
    reason = _reason(reason, "退回原因")
    report.status, report.return_reason = S.RETURNED, reason
    report.returned_at, report.returned_by = clock.now(), actor
    report.version += 1
    report.save()
    _revision(report, action="return", actor=actor, reason=reason)
    audit_log(actor=actor, action="report.return", obj=report, after={"status": report.status}, note=reason)
    notify_units(
        units=[report.unit],
        title=(_("%(title)s统计表被退回，请修改后重新提交") % {"title": report.campaign.title}),
        body=(_("退回原因：%(reason)s") % {"reason": reason}),
        link=unit_link(report),
    )
    return report


@transaction.atomic
def report_approve(*, report: Report, actor: Any, version: int | None) -> Report:
    report = lock_report(report, version)
    _need(report, S.SUBMITTED, doing="审核通过")
    report.status, report.approved_at, report.approved_by = S.APPROVED, clock.now(), actor
    report.return_reason = ""
    report.version += 1
    report.save()
    _revision(report, action="approve", actor=actor)
    audit_log(actor=actor, action="report.approve", obj=report, after={"status": report.status})
    notify_units(
        units=[report.unit],
        title=(_("%(title)s统计表已审核通过") % {"title": report.campaign.title}),
        body=_("统计表已锁定，如需修改请联系组织单位。"),
        link=unit_link(report),
        email=False,
    )
    return report


@transaction.atomic
def report_reopen(*, report: Report, actor: Any, version: int | None, reason: str) -> Report:
    """Unlock an approved report so the unit can correct it; it must then be submitted again."""
    report = lock_report(report, version)
    _need(report, S.APPROVED, doing="重新打开")
    reason = _reason(reason, "重新打开的原因")
    report.status, report.return_reason = S.RETURNED, reason
    report.returned_at, report.returned_by = clock.now(), actor
    report.approved_at, report.approved_by = None, None
    report.version += 1
    report.save()
    _revision(report, action="reopen", actor=actor, reason=reason)
    audit_log(actor=actor, action="report.reopen", obj=report, after={"status": report.status}, note=reason)
    notify_units(
        units=[report.unit],
        title=(_("%(title)s统计表已被组织单位重新打开") % {"title": report.campaign.title}),
        body=(_("原因：%(reason)s。请修改后重新提交。") % {"reason": reason}),
        link=unit_link(report),
    )
    return report
