"""A unit fills its statistics table: cells saved as it types, each save carrying the report's version.

Every write locks the report row, checks the version the writer had loaded, validates, writes and
bumps the version in one transaction. A stale version is refused with the rows whose values differ
between what the writer loaded and what is stored now (``ReportStale``), so nobody overwrites a
colleague's figures without seeing them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext

from sciweek.campaigns.models import Campaign
from sciweek.core import clock
from sciweek.core.audit import audit_event, audit_log, audit_log_many
from sciweek.core.errors import StaleVersion
from sciweek.core.models import AuditEvent
from sciweek.core.statements import insert_rows, lock_row, update_row
from sciweek.orgs.models import OrgUnit

from ..models import FormDefinition, FormRow, FormRule, Report, ReportValue, ReportValueChange
from ..totals import encode as encode_totals
from ..validation import Cell, Issue, check_cell, check_note, check_report, display
from .deadline import check_not_locked

#: Switched off only by the concurrency test, to prove that the test catches lost updates without it.
VERSION_CHECK = True


class ReportStale(StaleVersion):
    def __init__(self, report: Report, loaded: int, changed: list[str]) -> None:
        self.loaded, self.current_version, self.changed = loaded, report.version, changed
        if changed:
            rows = gettext("、").join(gettext("「%(label)s」") % {"label": label} for label in changed)
            text = gettext(
                "统计表已被其他人修改（您打开的是第%(loaded)s版，现在是第%(current)s版），本次修改未保存。"
                "变化的指标：%(rows)s。请刷新页面查看最新数值后再修改。"
            ) % {"loaded": loaded, "current": report.version, "rows": rows}
        else:
            text = gettext(
                "统计表已被其他人修改（您打开的是第%(loaded)s版，现在是第%(current)s版，"
                "状态：%(status)s），本次修改未保存。请刷新页面后再修改。"
            ) % {"loaded": loaded, "current": report.version, "status": report.get_status_display()}
        ValidationError.__init__(self, text, code="stale")
        self.current = {"version": report.version, "changed": changed}


@dataclass(frozen=True)
class CellInput:
    raw: Any = None
    not_applicable: bool = False
    note: str | None = None  # None leaves the stored note as it is


@dataclass(frozen=True)
class SaveResult:
    report: Report
    cells: dict[str, Cell]
    issues: list[Issue]
    changed: list[str]
    rows: dict[str, FormRow]
    rules: list[FormRule]


def current_form(campaign: Campaign, *, known: FormDefinition | None = None) -> FormDefinition | None:
    """The campaign's current form version (``known`` saves the query when it is the current one)."""
    if known is not None and known.is_current:
        return known
    return campaign.forms.filter(is_current=True).order_by("-version").first()


#: Rows and rules of the form versions in use, per process: {(form id, revision, created): parts}.
#: A form's rows and rules change only through the form editor, which bumps ``revision`` in the same
#: transaction (and a form with data is never changed: the editor makes a new version), so a key
#: names one fixed set of rows. ``created_at`` guards against an id used again (tests roll back).
_FORM_PARTS: dict[tuple[int, int, Any], tuple[dict[str, FormRow], list[FormRule]]] = {}
_FORM_PARTS_MAX = 256


def _form_parts(form: FormDefinition) -> tuple[dict[str, FormRow], list[FormRule]]:
    key = (form.pk, form.revision, form.created_at)
    parts = _FORM_PARTS.get(key)
    if parts is None:
        parts = ({row.code: row for row in form.rows.all()}, list(form.rules.all()))
        if len(_FORM_PARTS) >= _FORM_PARTS_MAX:
            _FORM_PARTS.clear()
        _FORM_PARTS[key] = parts
    return parts


def form_rows(form: FormDefinition) -> dict[str, FormRow]:
    """The form's rows by code, in form order (shared: read them, never change them)."""
    return _form_parts(form)[0]


def form_rules(form: FormDefinition) -> list[FormRule]:
    """The form's cross-row rules (shared: read them, never change them)."""
    return _form_parts(form)[1]


def report_cells(report: Report) -> dict[str, Cell]:
    """The report's stored cells by row code (as ``apply_cells`` just wrote them, when it did)."""
    written = getattr(report, "_written_cells", None)
    if written is not None:
        return dict(written)
    return {
        v.row_code: Cell(
            v.value.normalize() if v.value is not None else None, v.not_applicable, v.override_note
        )
        for v in report.values.all()
    }


def report_get_or_create(*, campaign: Campaign, unit: OrgUnit, actor: Any) -> Report:
    report = (
        Report.objects.filter(campaign=campaign, unit=unit).select_related("form", "unit", "campaign").first()
    )
    if report is not None:
        return report
    form = current_form(campaign)
    if form is None:
        raise ValidationError(gettext("本次活动周尚未设置统计表，请联系组织单位"))
    try:
        with transaction.atomic():
            report = Report.objects.create(campaign=campaign, unit=unit, form=form)
            audit_log(actor=actor, action="report.create", obj=report, after={"form": str(form)})
    except IntegrityError:  # two first visits at once: the other one created it
        report = Report.objects.get(campaign=campaign, unit=unit)
    return report


def lock_report(report: Report, version: int | None) -> Report:
    """Re-read the report's own row under a row lock and refuse a stale version.

    Only the report row is read and locked: its campaign, unit and (unless an empty report was moved
    to a new form version) its form are taken from ``report`` as the caller read them. A lock over a
    join would lock the campaign, region and form rows too, and every unit of a county would save one
    after another."""
    if version is None:
        raise ValidationError(gettext("缺少统计表版本号，请刷新页面后再操作"))
    locked = lock_row(Report, report.pk)
    if locked is None:
        raise Report.DoesNotExist(f"report {report.pk}")
    for field in ("campaign", "unit", "form"):
        descriptor = getattr(Report, field)
        if descriptor.is_cached(report) and getattr(report, f"{field}_id") == getattr(locked, f"{field}_id"):
            setattr(locked, field, getattr(report, field))
    if VERSION_CHECK and int(version) != locked.version:
        raise ReportStale(locked, int(version), changed_labels_since(locked, int(version)))
    return locked


