"""What an activity table's columns are: its header row read as roles (number, title, time, place,
lead, coop, …), whatever words and order the notice uses; the shapes of tables are read in tables.py."""

from __future__ import annotations

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
_ANY_ROLE = "|".join(rx for _, rx in ROLES)  # 联系人 / 备注 columns belong to the header too
_NOTE = r"(?:[（(][^）)\s]{1,8}[）)])?"  # "牵头单位（部门）"
_FLAT_HEADER = re.compile(
    rf"(?<![\u4e00-\u9fff])(?:(?:{_ANY_ROLE}|备注){_NOTE}[ \t]+){{2,}}(?:{_ANY_ROLE}|备注){_NOTE}(?=[ \t])"
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
