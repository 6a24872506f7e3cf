"""Checking the statistics table: one cell as it is typed, and the whole report before it is submitted.

Severity decides what a problem does. An *error* blocks: a cell with an error is not saved, and a
report with an error cannot be submitted. A *warning* (a value above the row's 合理上限, or a cross-row
check marked as a warning) is saved, but the report can only be submitted once the unit wrote an
上报说明 beside the row; the reviewer sees that note.

Parsing itself (digits, 万元, full-width characters, "不适用") is ``formspec.parse_value``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .formspec import format_value, parse_value
from .models import FormRow, FormRule

Severity = Literal["error", "warning"]
NOTE_MAX_LENGTH = 500


@dataclass(frozen=True, slots=True)
class Cell:
    """What is stored for one row: a number, 不适用, or blank; plus the unit's 上报说明."""

    value: Decimal | None = None
    not_applicable: bool = False
    note: str = ""

    @property
    def is_blank(self) -> bool:
        return self.value is None and not self.not_applicable

    def as_json(self) -> dict[str, Any] | None:
        if self.is_blank and not self.note:
            return None
        return {
            "v": None if self.value is None else f"{self.value:f}",
            "na": self.not_applicable,
            "note": self.note,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any] | None) -> Cell:
        if not data:
            return cls()
        raw = data.get("v")
        return cls(
            Decimal(raw) if raw not in (None, "") else None, bool(data.get("na")), data.get("note") or ""
        )


@dataclass(frozen=True, slots=True)
class Issue:
    code: str  # the row the message is shown beside
    severity: Severity
    message: str
    source: str = "row"  # "row", "required", "rule:<id>"

    @property
    def is_error(self) -> bool:
        return self.severity == "error"


def display(cell: Cell | None, row: FormRow, *, with_unit: bool = True) -> str:
    """A cell as people read it: "1,234人次", "不适用", or "（未填）"."""
    if cell is None or cell.is_blank:
        return "（未填）"
    if cell.not_applicable:
        return "不适用"
    return format_value(cell.value, row.to_spec(), grouping=True, with_unit=with_unit)


def _num(value: Decimal, row: FormRow) -> str:
    return format_value(value, row.to_spec(), grouping=True) + (row.unit or "")


def check_cell(row: FormRow, raw: Any, *, not_applicable: bool = False) -> tuple[Cell | None, list[Issue]]:
    """Parse what was typed into ``row``. Returns (cell, issues); cell is None when an error blocks it."""
    if not_applicable:
        return Cell(None, True), []
    parsed = parse_value(raw, row.to_spec())
    if parsed.error:
        return None, [Issue(row.code, "error", parsed.error)]
    if parsed.not_applicable:
        return Cell(None, True), []
    if parsed.value is None:
        return Cell(), []
    issues = _row_rules(row, parsed.value)
    if any(issue.is_error for issue in issues):
        return None, issues
    return Cell(parsed.value), issues


def _row_rules(row: FormRow, value: Decimal) -> list[Issue]:
    if row.min_value is not None and value < row.min_value:
        return [
            Issue(
                row.code,
                "error",
                f"「{row.label}」不能小于 {_num(Decimal(row.min_value), row)}，收到 {_num(value, row)}",
            )
        ]
    if row.max_value is not None and value > row.max_value:
        return [
            Issue(
                row.code,
                "error",
                f"「{row.label}」超过上限 {_num(Decimal(row.max_value), row)}"
                f"（收到 {_num(value, row)}），请核实后重新填写",
            )
        ]
    if row.max_plausible is not None and value > row.max_plausible:
        return [
            Issue(
                row.code,
                "warning",
                f"「{row.label}」为 {_num(value, row)}，对一个单位来说明显偏大"
                f"（通常不超过 {_num(Decimal(row.max_plausible), row)}），请核实；"
                f"如确认无误，请填写上报说明",
            )
        ]
    return []


def check_rules(
    rows: Mapping[str, FormRow], rules: Iterable[FormRule], cells: Mapping[str, Cell]
) -> list[Issue]:
    """Cross-row checks. A rule is judged only once every row it names is filled (不适用 counts as 0)."""
    issues: list[Issue] = []
    for rule in rules:
        codes = [*rule.left_codes, rule.right_code]
        if any(code not in rows for code in codes):
            continue
        if any(cells.get(code, Cell()).is_blank for code in codes):
            continue

        def amount(code: str) -> Decimal:
            cell = cells[code]
            return cell.value if cell.value is not None else Decimal(0)

        left = sum((amount(code) for code in rule.left_codes), Decimal(0))
        right = amount(rule.right_code)
        if left <= right:
            continue
        right_row = rows[rule.right_code]
        names = "与".join(f"「{rows[c].label}」" for c in rule.left_codes)
        what = f"{names}之和" if len(rule.left_codes) > 1 else names
        text = (
            f"{what}（{_num(left, rows[rule.left_codes[0]])}）大于「{right_row.label}」"
            f"（{_num(right, right_row)}）"
        )
        if rule.message:
            text = f"{text}：{rule.message}"
        if rule.severity == FormRule.Severity.WARNING:
            text += "；如确认无误，请填写上报说明"
        issues.append(Issue(rule.right_code, rule.severity, text, f"rule:{rule.pk}"))
    return issues


def check_report(
    rows: Iterable[FormRow], rules: Iterable[FormRule], cells: Mapping[str, Cell], *, submitting: bool
) -> list[Issue]:
    """Every problem of a whole report, in form order. Stored values are re-checked against the rules."""
    by_code = {row.code: row for row in rows}
    issues: list[Issue] = []
    for row in by_code.values():
        cell = cells.get(row.code, Cell())
        if cell.value is not None:
            issues += _row_rules(row, cell.value)
        elif cell.is_blank and submitting and row.required:
            issues.append(
                Issue(
                    row.code,
                    "error",
                    f"「{row.label}」尚未填写（没有请填 0，不涉及请勾选“不适用”）",
                    "required",
                )
            )
    issues += check_rules(by_code, rules, cells)
    order = {code: i for i, code in enumerate(by_code)}
    return sorted(issues, key=lambda issue: order.get(issue.code, len(order)))


def blocking(issues: Iterable[Issue], cells: Mapping[str, Cell], rows: Mapping[str, FormRow]) -> list[Issue]:
    """What stops a submission: every error, and every warning on a row without an 上报说明."""
    out: list[Issue] = []
    for issue in issues:
        if issue.is_error:
            out.append(issue)
        elif not cells.get(issue.code, Cell()).note.strip():
            label = rows[issue.code].label if issue.code in rows else issue.code
            out.append(
                Issue(issue.code, "error", f"「{label}」的数值需要核实：请填写上报说明后再提交", issue.source)
            )
    return out


def check_text(text: str | None, *, field: str, label: str, max_length: int) -> str:
    """Free text typed by a person: trimmed, no control characters (PostgreSQL refuses NUL), not too long."""
    text = (text or "").strip()
    if any(ord(ch) < 32 and ch not in "\t\r\n" for ch in text):
        raise ValidationError(
            {field: (_("「%(label)s」包含无法保存的控制字符，请删除后重新填写") % {"label": label})}
        )
    if len(text) > max_length:
        raise ValidationError(
            {
                field: (
                    _("「%(label)s」过长（%(count)s字），最多%(max_length)s字")
                    % {"label": label, "count": len(text), "max_length": max_length}
                )
            }
        )
    return text


def check_note(row: FormRow, note: str) -> str:
    return check_text(note, field=row.code, label=f"{row.label}」的「上报说明", max_length=NOTE_MAX_LENGTH)
