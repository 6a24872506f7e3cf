"""Reading filled-in statistics tables back: xlsx, docx, or a ZIP of them.

Values are found by row label, never by position, so a unit may move the table, insert rows or
columns, merge cells differently, retype the labels or put several units' tables in one workbook.
Every sheet (or Word table) that looks like the form gives one :class:`SheetResult`. Nothing here
raises on bad input: each problem becomes a :class:`Problem` whose Chinese message names the file,
the sheet and the cell.
"""

from __future__ import annotations

import io
import logging
import re
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Literal

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from sciweek.reports.excel.labels import LabelMatch, LabelMatcher, is_unit_token, unit_line
from sciweek.reports.excel.safety import (
    KIND_MESSAGES,
    MAX_FILE_BYTES,
    Refused,
    check_zip,
    display_name,
    iter_archive,
    sniff,
)
from sciweek.reports.formspec import FormSpec, ParsedValue, parse_value

logger = logging.getLogger(__name__)

Severity = Literal["error", "warning", "info"]

#: how much of a sheet is searched for the table; a filled form is ~20 rows × 3 columns
MAX_SCAN_ROWS = 300
MAX_SCAN_COLS = 40
#: a sheet / Word table counts as the form when this many different rows are recognised
MIN_ROWS_FOR_TABLE = 3
SKIP_SHEET_RE = re.compile(r"汇总|合计|分单位明细|总计")
_CJK_RE = re.compile(r"[\u4e00-\u9fff]")


@dataclass(frozen=True, slots=True)
class Problem:
    where: str  # "文件名 › Sheet1!C5"
    message_zh: str  # self-contained: starts with ``where``
    severity: Severity = "error"
    row_code: str | None = None

    def __str__(self) -> str:
        return self.message_zh


@dataclass
class SheetResult:
    source: str  # "文件名 › Sheet1"
    unit_text: str | None
    values: dict[str, ParsedValue] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    missing_rows: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not any(p.severity == "error" for p in self.problems)


@dataclass
class FileResult:
    name: str  # as shown to the user; "包.zip › 甲.xlsx" for a member of an archive
    kind: str  # "xlsx", "docx", "zip", or what the file turned out to be ("pdf", "damaged", …)
    sheets: list[SheetResult] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not any(p.severity == "error" for p in self.problems) and all(s.ok for s in self.sheets)

    @property
    def all_problems(self) -> list[Problem]:
        return [*self.problems, *(p for s in self.sheets for p in s.problems)]


def _problem(where: str, message: str, severity: Severity = "error", code: str | None = None) -> Problem:
    return Problem(where=where, message_zh=f"{where}：{message}", severity=severity, row_code=code)


# ---------------------------------------------------------------------------------------------
# Entry point


def read_stat_files(files: list[tuple[str, bytes]], spec: FormSpec) -> list[FileResult]:
    """Read every (file name, content) pair; a ZIP gives one result per table file inside it."""
    matcher = LabelMatcher(spec)
    results: list[FileResult] = []
    for raw_name, data in files:
        name = display_name(raw_name)
        try:
            results.extend(_read_any(name, data, spec, matcher))
        except Exception:  # noqa: BLE001 — the contract is "never raise"; the log keeps the cause
            logger.exception("stat import: unexpected failure reading %r", name)
            results.append(
                FileResult(
                    name,
                    "damaged",
                    problems=[_problem(name, "文件已损坏或格式异常，无法读取，请重新保存后上传")],
                )
            )
    return results


def _read_any(name: str, data: bytes, spec: FormSpec, matcher: LabelMatcher) -> list[FileResult]:
    if not isinstance(data, bytes | bytearray | memoryview):
        return [FileResult(name, "unknown", problems=[_problem(name, KIND_MESSAGES["unknown"])])]
    data = bytes(data)
    kind = sniff(data)
    if kind in ("xlsx", "docx") and len(data) > MAX_FILE_BYTES:
        message = f"文件过大（超过 {MAX_FILE_BYTES // 1024 // 1024} MB），统计表不会这么大，请检查后重新上传"
        return [FileResult(name, kind, problems=[_problem(name, message)])]
    if kind == "xlsx":
        return [_read_office(name, data, spec, matcher, _read_xlsx)]
    if kind == "docx":
        return [_read_office(name, data, spec, matcher, _read_docx)]
    if kind == "zip":
        return _read_archive(name, data, spec, matcher)
    return [FileResult(name, kind, problems=[_problem(name, KIND_MESSAGES[kind])])]


