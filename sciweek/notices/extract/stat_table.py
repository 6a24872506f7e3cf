"""The attached statistics table (开展情况统计表), as a form definition: sections, rows, units.

Two flattened shapes are read:

* Word's (the seed, and our .docx reader): one cell per line, each line starting with a tab, a blank
  line between rows; a merged section cell repeats as an empty cell; text wrapped inside a cell
  continues on a line without a tab.
* a PDF's layout text: one row per line, cells separated by runs of spaces, an empty first column
  shown as indentation.

A row's cells are [section, label, value] or, when the label spans both columns, [label, value].
"（单位：万元）" in a section or label gives the unit of measure; otherwise it is inferred from the
label (…次数 -> 次, …人员数量 -> 人, 群众参与数量 -> 人次) and flagged as inferred.
"""

from __future__ import annotations

import re
import unicodedata

from .draft import StatForm, StatRow

_TITLE = re.compile(
    r"^(?!附件)(?!.*(?:活动安排|活动计划|活动项目|日程))\S.{0,60}(?:统计表|情况表|汇总表|登记表|一览表)$"
)
_UNIT_NOTE = re.compile(
    r"[（(]\s*(?:单位|计量单位)\s*[：:]\s*(?P<unit>[^）)]{1,6})\s*[）)]|[（(]\s*(?P<bare>万元|元|万人次|人次|人|次|个|家|篇|场|所|项|份|册|幅|块|期|条|部|件|台|名|位|平方米|小时|天|课时|批|处|支)\s*[）)]"
)
_STAMP = re.compile(r"(?:单位|填报单位)\s*[（(]\s*盖\s*章\s*[）)]")
_HEADER_WORDS = {
    "项目",
    "指标",
    "内容",
    "数量",
    "备注",
    "数值",
    "填报数",
    "类别",
    "序号",
    "单位",
    "合计",
    "计量单位",
}
_HEADER_WORDS |= {
    "指标名称",
    "项目名称",
    "栏目",
    "统计项目",
    "单位名称",
    "数据",
    "填报数据",
    "本年度",
    "计量",
}
_UNIT_HEADERS = {"单位", "计量单位", "计量"}
_VALUE_HEADERS = {"数量", "数值", "填报数", "合计", "备注", "数据", "填报数据", "本年度", "序号"}
_INFERRED = [
    (re.compile(r"次数$"), "次"),
    (re.compile(r"经费|资金|金额"), "万元"),
    (re.compile(r"群众参与数量|参与人次|观众|受众"), "人次"),
    (re.compile(r"人员数量|工作者参与数量|志愿者数量|人数|专职人员|专家数量"), "人"),
    (re.compile(r"媒体数量"), "家"),
    (re.compile(r"报道数量|稿件数量|文章数量"), "篇"),
    (re.compile(r"大学数量|学校数量|高校数量"), "所"),
    (re.compile(r"场馆数量|机构数量|基地数量|企业数量|数量$"), "个"),
]


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def split_unit(text: str) -> tuple[str, str | None]:
    """'活动经费投入数量（单位：万元）' -> ('活动经费投入数量', '万元')."""
    m = _UNIT_NOTE.search(text)
    if not m:
        return text.strip(), None
    return (text[: m.start()] + text[m.end() :]).strip(), (m.group("unit") or m.group("bare")).strip()


def infer_unit(label: str) -> str | None:
    return next((unit for rx, unit in _INFERRED if rx.search(label)), None)


def _tab_rows(lines: list[str]) -> list[list[str]]:
    rows: list[list[str]] = []
    cells: list[str] = []
    for line in lines:
        if not line.strip() and not line.startswith("\t"):
            if cells:
                rows.append(cells)
            cells = []
        elif "\t" in line.strip("\t") or (line.startswith("\t") and line.count("\t") > 1 and line.strip()):
            if cells:
                rows.append(cells)
            rows.append([c.strip() for c in line.strip("\n").lstrip("\t").split("\t")])
            cells = []
        elif line.startswith("\t"):
            cells.append(line.strip())
        elif cells:
            cells[-1] += line.strip()  # text wrapped inside the cell
        else:
            cells = [line.strip()]
    if cells:
        rows.append(cells)
    return rows


_COMPLETE = re.compile(r"(?:数量|情况|次数|人数|人次|金额|经费|合计|总计|数|[）)])$")


