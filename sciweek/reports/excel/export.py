"""The statistics table in the official layout: one unit's sheet, a county workbook, the national matrix.

The unit sheet reproduces the attachment of the notice: title, "单位（盖章）：", then the rows with the
section label merged vertically over its rows in column A, the row label in B and the value in C
(rows without a section span A:B), and the footnote. Numbers are written as numbers with a number
format; "not applicable" as "—"; blank stays blank.
"""

from __future__ import annotations

import contextlib
import math
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import IO, Any

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from sciweek.core.cells import safe_cell, safe_row
from sciweek.reports.excel.word import export_unit_docx
from sciweek.reports.formspec import (
    NOT_APPLICABLE,
    FormSpec,
    ParsedValue,
    RowSpec,
    parse_value,
    sum_values,
)

__all__ = [
    "UnitValues",
    "blank_template",
    "export_matrix_streaming",
    "export_unit_docx",
    "export_unit_workbook",
    "export_workbook",
    "sheet_title",
    "write_unit_sheet",
]

RawValue = Decimal | int | float | str | ParsedValue | None
Progress = Callable[[int, int], None]

FONT_NAME = "宋体"
INT_FORMAT = "0"
DECIMAL_FORMAT = "#,##0.00##"
MATRIX_INT_FORMAT = "#,##0"
SUMMARY_SHEET = "汇总"
MATRIX_SHEET = "分单位明细"
UNIT_LINE = "单位（盖章）："
#: widths of columns A, B, C of the unit sheet, in Excel character units
UNIT_COLUMN_WIDTHS = (22.0, 48.0, 18.0)
FIRST_TABLE_ROW = 3

_THIN = Side(style="thin", color="000000")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_TITLE_FONT = Font(name=FONT_NAME, size=16, bold=True)
_BODY_FONT = Font(name=FONT_NAME, size=11)
_HEAD_FONT = Font(name=FONT_NAME, size=11, bold=True)
_NOTE_FONT = Font(name=FONT_NAME, size=10)
_CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
_LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True, indent=1)
_PLAIN_LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)
_HEAD_FILL = PatternFill("solid", fgColor="F2F2F2")


@dataclass(frozen=True, slots=True)
class UnitValues:
    code: str
    name: str
    values: Mapping[str, RawValue] = field(default_factory=dict)


def _cell_value(row: RowSpec, raw: RawValue, unit_name: str) -> Decimal | int | str | None:
    """What goes into the cell; a value the form does not accept is a programming error here."""
    parsed = parse_value(raw, row)
    if parsed.error:
        raise ValueError(
            _("单位「%(unit_name)s」：%(error)s") % {"unit_name": unit_name, "error": parsed.error}
        )
    if parsed.not_applicable:
        return NOT_APPLICABLE
    if parsed.value is None:
        return None
    return int(parsed.value) if row.value_type == "int" else parsed.value


def _text_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _lines(text: str, width: float) -> int:
    return max(1, math.ceil(_text_width(text) / max(width - 2, 1)))


# ---------------------------------------------------------------------------------------------
# One unit's table