def _read_archive(name: str, data: bytes, spec: FormSpec, matcher: LabelMatcher) -> list[FileResult]:
    archive = FileResult(name, "zip")
    members: list[FileResult] = []
    try:
        for member in iter_archive(data):
            member_name = f"{name} › {display_name(member.name)}"
            if member.data is None:
                archive.problems.append(_problem(member_name, member.note or "已跳过", member.severity))
                continue
            members.extend(_read_any(member_name, member.data, spec, matcher))
    except Refused as refused:
        # all or nothing: results from members read before the refusal are discarded too
        return [FileResult(name, "zip", problems=[_problem(name, refused.message)])]
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError, KeyError, RuntimeError):
        # RuntimeError / NotImplementedError: zipfile on encrypted or exotic members
        return [FileResult(name, "damaged", problems=[_problem(name, KIND_MESSAGES["damaged"])])]
    if not members and not archive.problems:
        archive.problems.append(_problem(name, "压缩包中没有 Excel/Word 文件"))
    return ([archive] if archive.problems else []) + members


def _read_office(
    name: str,
    data: bytes,
    spec: FormSpec,
    matcher: LabelMatcher,
    reader: Callable[[bytes], Iterator[_Grid]],
) -> FileResult:
    result = FileResult(name, "xlsx" if reader is _read_xlsx else "docx")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            check_zip(zf, office=True)
        grids = list(reader(data))
    except Refused as refused:
        result.problems.append(_problem(name, refused.message))
        return result
    except Exception:  # noqa: BLE001 — openpyxl / python-docx raise anything on a malformed file
        logger.info("stat import: cannot open %r", name, exc_info=True)
        result.problems.append(_problem(name, KIND_MESSAGES["damaged"]))
        return result
    skipped: list[str] = []
    for grid in grids:
        source = f"{name} › {grid.title}"
        if SKIP_SHEET_RE.search(grid.title):
            skipped.append(grid.title)
            continue
        sheet = _scan(source, grid, spec, matcher)
        if sheet is None:
            continue
        if sheet.unit_text and SKIP_SHEET_RE.match(sheet.unit_text):
            skipped.append(grid.title)
            continue
        result.sheets.append(sheet)
    if skipped:
        result.problems.append(_problem(name, f"已跳过汇总表：{'、'.join(skipped)}", "info"))
    if not result.sheets:
        first = spec.rows[0].label if spec.rows else ""
        result.problems.append(
            _problem(name, f"没有找到统计表（未识别出「{first}」等项目），请使用下发的模板填写")
        )
    return result


# ---------------------------------------------------------------------------------------------
# Sheets and Word tables as grids of non-empty cells


@dataclass(frozen=True, slots=True)
class _Cell:
    value: object
    where: str  # "Sheet1!C5" / "表格1 第5行第3列"


@dataclass
class _Grid:
    title: str
    rows: list[list[_Cell]]
    before: list[str] = field(default_factory=list)  # paragraphs before a Word table


def _read_xlsx(data: bytes) -> Iterator[_Grid]:
    wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        for ws in wb.worksheets:
            title = str(ws.title)
            rows: list[list[_Cell]] = []
            for r, values in enumerate(
                ws.iter_rows(min_row=1, max_row=MAX_SCAN_ROWS, max_col=MAX_SCAN_COLS, values_only=True), 1
            ):
                cells = [
                    _Cell(v, f"{title}!{get_column_letter(c)}{r}")
                    for c, v in enumerate(values, 1)
                    if v is not None and not (isinstance(v, str) and not v.strip())
                ]
                rows.append(cells)
            yield _Grid(title, rows)
    finally:
        wb.close()


def _read_docx(data: bytes) -> Iterator[_Grid]:
    from docx import Document
    from docx.oxml.ns import qn

    document = Document(io.BytesIO(data))
    body = document.element.body
    paragraphs: list[str] = []
    n = 0
    tables = {t._tbl: t for t in document.tables}
    for child in body.iterchildren():
        if child.tag == qn("w:p"):
            text = "".join(t.text or "" for t in child.iter(qn("w:t")))
            if text.strip():
                paragraphs.append(text)
        elif child.tag == qn("w:tbl") and child in tables:
            n += 1
            title = f"表格{n}"
            seen: set[object] = set()  # merged cells repeat: keep each <w:tc> once (top-left)
            rows: list[list[_Cell]] = []
            for r, row in enumerate(tables[child].rows, 1):
                cells: list[_Cell] = []
                for c, cell in enumerate(row.cells, 1):
                    if cell._tc in seen:
                        continue
                    seen.add(cell._tc)
                    text = cell.text
                    if text.strip():
                        cells.append(_Cell(text, f"{title} 第{r}行第{c}列"))
                rows.append(cells)
            yield _Grid(title, rows, before=paragraphs[-5:])
            paragraphs = []


# ---------------------------------------------------------------------------------------------
# Finding the rows


@dataclass(frozen=True, slots=True)
class _Hit:
    code: str
    match: LabelMatch
    label: _Cell
    value: _Cell | None


def _is_number_like(value: object) -> bool:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return True
    return isinstance(value, str) and bool(re.match(r"^\s*[0-9０-９][0-9０-９,，.．\s]*\S{0,2}\s*$", value))


