"""A table whose line breaks were lost: "序号 活动名称 时间 地点 牵头单位 1 科普讲座 5月20日 县图书馆 县科协 …".

The header is found by its run of column names; rows are cut at the 序号 sequence (1, 2, 3 …) or by the
header's width, and a row with fewer pieces than columns puts each piece where it fits best.
"""

from __future__ import annotations

import itertools
import re

from .table_header import _FLAT_HEADER, TableFound, _is_number, _row, header_roles

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


def flat_tables(lines: list[str]) -> list[TableFound]:
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
