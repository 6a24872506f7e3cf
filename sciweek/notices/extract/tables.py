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

import itertools
import re
import unicodedata
from dataclasses import dataclass, field

ROLES: list[tuple[str, str]] = [
    ("number", r"序号|编号|序|No\.?"),
    (
        "title",
        r"活动名称(?:及|和|与)?(?:内容|形式)?|活动项目|项目名称|名称|活动主题(?:及内容)?|活动题目|项目|活动",
    ),
    ("content", r"活动内容|主要内容|内容|活动简介|具体内容|内容简介"),
    ("time_place", r"时间地点|时间及地点|时间、地点|时间和地点"),
    ("time", r"活动时间|举办时间|开展时间|时间|日期|活动日期|时间安排|举行时间"),
    ("place", r"活动地点|举办地点|地点|开展地点|举行地点"),
    (
        "lead",
        r"牵头单位|牵头部门|责任单位|责任部门|主办单位|负责单位|组织单位|实施单位|承办单位|承办部门|主责单位|牵头",
    ),
    ("coop", r"配合单位|配合部门|协办单位|参与单位|协助单位|支持单位|参加单位|协作单位|配合"),
    ("other", r"备注|联系人|联系电话|联系方式|活动形式|形式|活动对象|对象|参与对象|规模|预计规模"),
]
_ROLE_RX = [(role, re.compile(rf"^(?:{rx})$")) for role, rx in ROLES]
_HEADER_WORD = re.compile("|".join(sorted((rx for _, rx in ROLES), key=len, reverse=True)))
_ANY_ROLE = "|".join(rx for role, rx in ROLES if role != "other")
_FLAT_HEADER = re.compile(
    rf"(?<![\u4e00-\u9fff])(?:(?:{_ANY_ROLE}|备注)[ \t]+){{2,}}(?:{_ANY_ROLE}|备注)(?=[ \t])"
)
_ROW_START_TIME = re.compile(
    r"^(?:(?:19|20)\d{2}\s*[年.\-/]|\d{1,2}\s*月|\d{1,2}[./]\d{1,2}|另行|待定|全年|全天)"
)
_MARKER = re.compile(
    r"^\s*(?:[一二三四五六七八九十]{1,3}[、.．]|[（(][一二三四五六七八九十\d]{1,3}[）)]|\d{1,2}[、.．](?!\d)|[①-⑳]|附\s*件)"
)


@dataclass
class TableFound:
    roles: list[str | None]
    rows: list[dict[str, str]] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)  # indices of the lines the table took
    prefix: dict[int, str] = field(default_factory=dict)  # line -> text before a flattened table
    kind: str = "tabs"


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def role_of(cell: str) -> str | None:
    text = re.sub(r"\s+|[（(][^）)]{0,12}[）)]$", "", re.sub(r"\s+", "", cell))  # "牵头单位（部门）"
    return next((role for role, rx in _ROLE_RX if rx.match(text)), None)


def header_roles(cells: list[str]) -> list[str | None] | None:
    """The columns' roles when ``cells`` is an activity table's header, else None."""
    roles: list[str | None] = [role_of(c) for c in cells]
    known = [r for r in roles if r]
    if len(known) < 3 or len(known) < len(cells) - 1:
        return None
    if "title" not in roles:
        if "content" not in roles:
            return None
        roles = ["title" if r == "content" else r for r in roles]
    if not any(r in roles for r in ("lead", "coop", "time", "place", "time_place")):
        return None
    leads = [i for i, r in enumerate(roles) if r == "lead"]
    if len(leads) > 1 and "coop" not in roles:
        roles[leads[1]] = "coop"  # 主办单位 and 承办单位 side by side: the second works with the first
    return roles


def _row(roles: list[str | None], cells: list[str]) -> dict[str, str]:
    row: dict[str, str] = {}
    for role, cell in zip(roles, cells, strict=False):
        if role and cell.strip() and role not in row:
            row[role] = re.sub(r"\s*\n\s*", "", cell.strip())
    return row


def _is_number(text: str) -> bool:
    return bool(re.fullmatch(r"\d{1,3}[.、]?|[一二三四五六七八九十]{1,3}", text.strip()))


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
        roles = header_roles(rows[0]) if rows else None
        if roles:
            table = TableFound(roles, kind="word", lines=taken)
            table.rows = [r for r in (_row(roles, cells) for cells in rows[1:]) if r]
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
        if not roles:
            i += 1
            continue
        starts = [p for p, _ in segs]
        table = TableFound(roles, kind="spaces", lines=[i])
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