def changed_labels_since(report: Report, loaded: int) -> list[str]:
    """Labels of the rows whose stored value differs from what the report held at version ``loaded``."""
    first_before: dict[str, Any] = {}
    for change in report.value_changes.filter(version__gt=loaded).order_by("version", "id"):
        first_before.setdefault(change.row_code, change.before)
    if not first_before:
        return []
    now = {code: cell.as_json() for code, cell in report_cells(report).items()}
    rows = form_rows(report.form)
    codes = [code for code in rows if code in first_before] + [c for c in first_before if c not in rows]
    return [
        rows[c].label if c in rows else c for c in codes if (first_before[c] or None) != (now.get(c) or None)
    ]


def check_editable(report: Report) -> None:
    if not report.is_editable:
        raise ValidationError(
            (gettext("统计表%(status)s，不能修改") % {"status": report.get_status_display()}), code="locked"
        )
    check_not_locked(report)


@dataclass(frozen=True)
class CellsApplied:
    stored: dict[str, Cell]  # before
    merged: dict[str, Cell]  # after
    changed: list[str]
    audit: AuditEvent | None  # the change, for the caller to record with its own (one insert)


def apply_cells(report: Report, *, actor: Any, cells: Mapping[str, CellInput]) -> CellsApplied:
    """Validate ``cells`` and write the changed ones (values and change rows) for a report locked by
    the caller's transaction. The new version and totals are set on ``report``; the caller saves the
    report row and records the audit event (once each, with whatever else it changes). Errors name
    the row; nothing is written then."""
    rows = form_rows(report.form)
    stored = report_cells(report)
    new: dict[str, Cell] = {}
    errors: dict[str, list[str]] = {}
    for code, given in cells.items():
        row = rows.get(code)
        if row is None:
            errors.setdefault("__all__", []).append(f"统计表中没有代码为「{code}」的指标")
            continue
        cell, issues = check_cell(row, given.raw, not_applicable=given.not_applicable)
        if cell is None:
            errors[code] = [i.message for i in issues if i.is_error]
            continue
        try:
            note = stored.get(code, Cell()).note if given.note is None else check_note(row, given.note)
        except ValidationError as exc:
            errors[code] = exc.message_dict[code]
            continue
        new[code] = Cell(cell.value, cell.not_applicable, note)
    if errors:
        raise ValidationError(errors)

    changed = [code for code, cell in new.items() if cell.as_json() != stored.get(code, Cell()).as_json()]
    merged = {**stored, **new}
    if changed:
        report.version += 1
        report.totals = encode_totals(rows, merged)
        # What is stored now (a cleared cell's row is deleted): the reply needs no second read.
        report._written_cells = {  # type: ignore[attr-defined]
            code: cell for code, cell in merged.items() if not (cell.is_blank and not cell.note)
        }
        _write_cells(report, {code: (stored.get(code, Cell()), new[code]) for code in changed}, actor)
        audit = audit_event(
            actor=actor,
            action="report.values",
            obj=report,
            before={code: display(stored.get(code), rows[code]) for code in changed},
            after={code: display(new[code], rows[code]) for code in changed},
            note="；".join(f"{rows[c].label}：{new[c].note}" for c in changed if new[c].note),
        )
        return CellsApplied(stored, merged, changed, audit)
    return CellsApplied(stored, merged, changed, None)


@transaction.atomic
def report_save_values(
    *, report: Report, actor: Any, version: int | None, cells: Mapping[str, CellInput]
) -> SaveResult:
    """Save one or more cells, all or nothing. Errors name the row; warnings are saved and returned."""
    report = lock_report(report, version)
    check_editable(report)
    applied = apply_cells(report, actor=actor, cells=cells)
    if applied.audit is not None:
        update_row(report, ["version", "updated_at", "totals"])
        audit_log_many([applied.audit])
    rows, rules = form_rows(report.form), form_rules(report.form)
    issues = check_report(rows.values(), rules, applied.merged, submitting=False)
    return SaveResult(report, applied.merged, issues, applied.changed, rows, rules)


def _write_cells(report: Report, changes: Mapping[str, tuple[Cell, Cell]], actor: Any) -> None:
    """The changed cells in three statements whatever their number (the report row is locked, so no one
    else inserts these cells meanwhile): blanks deleted, the rest upserted, one change row each."""
    blank = [code for code, (_, cell) in changes.items() if cell.is_blank and not cell.note]
    if blank:
        ReportValue.objects.filter(report=report, row_code__in=blank).delete()
    insert_rows(
        ReportValue,
        ("report_id", "row_code", "value", "not_applicable", "override_note"),
        [
            (report.pk, code, cell.value, cell.not_applicable, cell.note)
            for code, (_, cell) in changes.items()
            if code not in blank
        ],
        conflict=("report", "row_code"),
        update=("value", "not_applicable", "override_note"),
    )
    by = actor.pk if getattr(actor, "is_authenticated", False) else None
    now = clock.now()
    insert_rows(
        ReportValueChange,
        ("report_id", "version", "row_code", "before", "after", "by_id", "at"),
        [
            (report.pk, report.version, code, before.as_json(), cell.as_json(), by, now)
            for code, (before, cell) in changes.items()
        ],
    )