def write_unit_sheet(
    ws: Worksheet,
    spec: FormSpec,
    *,
    unit_name: str,
    values: Mapping[str, RawValue],
    campaign_title: str,
    validation: bool = False,
) -> None:
    """Lay out one unit's table on ``ws`` (a normal, not write-only, worksheet)."""
    last_col = 3
    ws.sheet_view.showGridLines = False
    for i, width in enumerate(UNIT_COLUMN_WIDTHS, 1):
        ws.column_dimensions[get_column_letter(i)].width = width

    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=last_col)
    title = ws.cell(1, 1, safe_cell(spec.title or campaign_title))
    title.font, title.alignment = _TITLE_FONT, _CENTER
    ws.row_dimensions[1].height = 40
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=last_col)
    unit = ws.cell(2, 1, safe_cell(f"{UNIT_LINE}{unit_name}"))
    unit.font, unit.alignment = Font(name=FONT_NAME, size=12), _PLAIN_LEFT
    ws.row_dimensions[2].height = 28

    r = FIRST_TABLE_ROW
    for section, rows in spec.blocks():
        if section:
            if len(rows) > 1:
                ws.merge_cells(start_row=r, start_column=1, end_row=r + len(rows) - 1, end_column=1)
            head = ws.cell(r, 1, safe_cell(section))
            head.font, head.alignment = _BODY_FONT, _CENTER
        for offset, row in enumerate(rows):
            rr = r + offset
            if section:
                label = ws.cell(rr, 2, safe_cell(row.label))
                label_width = UNIT_COLUMN_WIDTHS[1]
            else:
                ws.merge_cells(start_row=rr, start_column=1, end_row=rr, end_column=2)
                label = ws.cell(rr, 1, safe_cell(row.label))
                label_width = UNIT_COLUMN_WIDTHS[0] + UNIT_COLUMN_WIDTHS[1]
            label.font, label.alignment = _BODY_FONT, _LEFT if section else _CENTER
            value = ws.cell(rr, 3, safe_cell(_cell_value(row, values.get(row.code), unit_name)))
            value.font, value.alignment = _BODY_FONT, _CENTER
            value.number_format = INT_FORMAT if row.value_type == "int" else DECIMAL_FORMAT
            section_lines = _lines(section, UNIT_COLUMN_WIDTHS[0]) / len(rows) if section else 1
            ws.row_dimensions[rr].height = max(
                26, 16 * max(_lines(row.label, label_width), section_lines) + 8
            )
            if validation:
                _add_validation(ws, row, f"C{rr}")
        r += len(rows)
    last_table_row = r - 1
    for row_idx in range(FIRST_TABLE_ROW, last_table_row + 1):
        for col in range(1, last_col + 1):
            ws.cell(row_idx, col).border = _BORDER  # merged cells too, or their edges print unruled

    if spec.footnote:
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=last_col)
        note = ws.cell(r, 1, safe_cell(spec.footnote))
        note.font, note.alignment = _NOTE_FONT, _PLAIN_LEFT
        ws.row_dimensions[r].height = 30
    else:
        r -= 1

    ws.print_area = f"A1:{get_column_letter(last_col)}{r}"
    ws.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    ws.page_setup.orientation = Worksheet.ORIENTATION_PORTRAIT
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.6
    ws.page_margins.top = ws.page_margins.bottom = 0.8
    if campaign_title:
        ws.oddHeader.right.text = campaign_title
        ws.oddHeader.right.size = 9
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"


def _add_validation(ws: Worksheet, row: RowSpec, ref: str) -> None:
    if row.value_type == "int":
        number = f"AND(ISNUMBER({ref}),{ref}>=0,{ref}=INT({ref}))"
        rule = "不小于 0 的整数"
    else:
        number = f"AND(ISNUMBER({ref}),{ref}>=0,ROUND({ref},{row.decimals})={ref})"
        rule = f"不小于 0 的数字，最多 {row.decimals} 位小数"
    dv = DataValidation(
        type="custom",
        formula1=f'OR({ref}="{NOT_APPLICABLE}",{ref}="无",{number})',
        allow_blank=True,
        showErrorMessage=True,
        errorStyle="warning",
        errorTitle="请核对填写内容"[:32],
        error=f"「{row.label}」应填写{rule}（单位：{row.unit}），不适用请填“—”。"[:255],
        showInputMessage=True,
        promptTitle=f"{row.label}（{row.unit}）"[:32],
        prompt=f"{row.help} 不适用请填“—”。"[:255],
    )
    dv.add(ref)
    ws.add_data_validation(dv)