# -- a table whose line breaks were lost -------------------------------------------------------------------
_DATEISH = re.compile(r"\d{1,2}\s*月|\d{1,2}[日号]|^\d{4}[.\-/年]|上午|下午|全天|期间|另行|待定|至|—")
_ORGISH = re.compile(
    r"(?:局|委|协|会|府|室|处|院|中心|办|部|队|站|所|馆|公司|学校|大学|政府|街道|镇|乡|团|台)(?:等)?$"
)


def _flat_rows(tokens: list[str], roles: list[str | None]) -> list[list[str]]:
    number_col = roles.index("number") if "number" in roles else None
    width = len(roles)
    if number_col == 0:
        rows: list[list[str]] = []
        expected = 1
        current: list[str] = []
        for token in tokens:
            if re.fullmatch(rf"{expected}[.、]?", token):
                if current:
                    rows.append(current)
                current = [token]
                expected += 1
            elif current:
                current.append(token)
        if current:
            rows.append(current)
        return [_fit(row, roles) for row in rows]
    return [_fit(tokens[k : k + width], roles) for k in range(0, len(tokens), width)]


_VENUE = re.compile(
    r"(?:馆|广场|公园|基地|社区|村|礼堂|中心|学校|小学|中学|大学|校园|厅|会议室|站|园|街|路|号|集镇|现场|线上|网络|各地|各乡镇|"
    r"[（(][市县区][）)])$"
)
_GOVERNMENT = re.compile(r"(?:局|委|府|办|协|部|厅|团|队|会|办事处|公司)(?:等)?$")


def _fit_score(role: str | None, token: str) -> float:
    date = bool(_DATEISH.search(token))
    if role == "time" or role == "time_place":
        return 2.0 if date else -3.0
    if date:
        return -2.0
    if role == "number":
        return 1.0 if _is_number(token) else -3.0
    if role in ("lead", "coop"):
        return 1.0 + ("、" in token) if _ORGISH.search(token.split("、")[-1]) else -1.0
    if role == "place":
        if _GOVERNMENT.search(token):
            return -1.0
        return 1.5 if _VENUE.search(token) else 0.5
    return 0.0


def _fit(tokens: list[str], roles: list[str | None]) -> list[str]:
    """Spread a row's tokens over its columns. With fewer tokens than columns, the empty columns are
    the ones that make each token fit its column best (a date under 时间, a unit name under 单位, …);
    on a tie the later columns (配合单位 most often) stay empty."""
    if len(tokens) >= len(roles):
        head = tokens[: len(roles) - 1]
        return [*head, " ".join(tokens[len(roles) - 1 :])]
    best: tuple[float, tuple[int, ...]] | None = None
    for columns in itertools.combinations(range(len(roles)), len(tokens)):
        if roles[0] in ("title", "number") and columns[0] != 0:
            continue  # a row starts with its number or its title
        value = sum(_fit_score(roles[c], t) for c, t in zip(columns, tokens, strict=True))
        if best is None or value > best[0]:
            best = (value, columns)
    cells = [""] * len(roles)
    for c, token in zip(best[1] if best else range(len(tokens)), tokens, strict=False):
        cells[c] = token
    return cells


def _flat_tables(lines: list[str]) -> list[TableFound]:
    found: list[TableFound] = []
    for i, line in enumerate(lines):
        if len(line) < 40:
            continue
        m = _FLAT_HEADER.search(line)
        if not m:
            continue
        roles = header_roles(m.group(0).split())
        if not roles:
            continue
        tokens = line[m.end() :].split()
        table = TableFound(roles, kind="flat", lines=[i], prefix={i: line[: m.start()].rstrip()})
        table.rows = [
            r for r in (_row(roles, cells) for cells in _flat_rows(tokens, roles)) if r.get("title")
        ]
        if table.rows:
            found.append(table)
    return found


def find_tables(lines: list[str]) -> list[TableFound]:
    """Every activity table in ``lines``, in order, none overlapping."""
    found: list[TableFound] = []
    taken: set[int] = set()
    for finder in (_word_tables, _tab_tables, _space_tables, _flat_tables):
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
