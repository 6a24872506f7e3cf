"""Commit of an import preview (importing.py): every sheet to its unit's report, in one transaction.

Refused as a whole (ValidationError, nothing written) while the plan has any blocking problem or a
report changed since the preview was shown (its fingerprint). Each changed value is recorded as a
ReportValueChange (so a unit editing at the same time is told what changed) and in the audit log;
each report gets a version bump and a ReportRevision ("import").
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext

from sciweek.campaigns.models import Campaign
from sciweek.core import clock
from sciweek.core.audit import audit_event, audit_log, audit_log_many
from sciweek.orgs.models import OrgUnit

from .importing import Progress, SheetPlan, import_plan, sheets_of
from .models import Report, ReportRevision, ReportValue, ReportValueChange
from .totals import encode as encode_totals
from .totals import form_codes
from .validation import Cell

#: Switched off only by the concurrency test, to show that it catches a lost update without the lock.
LOCK_REPORTS = True


@dataclass
class CommitSummary:
    reports: int = 0
    created: int = 0
    values: int = 0
    submitted: int = 0
    units: list[str] = field(default_factory=list)


def _received_at(campaign: Campaign, received_on: dt.date | None) -> dt.datetime:
    """A past day counts at its close of business (the e-mail came some time that day); today is now."""
    now = clock.now()
    if received_on is None or received_on >= clock.localdate():
        return now
    return timezone.make_aware(dt.datetime.combine(received_on, campaign.close_of_business))


def import_commit(
    *,
    campaign: Campaign,
    actor: Any,
    files: list[dict[str, Any]],
    overwrite_approved: bool,
    fingerprint: str | None = None,
    received_on: dt.date | None = None,
    progress: Progress | None = None,
) -> CommitSummary:
    """Write every sheet of the preview to its unit's report, in one transaction, or raise ValidationError."""
    try:
        with transaction.atomic():
            return _commit(
                campaign=campaign,
                actor=actor,
                files=files,
                overwrite_approved=overwrite_approved,
                fingerprint=fingerprint,
                received_on=received_on,
                progress=progress,
            )
    except IntegrityError:  # a unit opened its report for the first time while we were writing
        raise ValidationError(
            gettext("导入时有单位正在同时填报，本次未导入任何数据，请重新查看预览后再导入。")
        )


def _commit(
    *,
    campaign: Campaign,
    actor: Any,
    files: list[dict[str, Any]],
    overwrite_approved: bool,
    fingerprint: str | None,
    received_on: dt.date | None,
    progress: Progress | None,
) -> CommitSummary:
    from .services.entry import current_form, form_rows

    form = current_form(campaign)
    if form is None:
        raise ValidationError(gettext("本次活动周尚未设置统计表"))
    rows = form_rows(form)
    unit_ids = sorted({s["unit_id"] for _, _, s in sheets_of(files) if s.get("unit_id")})
    # Lock the reports that exist (in a fixed order, so two imports cannot deadlock), then plan.
    if LOCK_REPORTS:
        list(
            Report.objects.select_for_update()
            .filter(campaign=campaign, unit_id__in=unit_ids)
            .order_by("unit_id")
        )
    plan = import_plan(campaign=campaign, rows=rows, files=files, overwrite_approved=overwrite_approved)
    if plan.errors:
        raise ValidationError(plan.errors)
    if fingerprint is not None and plan.fingerprint != fingerprint:
        raise ValidationError(
            gettext(
                "预览之后，有单位的统计表又被修改或审核过，本次未导入任何数据。请重新查看预览后再确认导入。"
            )
        )
    user = actor if getattr(actor, "is_authenticated", False) else None
    at = _received_at(campaign, received_on)
    # The unit's final-report deadline, as the review workflow judges it (services.deadline), looked up once.
    requirements = list(campaign.requirements.filter(kind="final_report").prefetch_related("applies_to"))

    def due(unit: OrgUnit) -> dt.datetime | None:
        requirement = next((r for r in requirements if r.applies_to_unit(unit)), None)
        return requirement.due_at if requirement else None

    summary = CommitSummary()
    codes = form_codes([form.pk])
    for n, sp in enumerate(plan.sheets, 1):
        assert sp.unit is not None
        report = sp.report
        if report is None:
            report = Report.objects.create(campaign=campaign, unit=sp.unit, form=form)
            audit_log(
                actor=actor, action="report.create", obj=report, after={"form": str(form), "via": "import"}
            )
            summary.created += 1
        report.unit, report.campaign = sp.unit, campaign  # at hand: the audit log names both
        cells = _write(report, sp, actor, user)
        if report.form_id not in codes:
            codes.update(form_codes([report.form_id]))
        report.totals = encode_totals(codes.get(report.form_id, []), cells)
        if report.status not in (Report.Status.APPROVED, Report.Status.SUBMITTED):
            due_at = due(sp.unit)
            report.first_submitted_at = report.first_submitted_at or at
            report.is_late = bool(due_at and report.first_submitted_at > due_at)
            report.status, report.submitted_at, report.submitted_by = Report.Status.SUBMITTED, at, user
            summary.submitted += 1
        report.version += 1
        report.save()
        _revision(report, user, sp.sheet["source"])
        audit_log(
            actor=actor,
            action="report.import",
            obj=report,
            note=sp.sheet["source"],
            after={"status": report.status, "version": report.version, "changed": len(sp.changes)},
        )
        summary.reports += 1
        summary.values += len(sp.changes)
        summary.units.append(sp.unit.name)
        if progress:
            progress(n, len(plan.sheets), sp.unit.name)
    return summary