def blank_template(
    spec: FormSpec, unit_name: str = "", campaign_title: str = "", *, path_or_file: Any = None
) -> Workbook:
    """The empty table for a unit to fill, with input prompts and validation on the value cells."""
    wb = Workbook()
    ws = wb.active
    ws.title = sheet_title(spec.title, set())
    write_unit_sheet(ws, spec, unit_name=unit_name, values={}, campaign_title=campaign_title, validation=True)
    _properties(wb, spec, campaign_title)
    if path_or_file is not None:
        wb.save(path_or_file)
    return wb


def export_unit_workbook(
    spec: FormSpec,
    *,
    unit_name: str,
    values: Mapping[str, RawValue],
    campaign_title: str,
    path_or_file: str | IO[bytes],
) -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = sheet_title(unit_name or spec.title, set())
    write_unit_sheet(ws, spec, unit_name=unit_name, values=values, campaign_title=campaign_title)
    _properties(wb, spec, campaign_title)
    wb.save(path_or_file)


def _properties(wb: Workbook, spec: FormSpec, campaign_title: str) -> None:
    wb.properties.title = spec.title
    wb.properties.subject = campaign_title or None
    wb.properties.creator = "sciweek 科技活动周管理平台"


# ---------------------------------------------------------------------------------------------
# Sheet names

_INVALID_SHEET_CHARS = re.compile(r"[\[\]:*?/\\\x00-\x1f\x7f]")


def sheet_title(name: str, taken: set[str]) -> str:
    """A valid, unique (Excel compares case-insensitively) sheet name ≤ 31 characters; adds it to ``taken``."""
    base = _INVALID_SHEET_CHARS.sub("_", name or "").strip().strip("'").strip() or "单位"
    if base.casefold() == "history":  # reserved by Excel
        base += "_"
    base = base[:31]
    candidate, n = base, 2
    while _sheet_key(candidate) in taken:
        suffix = f"({n})"
        candidate = base[: 31 - len(suffix)] + suffix
        n += 1
    taken.add(_sheet_key(candidate))
    return candidate


def _sheet_key(name: str) -> str:
    return unicodedata.normalize("NFKC", name).casefold()


# ---------------------------------------------------------------------------------------------
# County workbook: 汇总, 分单位明细, one sheet per unit


def export_workbook(
    spec: FormSpec,
    units: Iterable[UnitValues],
    path_or_file: str | IO[bytes],
    *,
    campaign_title: str,
    progress: Progress | None = None,
) -> None:
    """For a county-sized set of units (per-unit sheets); use :func:`export_matrix_streaming` beyond that."""
    unit_list = list(units)
    steps = len(unit_list) + 2
    wb = Workbook()
    summary = wb.active
    taken: set[str] = set()
    summary.title = sheet_title(SUMMARY_SHEET, taken)
    totals = sum_values(spec, (u.values for u in unit_list))
    write_unit_sheet(
        summary,
        spec,
        unit_name=f"合计（{len(unit_list)}个单位）",
        values=totals,
        campaign_title=campaign_title,
    )
    matrix = wb.create_sheet(sheet_title(MATRIX_SHEET, taken))
    _write_matrix(matrix, spec, unit_list, totals)
    if progress:
        progress(1, steps)
    for i, unit in enumerate(unit_list, 2):
        ws = wb.create_sheet(sheet_title(unit.name, taken))
        write_unit_sheet(ws, spec, unit_name=unit.name, values=unit.values, campaign_title=campaign_title)
        if progress:
            progress(i, steps)
    _properties(wb, spec, campaign_title)
    wb.save(path_or_file)
    if progress:
        progress(steps, steps)


def _matrix_header(spec: FormSpec) -> tuple[list[str | None], list[str | None], list[str]]:
    """Two header rows and the merged ranges: 单位 | 单位代码 | section over its rows' "label（unit）"."""
    top: list[str | None] = ["单位", "单位代码"]
    second: list[str | None] = [None, None]
    merges = ["A1:A2", "B1:B2"]
    col = 3
    for section, rows in spec.blocks():
        if section:
            top += [section] + [None] * (len(rows) - 1)
            second += [r.label_with_unit for r in rows]
            if len(rows) > 1:
                merges.append(f"{get_column_letter(col)}1:{get_column_letter(col + len(rows) - 1)}1")
        else:
            top.append(rows[0].label_with_unit)
            second.append(None)
            merges.append(f"{get_column_letter(col)}1:{get_column_letter(col)}2")
        col += len(rows)
    return safe_row(top), safe_row(second), merges