def _scan(source: str, grid: _Grid, spec: FormSpec, matcher: LabelMatcher) -> SheetResult | None:
    hits: list[_Hit] = []
    strays: list[tuple[_Cell, _Cell]] = []  # (text, number) pairs that are not rows of the form
    unit_text: str | None = None
    unit_where: str | None = None
    for text in grid.before:
        found = unit_line(text)
        if found is not None:
            unit_text = found
    for cells in grid.rows:
        label: tuple[LabelMatch, _Cell] | None = None
        loose: _Cell | None = None
        awaiting_unit = False
        for cell in cells:
            value = cell.value
            if isinstance(value, str):
                found = unit_line(value)
                if found is not None:
                    unit_text, unit_where, awaiting_unit = found, cell.where, not found
                    continue
                if awaiting_unit and not matcher.match(value):
                    unit_text, awaiting_unit = value.strip(), False
                    continue
                match = matcher.match(value)
                if match is not None:
                    if match.kind == "row":
                        label = (match, cell)
                    continue
            if label is None:
                if isinstance(value, str) and _CJK_RE.search(value) and not _is_number_like(value):
                    loose = cell
                elif loose is not None and _is_number_like(value):
                    strays.append((loose, cell))
                    loose = None
                continue
            if is_unit_token(value):
                continue
            hits.append(_Hit(label[0].code, label[0], label[1], cell))
            label = None
        if label is not None:
            hits.append(_Hit(label[0].code, label[0], label[1], None))
    exact_codes = {h.code for h in hits if h.match.how != "fuzzy"}
    if len({h.code for h in hits}) < MIN_ROWS_FOR_TABLE:
        return None
    sheet = SheetResult(source=source, unit_text=unit_text or None)
    if not unit_text:
        where = f"{source.rsplit(' › ', 1)[0]} › {unit_where}" if unit_where else source
        sheet.problems.append(_problem(where, "未填写单位名称（单位（盖章）：）", "warning"))
    chosen: dict[str, _Hit] = {}
    for hit in hits:
        if hit.match.how == "fuzzy" and hit.code in exact_codes:
            if hit.value is not None and _is_number_like(hit.value.value):
                strays.append((hit.label, hit.value))
            continue
        _choose(sheet, source, chosen, hit, spec)
    for code, hit in chosen.items():
        _record(sheet, source, spec, code, hit)
    for text_cell, value_cell in strays:
        sheet.problems.append(
            _problem(
                _at(source, value_cell),
                f"「{_short(text_cell.value)}」不是统计表中的项目，该行的值 {_short(value_cell.value)} 未导入",
                "warning",
            )
        )
    sheet.missing_rows = [row.code for row in spec.rows if row.code not in chosen]
    if sheet.missing_rows:
        labels = "、".join(f"「{spec.row(c).label}」" for c in sheet.missing_rows)
        sheet.problems.append(_problem(source, f"表中没有找到以下项目：{labels}", "warning"))
    sheet.values = {row.code: sheet.values[row.code] for row in spec.rows if row.code in sheet.values}
    return sheet


def _choose(sheet: SheetResult, source: str, chosen: dict[str, _Hit], hit: _Hit, spec: FormSpec) -> None:
    previous = chosen.get(hit.code)
    if previous is None:
        chosen[hit.code] = hit
        return
    old = previous.value.value if previous.value else None
    new = hit.value.value if hit.value else None
    if new is None or old == new:
        return
    if old is None:
        chosen[hit.code] = hit
        return
    sheet.problems.append(
        _problem(
            _at(source, hit.label),
            f"「{spec.row(hit.code).label}」出现了不止一次（{_at(source, previous.label, short=True)} 和 "
            f"{_at(source, hit.label, short=True)}），已采用先出现的 {_short(old)}",
            "warning",
            hit.code,
        )
    )


def _record(sheet: SheetResult, source: str, spec: FormSpec, code: str, hit: _Hit) -> None:
    row = spec.row(code)
    where = _at(source, hit.value or hit.label)
    if hit.match.how == "fuzzy":
        sheet.problems.append(
            _problem(
                _at(source, hit.label),
                f"「{_short(hit.label.value)}」按相近名称识别为「{row.label}」，请核对",
                "warning",
                code,
            )
        )
    parsed = parse_value(hit.value.value if hit.value else None, row)
    sheet.values[code] = parsed
    if parsed.error:
        sheet.problems.append(_problem(where, parsed.error, "error", code))
    elif parsed.warning:
        sheet.problems.append(_problem(where, parsed.warning, "warning", code))
    elif parsed.is_blank:
        sheet.problems.append(
            _problem(where, f"「{row.label}」未填写（不适用的请填“—”，没有的请填 0）", "warning", code)
        )


def _at(source: str, cell: _Cell, *, short: bool = False) -> str:
    if short:
        return cell.where.split("!")[-1]
    file_part = source.rsplit(" › ", 1)[0]
    return f"{file_part} › {cell.where}"


def _short(value: object) -> str:
    text = " ".join(str(value).split())
    return text if len(text) <= 30 else text[:30] + "…"