def _column_rows(lines: list[str]) -> list[list[str]]:
    """Rows from layout text: cells by display column, an indented line having an empty first cell.

    A first-column fragment that does not end like a label ("科普工作人员", "活动周期间开放的") is a
    cell wrapped over two lines: the next first-column-only line completes it.
    """
    segments: list[list[tuple[int, str]]] = []
    for line in lines:
        if line.strip():
            segments.append(
                [(_width(line[: m.start()]), m.group(0)) for m in re.finditer(r"\S+(?: \S+)*", line)]
            )
    if not segments:
        return []
    left = min(row[0][0] for row in segments)
    rows: list[list[str]] = []
    for row in segments:
        texts = [text for _, text in row]
        if row[0][0] - left >= 4:
            rows.append(["", *texts, ""])
            continue
        header = rows and all(c in _HEADER_WORDS or not c for c in rows[-1])
        unit_column = rows and any(c in _UNIT_HEADERS for c in rows[0])  # one label per line, never wrapped
        if rows and rows[-1][0] and not header and not unit_column and not _COMPLETE.search(rows[-1][0]):
            rows[-1][0] += texts[0]
            if len(texts) > 1:  # the wrapped cell's second line shares its line with the next label
                rows.append(["", *texts[1:], ""])
            continue
        rows.append([*texts, ""])
    return rows


def parse_stat_table(lines: list[str]) -> StatForm:
    """The first statistics table found in ``lines`` (the attachment region)."""
    form = StatForm()
    start = next((i for i, line in enumerate(lines) if _TITLE.match(line.strip())), None)
    if start is None:
        return _flattened(lines, form)
    form.title = lines[start].strip()
    body: list[str] = []
    for line in lines[start + 1 :]:
        text = line.strip()
        if re.match(r"^(?:注|说明|备注|填表说明)\s*[：:]", text):
            form.note = re.sub(r"^(?:注|说明|备注|填表说明)\s*[：:]\s*", "", text)
            break
        if _STAMP.search(text) and len(text) <= 30:
            form.stamp_required = True
            continue
        if re.match(r"^(?:填报人|联系电话|审核人|负责人)\s*[：:]", text):
            continue
        body.append(line)
    tabbed = sum(1 for line in body if "\t" in line)
    rows = _tab_rows(body) if tabbed >= len([b for b in body if b.strip()]) / 3 else _column_rows(body)
    return _read_rows(form, rows)


_FLAT_TITLE = re.compile(
    r"^(?!附件)(?!.*(?:活动安排|活动计划))(?P<title>\S.{0,60}?(?:统计表|情况表|汇总表|登记表))\s+(?=(?:项目|指标|序号|类别|栏目)\s)"
)
_UNIT_WORD = re.compile(
    r"^(?:万元|元|万人次|人次|人|次|个|家|篇|场|所|项|份|册|幅|块|期|条|部|件|台|名|位|平方米|小时|天|课时|批|处|支)$"
)


def _flattened(lines: list[str], form: StatForm) -> StatForm:
    """A statistics table whose line breaks were lost: "…统计表 项目 计量单位 数量 举办科普活动 场 …"."""
    for line in lines:
        m = _FLAT_TITLE.match(line.strip())
        if not m:
            continue
        form.title = m.group("title").strip()
        tokens = line.strip()[m.end() :].split()
        header: list[str] = []
        while tokens and tokens[0] in _HEADER_WORDS:
            header.append(tokens.pop(0))
        rows: list[list[str]] = [header]
        has_unit = any(h in _UNIT_HEADERS for h in header)
        for token in tokens:
            if re.fullmatch(r"[\d.,，]+", token):
                continue  # a value already filled in
            if has_unit and _UNIT_WORD.match(token) and len(rows) > 1 and len(rows[-1]) == 1:
                rows[-1].append(token)
            else:
                rows.append([token])
        shaped = [header] + [
            [r[0], r[1] if len(r) > 1 else "", ""] if has_unit else [r[0], ""] for r in rows[1:]
        ]
        return _read_rows(form, shaped)
    return form


def _read_rows(form: StatForm, rows: list[list[str]]) -> StatForm:
    section: str | None = None
    section_unit: str | None = None
    unit_col: int | None = None
    dropped: set[int] = set()
    for cells in rows:
        if not any(cells) or all(c in _HEADER_WORDS or not c for c in cells):
            # the header row: a unit of measure column ("计量单位") and value columns are not labels
            unit_col = next((k for k, c in enumerate(cells) if c in _UNIT_HEADERS), unit_col)
            dropped = {k for k, c in enumerate(cells) if c in _VALUE_HEADERS or c in _UNIT_HEADERS} or dropped
            continue
        column_unit = None
        if unit_col is not None and unit_col < len(cells):
            column_unit = cells[unit_col].strip() or None
        if dropped:
            cells = [c for k, c in enumerate(cells) if k not in dropped] + [""]
        heads = cells[:-1] if len(cells) >= 2 else cells
        if len(heads) >= 2:
            if heads[0]:
                section, section_unit = split_unit(heads[0])
            label_text = heads[-1]
            current_section = section
        else:
            label_text, current_section, section, section_unit = heads[0], None, None, None
        if not label_text:
            continue
        label, label_unit = split_unit(label_text)
        unit = column_unit or label_unit or (section_unit if current_section else None)
        inferred = unit is None
        if inferred:
            unit = infer_unit(label) or (infer_unit(current_section) if current_section else None)
        form.rows.append(StatRow(current_section, label, unit, inferred and unit is not None))
    form.source = form.title or ""
    return form
