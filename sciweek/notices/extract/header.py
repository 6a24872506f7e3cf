"""The notice's identity: title, year, 文号, date, issuing units, addressees and cited documents."""

from __future__ import annotations

import datetime as dt
import re

from sciweek.orgs.names import looks_like_org, pair_short_names, split_units

from .dates import find_dates
from .draft import Reference
from .layout import DOC_NUMBER, Layout
from .text import clause_around, sentences

_YEAR_IN_TITLE = re.compile(r"((?:19|20)\d{2})\s*年")
_REFERENCE = re.compile(  # the 文号 in brackets after the title: 〔2024〕 [2024] ［2024］ 【2024】, 号 or not
    r"《(?P<title>[^《》\n]{4,100})》\s*(?:[（(]\s*(?P<number>[^（）()\n]{2,30}?[〔\[［【]\s*\d{4}\s*[〕\]］】]\s*第?\d+\s*号?)"
    r"\s*[）)])?"
)
_BASIS = re.compile(r"根据|按照|依据|依照|转发|现将|遵照")
_ISSUER_PHRASES = [
    re.compile(
        r"(?:^|[，,。；;：:])\s*由?(?P<names>[^，,。；;：:]{2,90}?)(?:将|拟|决定|定于[^，,。；;]{0,40}?)?(?:共同|联合)(?:主办|举办|开展)"
    ),
    re.compile(r"由(?P<names>[^，,。；;：:]{2,90}?)(?:共同|联合)?主办"),
    re.compile(r"主办单位\s*[：:]\s*(?P<names>[^。；;\n]{2,120})"),
]


def title_year(title: str | None) -> int | None:
    m = _YEAR_IN_TITLE.search(title or "")
    return int(m.group(1)) if m else None


def find_doc_number(layout: Layout, metadata: dict[str, str]) -> tuple[str | None, str]:
    """The notice's own 文号: a line of its own above the body, else the web page's metadata."""
    for line in layout.header_lines():
        text = line.strip()
        if DOC_NUMBER.fullmatch(text):
            return text, text
    for line in layout.header_lines():
        m = DOC_NUMBER.search(line)
        if m and "《" not in line:
            return m.group(0).strip(), line.strip()
    for key in ("文号", "发文字号"):
        value = metadata.get(key, "").strip()
        if m := DOC_NUMBER.search(value):
            return m.group(0), f"{key}：{value}"
    return None, ""


def find_addressees(layout: Layout) -> tuple[list[str], str]:
    if layout.salutation is None:
        return [], ""
    line = layout.lines[layout.salutation].strip()
    names, _ = split_units(line.rstrip("：:"))
    return names, line


def find_body_issuers(text: str) -> tuple[list[str], str]:
    """Co-organisers named in the body: "县科技局、县委宣传部、县科协将共同主办…"."""
    for sentence in sentences(text):
        for rx in _ISSUER_PHRASES:
            m = rx.search(sentence)
            if not m:
                continue
            names, _ = split_units(re.sub(r"^(?:结合\S*实际|经研究)", "", m.group("names")))
            if names and all(looks_like_org(n) for n in names):
                return names, clause_around(sentence, m.start("names"), m.end())
    return [], ""


def find_issuers(
    layout: Layout, body: str, metadata: dict[str, str]
) -> tuple[list[str], dict[str, str], str]:
    """Issuing units: the signature block's full names (as stamped), then body names that match none.

    Returns (issuers, full name -> short name used in the body, source sentence).
    """
    body_names, body_source = find_body_issuers(body)
    if layout.signature and layout.signature.names:
        full, source = list(layout.signature.names), " ".join(layout.signature.names)
    elif layout.header_names:
        full, source = list(layout.header_names), " ".join(layout.header_names)
    elif metadata.get("发布机构") or metadata.get("发文机关"):
        value = metadata.get("发布机构") or metadata.get("发文机关") or ""
        full, source = split_units(value)[0], value
    else:
        return body_names, {}, body_source
    pairs = pair_short_names(full, body_names)
    matched = set(pairs.values())
    extra = [name for name in body_names if name not in matched and name not in full]
    if body_source:
        source = f"{body_source}\n{source}"
    return full + extra, pairs, source


def find_references(text: str) -> list[Reference]:
    """Higher-level documents the notice rests on: cited with a 文号, or named where it says 根据/转发."""
    found: list[Reference] = []
    for sentence in sentences(text):
        basis = _BASIS.search(sentence)
        previous_end = basis.end() if basis else 0
        for m in _REFERENCE.finditer(sentence):
            title, number = m.group("title").strip(), (m.group("number") or "").strip() or None
            in_basis = basis is not None and basis.start() < m.start()
            if not number and not (in_basis and re.search(r"通知|方案|意见|计划|办法|纲要$", title)):
                previous_end = m.end()
                continue
            before = sentence[previous_end : m.start()] if in_basis else ""
            before = re.sub(r"^[\s，,、和及与以及]+|(?:印发|下发|联合印发|制定)?的?$", "", before)
            issued_by = [n for n in split_units(before)[0] if looks_like_org(n)]
            start = basis.start() if in_basis and basis is not None else m.start()
            source = clause_around(sentence, start, m.end())
            same = next((r for r in found if r.title == title), None)
            if same is None:
                found.append(Reference(title, number, issued_by, source))
            elif number and not same.doc_number:  # the title named it; the body cites it in full
                same.doc_number, same.issued_by, same.source = number, issued_by or same.issued_by, source
            previous_end = m.end()
    return found


def find_issue_date(layout: Layout, metadata: dict[str, str]) -> tuple[dt.date | None, str, bool]:
    """(date, source, from_web_page). The signature's date; else 成文日期 / 发布日期 of the web page."""
    signature = layout.signature
    if signature and signature.date and signature.date_line is not None:
        return signature.date, layout.lines[signature.date_line].strip(), False
    for key in ("成文日期", "发布日期", "发布时间"):
        value = metadata.get(key, "")
        found, _ = find_dates(value, None)
        if found:
            return found[0].date, f"{key}：{value}", True
    return None, "", False


def document_kind(title: str | None, body: str) -> str:
    if title and "转发" in title or re.search(r"现将[^。]{0,80}《[^》]+》[^。]{0,60}转发", body):
        return "forwarding"
    if title and re.search(r"(?:实施|工作|活动)方案$", title):
        return "plan"
    return "notice"
