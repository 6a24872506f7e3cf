"""Tables of activities, however they reached us: a Word table (our reader writes one cell per line,
each starting with a tab, a blank line after each row), text with tab-separated cells, text or PDF
layout with columns aligned by runs of spaces and long cells wrapped onto the next lines, and a table
whose line breaks were lost ("序号 活动名称 时间 … 1 科普讲座 5月20日 …").

A table is recognised by its header row: at least three cells naming a known column (序号, 活动名称 /
活动内容 / 活动项目, 时间, 地点, 牵头单位 / 承办单位 / 责任单位 / 主办单位, 配合单位 / 协办单位 …), in
any order, any of them missing. Rows come back as {role: text}; the lines the table took are reported
so the outline can be built without them.
"""

from __future__ import annotations

import re

from .table_flat import flat_tables
from .table_header import (
    _MARKER,
    _ROW_START_TIME,
    ROLES,
    TableFound,
    _is_number,
    _row,
    _width,
    header_roles,
    role_of,
)

__all__ = ["ROLES", "TableFound", "find_tables", "header_roles", "role_of", "without_tables"]


# -- Word's shape: one cell per line -------------------------------------------------------------------
def _word_tables(lines: list[str]) -> list[TableFound]:
    found: list[TableFound] = []
    i = 0
    while i < len(lines):
        if not lines[i].startswith("\t") or "\t" in lines[i][1:]:
            i += 1
            continue
        start = i
        rows: list[list[str]] = []
        cells: list[str] = []
        taken: list[int] = []
        while i < len(lines):
            line = lines[i]
            if line.startswith("\t") and "\t" not in line[1:]:
                cells.append(line[1:].strip())
            elif not line.strip():
                if not cells:
                    break
                rows.append(cells)
                cells = []
            elif cells:
                cells[-1] += line.strip()
            else:
                break
            taken.append(i)
            i += 1
        if cells:
            rows.append(cells)
        # the header may sit under a title row merged across the table ("2024年活动安排表")
        head = next((k for k, cells in enumerate(rows[:3]) if header_roles(cells)), None)
        roles = header_roles(rows[head]) if head is not None else None
        if roles and head is not None:
            table = TableFound(roles, kind="word", lines=taken)
            table.rows = [r for r in (_row(roles, cells) for cells in rows[head + 1 :]) if r]
            found.append(table)
        i = max(i, start + 1)
    return found


# -- tab-separated text ----------------------------------------------------------------------------------
def _tab_tables(lines: list[str]) -> list[TableFound]:
    found: list[TableFound] = []
    i = 0
    while i < len(lines):
        cells = [c.strip() for c in lines[i].split("\t")]
        roles = header_roles(cells) if "\t" in lines[i].strip() else None
        if not roles:
            i += 1
            continue
        table = TableFound(roles, kind="tabs", lines=[i])
        i += 1
        if i < len(lines) and "\t" in lines[i]:  # a header cell wrapped onto the next line ("举办时" / "间")
            more = [c.strip() for c in lines[i].split("\t")]
            if 0 < sum(1 for c in more if c) <= 2 and not re.search(r"\d", lines[i]):
                joined = [a + (more[k] if k < len(more) else "") for k, a in enumerate(cells)]
                roles = header_roles(joined) or roles
                table = TableFound(roles, kind="tabs", lines=[i - 1, i])
                i += 1
        while i < len(lines) and lines[i].strip() and "\t" in lines[i].rstrip(" "):
            table.lines.append(i)
            i += 1
        number_col = roles.index("number") if "number" in roles else None
        merged = _tab_rows_merged(lines, table.lines[1:], roles, number_col)
        table.rows = [r for r in (_row(roles, cells) for cells in merged) if r]
        if table.rows:
            found.append(table)
    return found


def _tab_rows_merged(
    lines: list[str], idx: list[int], roles: list[str | None], number_col: int | None
) -> list[list[str]]:
    rows: list[list[str]] = []
    time_col = next((k for k, r in enumerate(roles) if r in ("time", "time_place")), None)
    for i in idx:
        cells = [c.strip() for c in lines[i].split("\t")]
        cells += [""] * (len(roles) - len(cells))
        if not rows or _starts_row(cells, roles, rows, number_col, time_col, False):
            rows.append(cells)
        else:
            for k, cell in enumerate(cells[: len(rows[-1])]):
                rows[-1][k] += cell  # a wrapped cell continued on the next line
    return rows