def _matrix_layout(ws: Any, spec: FormSpec) -> None:
    ws.column_dimensions["A"].width = 30
    ws.column_dimensions["B"].width = 14
    for i in range(len(spec.rows)):
        ws.column_dimensions[get_column_letter(i + 3)].width = 14
    ws.freeze_panes = "C3"
    ws.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    ws.page_setup.orientation = Worksheet.ORIENTATION_LANDSCAPE
    ws.print_title_rows = "1:2"


def _write_matrix(ws: Worksheet, spec: FormSpec, units: list[UnitValues], totals: Mapping[str, Any]) -> None:
    top, second, merges = _matrix_header(spec)
    _matrix_layout(ws, spec)
    ws.append(top)
    ws.append(second)
    for unit in units:
        ws.append(
            safe_row(
                [
                    unit.name,
                    unit.code,
                    *(_cell_value(r, unit.values.get(r.code), unit.name) for r in spec.rows),
                ]
            )
        )
    total_row = len(units) + 3
    ws.append(
        [
            f"合计（{len(units)}个单位）",
            None,
            *(_cell_value(r, totals.get(r.code), "合计") for r in spec.rows),
        ]
    )
    last_col = get_column_letter(len(spec.rows) + 2)
    for ref in merges:
        ws.merge_cells(ref)
    for row in ws.iter_rows(min_row=1, max_row=total_row, max_col=len(spec.rows) + 2):
        for cell in row:
            cell.border = _BORDER
            if cell.row <= 2:
                cell.font, cell.alignment, cell.fill = _HEAD_FONT, _CENTER, _HEAD_FILL
            elif cell.column > 2:
                spec_row = spec.rows[cell.column - 3]
                cell.number_format = MATRIX_INT_FORMAT if spec_row.value_type == "int" else DECIMAL_FORMAT
                if cell.value == NOT_APPLICABLE:
                    cell.alignment = Alignment(horizontal="center")
            if cell.row == total_row:
                cell.font = _HEAD_FONT
    ws.row_dimensions[1].height = 30
    ws.row_dimensions[2].height = 48
    ws.auto_filter.ref = f"A2:{last_col}{max(total_row - 1, 2)}"


# ---------------------------------------------------------------------------------------------
# National matrix: streaming, constant memory


def export_matrix_streaming(
    spec: FormSpec,
    units_iter: Iterable[UnitValues],
    path: str | IO[bytes],
    *,
    campaign_title: str = "",
    total: int | None = None,
    progress: Progress | None = None,
    progress_every: int = 5000,
) -> int:
    """The 分单位明细 sheet alone, written row by row (openpyxl write-only); returns the number of units.

    Memory does not grow with the number of units beyond openpyxl's shared-string table (the unit
    names). Each 万元 column reuses one pre-styled cell, so styling costs nothing per row.
    """
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(MATRIX_SHEET)
    _matrix_layout(ws, spec)
    top, second, merges = _matrix_header(spec)
    ws.append([_styled(ws, v, header=True) for v in top])
    ws.append([_styled(ws, v, header=True) for v in second])
    stream = _MatrixStream(ws, spec)
    try:
        for unit in units_iter:
            stream.append(unit)
            if progress and stream.count % progress_every == 0:
                progress(stream.count, total or stream.count)
        ws.append(stream.totals_row())
    except BaseException:
        _discard(ws)
        raise
    for ref in merges:
        ws.merged_cells.add(ref)
    ws.auto_filter.ref = f"A2:{get_column_letter(len(spec.rows) + 2)}{stream.count + 2}"
    wb.properties.title = spec.title
    wb.properties.subject = campaign_title or None
    wb.save(path)
    if progress:
        progress(stream.count, total or stream.count)
    return stream.count