def _write(report: Report, sp: SheetPlan, actor: Any, user: Any) -> dict[str, ReportValue]:
    """Write the sheet's changes; the report's cells as they now are."""
    existing = {v.row_code: v for v in ReportValue.objects.filter(report=report)}
    create, update, delete, changes, events = [], [], [], [], []
    for change in sp.changes:
        cell = sp.cells[change.code]
        current = existing.get(change.code)
        note = current.override_note if current else ""
        before = Cell(current.value, current.not_applicable, note) if current else Cell()
        after = Cell(cell.value, cell.not_applicable, note)
        if after.is_blank and not note:
            if current:
                delete.append(current.pk)
        elif current:
            current.value, current.not_applicable = after.value, after.not_applicable
            update.append(current)
        else:
            create.append(
                ReportValue(
                    report=report,
                    row_code=change.code,
                    value=after.value,
                    not_applicable=after.not_applicable,
                )
            )
        changes.append(
            ReportValueChange(
                report=report,
                version=report.version + 1,
                row_code=change.code,
                before=before.as_json(),
                after=after.as_json(),
                by=user,
            )
        )
        events.append(
            audit_event(
                actor=actor,
                action="report.value.import",
                obj=report,
                unit_path=report.unit.path,
                note=sp.sheet["source"],
                before={change.code: change.before},
                after={change.code: change.after},
            )
        )
    ReportValue.objects.filter(pk__in=delete).delete()
    ReportValue.objects.bulk_update(update, ["value", "not_applicable"])
    ReportValue.objects.bulk_create(create)
    ReportValueChange.objects.bulk_create(changes)
    audit_log_many(events)
    now = {code: v for code, v in existing.items() if v.pk not in delete}
    now.update((v.row_code, v) for v in create)
    return now


def _revision(report: Report, user: Any, source: str) -> None:
    values = {}
    for v in ReportValue.objects.filter(report=report):
        cell = Cell(v.value.normalize() if v.value is not None else None, v.not_applicable, v.override_note)
        values[v.row_code] = cell.as_json()
    number = (report.revisions.aggregate(n=Max("number"))["n"] or 0) + 1
    ReportRevision.objects.create(
        report=report,
        number=number,
        action="import",
        status=report.status,
        values=values,
        reason=f"邮件报送导入：{source}",
        by=user,
        report_version=report.version,
    )
