"""The outline of a notice: numbered headings and items, however the author numbered them.

Official documents number 一、 > （一） > 1. > （1） > ①, but real notices mix styles (the seed's
一、 2、 3、 四、) and skip or repeat numbers. Levels are inferred from the order in which styles open,
and an arabic "2、" that continues the top-level count and reads like a heading is taken as a top-level
heading written in the wrong style, and reported.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from .dates import cn_int

_MARKERS: list[tuple[str, re.Pattern[str]]] = [
    ("cn", re.compile(r"^([一二三四五六七八九十]{1,3})\s*[、．.，,]\s*")),
    ("cn_paren", re.compile(r"^[（(]\s*([一二三四五六七八九十]{1,3})\s*[）)]\s*[、.]?\s*")),
    ("arabic", re.compile(r"^(\d{1,2})\s*[、.．](?![\d])\s*")),
    ("arabic_paren", re.compile(r"^[（(]\s*(\d{1,2})\s*[）)]\s*[、.]?\s*")),
    ("circled", re.compile(r"^([①-⑳])\s*")),
]
_RANK = {"cn": 0, "cn_paren": 1, "arabic": 2, "arabic_paren": 3, "circled": 4}

HEADING_WORDS = (
    "活动时间",
    "时间安排",
    "活动主题",
    "主题",
    "主要内容",
    "活动内容",
    "重点内容",
    "宣传重点",
    "主要活动",
    "重点活动",
    "活动安排",
    "系列活动",
    "具体活动",
    "活动形式",
    "组织机构",
    "组织领导",
    "工作要求",
    "有关要求",
    "具体要求",
    "相关要求",
    "保障措施",
    "工作措施",
    "联系方式",
    "联系人",
    "其他事项",
    "报送要求",
    "工作安排",
    "参加对象",
    "活动对象",
    "活动范围",
    "指导思想",
    "总体要求",
    "工作目标",
    "目标任务",
    "实施步骤",
    "活动地点",
    "组织单位",
    "主办单位",
    "进度安排",
)
_HEADING_WORD = re.compile(r"^(?:" + "|".join(sorted(HEADING_WORDS, key=len, reverse=True)) + r")")


@dataclass
class Section:
    number: int | None
    style: str | None  # marker style as written; None for the root
    marker: str  # "一、", "（二）", "3."
    title: str  # heading text after the marker (for a keyword heading, only the keyword)
    line_no: int
    level_style: str | None = None  # the style this section counts as for nesting
    lines: list[str] = field(default_factory=list)  # body lines, children excluded
    children: list[Section] = field(default_factory=list)

    @property
    def header(self) -> str:
        return (self.marker + self.title).strip()

    def body_text(self) -> str:
        """The section's own lines and all its children, without its heading."""
        parts = [line.strip() for line in self.lines if line.strip()]
        parts += [child.full_text() for child in self.children]
        return "\n".join(parts)

    def full_text(self) -> str:
        return "\n".join(p for p in (self.header, self.body_text()) if p)

    def walk(self) -> Iterator[Section]:
        yield self
        for child in self.children:
            yield from child.walk()

    def find(self, pattern: str) -> Section | None:
        """The first section below this one whose title matches ``pattern`` (regex, searched)."""
        rx = re.compile(pattern)
        return next((s for s in self.walk() if s is not self and rx.search(s.title)), None)


@dataclass
class Outline:
    root: Section
    mixed: list[str] = field(default_factory=list)  # markers written in another level's style
    out_of_order: list[str] = field(default_factory=list)  # e.g. "三、 after 一、"
    top_markers: list[str] = field(default_factory=list)


def match_marker(line: str) -> tuple[str, int, str, str] | None:
    """(style, number, marker, rest) for a numbered line, else None."""
    text = line.strip()
    for style, rx in _MARKERS:
        m = rx.match(text)
        if not m:
            continue
        raw = m.group(1)
        number = ord(raw) - ord("①") + 1 if style == "circled" else cn_int(raw)
        rest = text[m.end() :].strip()
        if number is None or number == 0 or not rest:
            continue
        return style, number, m.group(0).strip(), rest
    return None


def split_heading(rest: str) -> tuple[str, str | None]:
    """'活动时间：2024年5月25日至31日' -> ('活动时间', '2024年5月25日至31日'); other text unchanged."""
    m = _HEADING_WORD.match(rest)
    if not m:
        return rest, None
    tail = rest[m.end() :]
    if not tail.strip():
        return rest, None
    sep = re.match(r"\s*[：:]\s*|\s+", tail)
    if sep:
        return rest[: m.end()], tail[sep.end() :].strip() or None
    return rest, None


def looks_like_heading(text: str) -> bool:
    return bool(_HEADING_WORD.match(text)) or (len(text) <= 16 and not re.search(r"[。，；：,:;]", text))


def build_outline(lines: list[str], first_line_no: int = 0) -> Outline:
    root = Section(None, None, "", "", first_line_no)
    outline = Outline(root)
    stack: list[Section] = [root]
    for offset, line in enumerate(lines):
        found = match_marker(line)
        if not found:
            stack[-1].lines.append(line)
            continue
        style, number, marker, rest = found
        depth = _place(stack, style, number, rest, outline, marker)
        del stack[depth:]
        parent = stack[-1]
        prev = parent.children[-1] if parent.children else None
        expected = (prev.number or 0) + 1 if prev else 1
        if number != expected:
            outline.out_of_order.append(f"{marker}（应为第{expected}项）")
        level_style: str | None = style
        if depth == 1 and root.children:
            level_style = root.children[0].level_style  # a mixed-style heading still counts as top level
        title, inline = split_heading(rest) if depth == 1 else (rest, None)
        section = Section(number, style, marker, title, first_line_no + offset, level_style)
        if inline:
            section.lines.append(inline)
        parent.children.append(section)
        stack.append(section)
        if depth == 1:
            outline.top_markers.append(marker)
    return outline


def _place(stack: list[Section], style: str, number: int, rest: str, outline: Outline, marker: str) -> int:
    """The stack depth the new section goes to (1 = top level)."""
    top = stack[1] if len(stack) > 1 else None
    same = next((i for i in range(len(stack) - 1, 0, -1) if stack[i].level_style == style), None)
    if top is not None and style != top.level_style and number == (top.number or 0) + 1:
        continues_list = same is not None and stack[same].number == number - 1
        heading = looks_like_heading(rest)
        if heading and (not continues_list or _HEADING_WORD.match(rest)):
            outline.mixed.append(marker)
            return 1
    if same is not None:
        return same
    if top is None:
        return 1
    # A style not open yet: nest below the innermost open section that ranks above it.
    rank = _RANK[style]
    depth = len(stack)
    while depth > 1 and _RANK.get(stack[depth - 1].level_style or "", -1) >= rank:
        depth -= 1
    return depth