class _MatrixStream:
    """Rows of the matrix for a write-only sheet, with running column totals."""

    def __init__(self, ws: Any, spec: FormSpec) -> None:
        self.ws = ws
        self.rows = spec.rows
        self.columns = [(row, _value_cell(ws, row)) for row in spec.rows]
        self.sums: list[Decimal | int] = [0] * len(spec.rows)
        self.seen_number = [False] * len(spec.rows)
        self.seen_na = [False] * len(spec.rows)
        self.count = 0

    def append(self, unit: UnitValues) -> None:
        values = unit.values
        out: list[Any] = [safe_cell(unit.name), safe_cell(unit.code)]
        for i, (row, cell) in enumerate(self.columns):
            v = _fast_value(row, values.get(row.code), unit.name)
            if v is None:
                out.append(None)
            elif type(v) is str:
                self.seen_na[i] = True
                out.append(v)
            else:
                self.sums[i] += v  # type: ignore[operator]
                self.seen_number[i] = True
                if cell is None:
                    out.append(v)
                else:
                    cell.value = v  # written out by ws.append before the next row reuses it
                    out.append(cell)
        self.ws.append(out)
        self.count += 1

    def totals_row(self) -> list[Any]:
        out: list[Any] = [_styled(self.ws, f"合计（{self.count}个单位）", total=True), None]
        for i, row in enumerate(self.rows):
            if self.seen_number[i]:
                value: Any = self.sums[i]
            else:
                value = NOT_APPLICABLE if self.seen_na[i] else None
            out.append(_styled(self.ws, value, total=True, row=row))
        return out


def _discard(ws: Any) -> None:
    """After a failure mid-stream: close openpyxl's row writer and remove its temporary file."""
    with contextlib.suppress(Exception):
        ws.close()
    writer = getattr(ws, "_writer", None)
    if writer is not None:
        with contextlib.suppress(Exception):
            writer.cleanup()


def _styled(
    ws: Any, value: Any, *, header: bool = False, total: bool = False, row: RowSpec | None = None
) -> Any:
    cell = WriteOnlyCell(ws, value=value)
    cell.border = _BORDER
    if header:
        cell.font, cell.alignment, cell.fill = _HEAD_FONT, _CENTER, _HEAD_FILL
    if total:
        cell.font = _HEAD_FONT
    if row is not None:
        cell.number_format = MATRIX_INT_FORMAT if row.value_type == "int" else DECIMAL_FORMAT
    return cell


def _value_cell(ws: Any, row: RowSpec) -> WriteOnlyCell | None:
    """Integers read fine in General format, so only 万元 columns carry a (reused) styled cell."""
    if row.value_type == "int":
        return None
    cell = WriteOnlyCell(ws)
    cell.number_format = DECIMAL_FORMAT
    return cell


def _fast_value(row: RowSpec, raw: RawValue, unit_name: str) -> Decimal | int | str | None:
    """:func:`_cell_value` with a shortcut for the common, already-clean values."""
    t = type(raw)
    if raw is None:
        return None
    if t is int and 0 <= raw < 10**15:  # type: ignore[operator]
        return raw  # type: ignore[return-value]
    if t is Decimal and raw.is_finite() and raw >= 0:  # type: ignore[union-attr,operator]
        exponent = raw.as_tuple().exponent  # type: ignore[union-attr]
        if row.value_type == "int":
            if exponent == 0:
                return int(raw)  # type: ignore[arg-type]
        elif isinstance(exponent, int) and -row.decimals <= exponent <= 0:
            return raw  # type: ignore[return-value]
    if raw == NOT_APPLICABLE:
        return NOT_APPLICABLE
    return _cell_value(row, raw, unit_name)