def _starts_row(
    cells: list[str],
    roles: list[str | None],
    rows: list[list[str]],
    number_col: int | None,
    time_col: int | None,
    blank_before: bool,
) -> bool:
    """Whether a line opens a new row or continues the cells of the row above (wrapped cells)."""
    filled = sum(1 for c in cells if c)
    numbered = number_col is not None and _is_number(cells[number_col])
    others = len(roles) - (1 if number_col is not None else 0)
    if number_col is not None and any(_is_number(r[number_col]) for r in rows):
        return numbered  # a numbered table: a line without its number continues the row above
    if time_col is not None and filled >= 2:
        return bool(_ROW_START_TIME.match(cells[time_col]))  # "5月26日…" opens a row; "至28日" wraps
    return numbered or blank_before or filled >= max(2, others // 2 + 1)


# -- columns aligned with spaces (pasted text, PDF layout) ----------------------------------------------
def _segments(line: str) -> list[tuple[int, str]]:
    """(display column, text) of each run of non-space characters."""
    return [(_width(line[: m.start()]), m.group(0)) for m in re.finditer(r"\S+", line)]


def _column(starts: list[int], position: int) -> int:
    best = 0
    for k, start in enumerate(starts):
        if position >= start - 3:
            best = k
    return best


def _space_tables(lines: list[str]) -> list[TableFound]:
    found: list[TableFound] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        if "\t" in line or " " not in line.strip():
            i += 1
            continue
        segs = _segments(line)
        roles = header_roles([s for _, s in segs]) if len(segs) >= 3 else None
        wrapped = False
        if not roles and len(segs) >= 3 and i + 1 < len(lines):  # "主办单" / "位": a header cell wrapped
            below = _segments(lines[i + 1])
            texts = [s for _, s in segs]
            if below and all(len(t) <= 4 for _, t in below):
                for position, text in below:
                    k = min(range(len(segs)), key=lambda j: abs(segs[j][0] - position))
                    texts[k] += text
                roles, wrapped = header_roles(texts), True
        if not roles:
            i += 1
            continue
        starts = [p for p, _ in segs]
        table = TableFound(roles, kind="spaces", lines=[i, i + 1] if wrapped else [i])
        i += 1 if wrapped else 0
        number_col = roles.index("number") if "number" in roles else None
        time_col = next((k for k, r in enumerate(roles) if r in ("time", "time_place")), None)
        rows: list[list[str]] = []
        blank_before = False
        i += 1
        while i < len(lines):
            line = lines[i]
            if not line.strip():
                blank_before = True
                if i + 1 < len(lines) and not lines[i + 1].strip():
                    break
                i += 1
                continue
            segs = _segments(line)
            if (
                _MARKER.match(line)
                or (len(segs) == 1 and _width(segs[0][1]) > 60)
                or re.search(r"[。：:]$", line)
            ):
                break
            cells = [""] * len(roles)
            for position, text in segs:
                k = _column(starts, position)
                cells[k] = f"{cells[k]} {text}" if cells[k] else text
            if not rows or _starts_row(cells, roles, rows, number_col, time_col, blank_before):
                rows.append(cells)
            else:
                for k, cell in enumerate(cells):
                    rows[-1][k] += cell
            blank_before = False
            table.lines.append(i)
            i += 1
        table.rows = [r for r in (_row(roles, cells) for cells in rows) if r]
        if table.rows:
            found.append(table)
    return found


def find_tables(lines: list[str]) -> list[TableFound]:
    """Every activity table in ``lines``, in order, none overlapping."""
    found: list[TableFound] = []
    taken: set[int] = set()
    for finder in (_word_tables, _tab_tables, _space_tables, flat_tables):
        for table in finder(lines):
            if taken.isdisjoint(table.lines):
                found.append(table)
                taken.update(table.lines)
    return sorted(found, key=lambda t: t.lines[0])


def without_tables(lines: list[str], tables: list[TableFound]) -> list[str]:
    """``lines`` with each table's lines blanked (a flattened table keeps the text before it)."""
    out = list(lines)
    for table in tables:
        for i in table.lines:
            out[i] = table.prefix.get(i, "")
    return out
