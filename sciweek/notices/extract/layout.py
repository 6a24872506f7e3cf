"""Where a notice's parts are: title, salutation, body, signature block, attachments.

A notice reads: [issuer line, 文号] title; salutation ending in "："; body; [附件：list]; signature
(issuing units, then the date); attachments. A forwarding notice (转发) carries the forwarded notice
after its own signature; an implementation plan (实施方案) usually has no salutation or signature.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from sciweek.orgs.names import looks_like_org, split_signature_line

from .dates import find_dates
from .sections import match_marker

DOC_TYPES = r"(?:通知|方案|通报|函|意见|计划|安排|办法|决定|要点|通告|公告)"
_TITLE_HINT = re.compile(rf"^关于|{DOC_TYPES}$|科技活动周")
_ENDS_DOC_TYPE = re.compile(rf"{DOC_TYPES}$")
DOC_NUMBER = re.compile(  # 号 may be left out ("湖科［2025］8") when nothing follows the number
    r"[\u4e00-\u9fffA-Za-z]{1,14}\s*[〔\[［【(（]\s*(?:19|20)\d{2}\s*[〕\]］】)）]\s*第?\s*\d{1,4}\s*(?:号|(?=\s|$))"
)
_ATTACHMENT_ALONE = re.compile(r"^附\s*件\s*\d*\s*[：:]?\s*$")
_ATTACHMENT_LIST = re.compile(r"^附\s*件\s*\d*\s*[：:]\s*\S")
_DATE_ALONE = re.compile(
    r"^(?:(?:19|20)\d{2}|[〇○零一二][〇○零一二三四五六七八九]{3})\s*年\s*[\d一二三四五六七八九十]{1,3}\s*月"
    r"\s*[\d一二三四五六七八九十]{1,3}\s*日$|^(?:19|20)\d{2}\s*([./-])\s*\d{1,2}\s*\1\s*\d{1,2}$"
)


@dataclass
class Signature:
    names: list[str]
    date: dt.date | None
    start: int  # first line of the block
    date_line: int | None


@dataclass
class Layout:
    lines: list[str]
    title: str | None = None
    title_lines: list[int] = field(default_factory=list)
    header_names: list[str] = field(default_factory=list)  # "XX市科学技术局文件" above the title
    salutation: int | None = None
    body_start: int = 0
    body_end: int = 0  # exclusive
    attachment_list: list[str] = field(default_factory=list)  # "附件：…" lines at the body's end
    signature: Signature | None = None
    attachments_start: int | None = None

    def body_lines(self) -> list[str]:
        return self.lines[self.body_start : self.body_end]

    def attachment_lines(self) -> list[str]:
        return self.lines[self.attachments_start :] if self.attachments_start is not None else []

    def header_lines(self) -> list[str]:
        return self.lines[: self.body_start]


def _is_title(text: str) -> bool:
    return (
        4 <= len(text) <= 100
        and bool(_TITLE_HINT.search(text))
        and not text.startswith("各")
        and not re.search(r"[：:。]$", text)
        and not DOC_NUMBER.fullmatch(text)
        and match_marker(text) is None
    )


def _find_title(layout: Layout, limit: int = 25) -> None:
    lines = layout.lines
    seen = 0
    for i, line in enumerate(lines):
        text = line.strip()
        if not text:
            continue
        seen += 1
        if seen > limit or text.endswith(("：", ":")):
            return
        if not _is_title(text):
            org = re.sub(r"(?:文件|文\s*件)$", "", text)
            names = split_signature_line(org)
            if names and all(looks_like_org(n) for n in names):
                layout.header_names.extend(names)
            continue
        layout.title, layout.title_lines = text, [i]
        nxt = next((j for j in range(i + 1, min(i + 3, len(lines))) if lines[j].strip()), None)
        if nxt is not None and not _ENDS_DOC_TYPE.search(text):
            following = lines[nxt].strip()
            if len(following) <= 30 and _ENDS_DOC_TYPE.search(following) and not following.startswith("各"):
                layout.title, layout.title_lines = text + following, [i, nxt]
        return


def _find_salutation(layout: Layout) -> None:
    start = layout.title_lines[-1] + 1 if layout.title_lines else 0
    for i in range(start, min(start + 8, len(layout.lines))):
        text = layout.lines[i].strip()
        if not text or DOC_NUMBER.fullmatch(text):
            continue
        if match_marker(text):
            return
        if text.endswith(("：", ":")) and len(text) <= 160 and "。" not in text:
            layout.salutation = i
            return


def _signature_names(lines: list[str], date_line: int, floor: int) -> tuple[list[str], int]:
    names: list[str] = []
    start = date_line
    i = date_line - 1
    while i >= floor and date_line - i <= 6:
        text = lines[i].strip()
        if text:
            parts = split_signature_line(text)
            if not parts or not all(looks_like_org(p) and len(p) <= 30 for p in parts):
                break
            names[:0] = parts
            start = i
        i -= 1
    return names, start


def _find_signature(layout: Layout) -> None:
    lines = layout.lines
    floor = layout.body_start
    alone = [i for i in range(floor, len(lines)) if _DATE_ALONE.match(lines[i].strip())]
    for i in alone:
        names, start = _signature_names(lines, i, floor)
        if names:
            layout.signature = Signature(names, _date_of(lines[i]), start, i)
            return
    last_numbered = max((i for i in range(floor, len(lines)) if match_marker(lines[i])), default=floor)
    late = [i for i in alone if i > last_numbered]
    if late:
        layout.signature = Signature([], _date_of(lines[late[0]]), late[0], late[0])


def _date_of(line: str) -> dt.date | None:
    found, _ = find_dates(line, None)
    return found[0].date if found else None


def find_layout(lines: list[str]) -> Layout:
    layout = Layout(lines, body_end=len(lines))
    _find_title(layout)
    _find_salutation(layout)
    if layout.salutation is not None:
        layout.body_start = layout.salutation + 1
    elif layout.title_lines:
        layout.body_start = layout.title_lines[-1] + 1
    _find_signature(layout)
    signature = layout.signature
    end = signature.start if signature else len(lines)
    sig_end = signature.date_line + 1 if signature and signature.date_line is not None else None
    for i in range(sig_end if sig_end is not None else layout.body_start, len(lines)):
        text = lines[i].strip()
        if _ATTACHMENT_ALONE.match(text) or (sig_end is not None and _ATTACHMENT_LIST.match(text)):
            layout.attachments_start = i
            end = min(end, i)
            break
    if sig_end is not None and layout.attachments_start is None and any(x.strip() for x in lines[sig_end:]):
        layout.attachments_start = sig_end
    # "附件：1.… 2.…" listed at the body's end, before the signature
    listed = (
        i
        for i in range(layout.body_start, end)
        if _ATTACHMENT_LIST.match(lines[i].strip()) or _ATTACHMENT_ALONE.match(lines[i].strip())
    )
    first_list = next(listed, None)
    if first_list is not None:
        layout.attachment_list = [lines[i].strip() for i in range(first_list, end) if lines[i].strip()]
        end = first_list
    layout.body_end = max(end, layout.body_start)
    return layout
