"""Recognising the table's row labels in whatever shape a unit returned them.

People retype labels, add spaces and line breaks, switch brackets to full width, number the
rows, drop the "（如：…）" example, or write "其它" for "其他". A label is therefore compared in a
normalised form, first exactly (label and aliases), then without any bracketed part, and finally
by similarity (difflib ratio ≥ 0.85 with a unique best candidate).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Literal

from sciweek.reports.formspec import COUNT_UNITS, FormSpec

FUZZY_MIN_RATIO = 0.85
#: a fuzzy winner must beat the runner-up by this much, or the match is ambiguous
FUZZY_MIN_MARGIN = 0.02

_EXTRA_TRANSLATE = str.maketrans(
    {
        "【": "(",
        "】": ")",
        "〔": "(",
        "〕": ")",
        "［": "(",
        "］": ")",
        "[": "(",
        "]": ")",
        "｛": "(",
        "｝": ")",
    }
)
_UNITS_ALT = "|".join(sorted({"万元", "元", *COUNT_UNITS}, key=len, reverse=True))
_UNIT_GROUP_RE = re.compile(rf"\((?:计量)?(?:单位[:：]?)?(?:{_UNITS_ALT})\)")
_TRAILING_UNIT_RE = re.compile(rf"(?:[/(]|单位[:：]?)(?:{_UNITS_ALT})\)?$")
_SERIAL_RE = re.compile(r"^(?:\d{1,2}[.、:]|[一二三四五六七八九十]{1,3}[、.]|\(\d{1,2}\)|[①-⑳])")
_PAREN_RE = re.compile(r"\([^()]*\)")
_CJK_RE = re.compile(r"[\u4e00-\u9fff]")
_UNIT_LINE_RE = re.compile(
    r"^(?:填报|报送)?\s*单位\s*(?:名称)?\s*(?:[(（]\s*(?:盖章|公章|签章)\s*[)）])?\s*[:：]\s*(.*)$", re.S
)
_UNIT_LINE_END_RE = re.compile(r"\s{2,}|填报人|联系人|联系电话|电话|填报日期|日期|负责人|审核人")
_UNIT_TOKENS = frozenset({"万元", "元", "单位", "计量单位", *COUNT_UNITS})


def normalize_label(text: str) -> str:
    """Spaces and line breaks out, full-width → half-width, row numbers and unit suffixes dropped."""
    t = unicodedata.normalize("NFKC", text).translate(_EXTRA_TRANSLATE)
    t = "".join(t.split())
    t = _SERIAL_RE.sub("", t)
    t = t.rstrip(":").replace("其它", "其他")
    t = _UNIT_GROUP_RE.sub("", t)
    t = _TRAILING_UNIT_RE.sub("", t)
    return t


def core_label(normalized: str) -> str:
    """A normalised label without any bracketed part: "实物投入情况(如:…)" → "实物投入情况"."""
    previous = None
    t = normalized
    while previous != t:  # nested brackets
        previous, t = t, _PAREN_RE.sub("", t)
    return t


def is_unit_token(value: object) -> bool:
    """A cell holding only a unit of measure ("万元", "人次"), as in a table with a 单位 column."""
    return isinstance(value, str) and "".join(unicodedata.normalize("NFKC", value).split()) in _UNIT_TOKENS


def unit_line(text: str) -> str | None:
    """The unit name in "单位（盖章）：泗县科技局", "" when the line has no name, None if not such a line."""
    m = _UNIT_LINE_RE.match(text.strip())
    if not m:
        return None
    rest = m.group(1).strip()
    end = _UNIT_LINE_END_RE.search(rest)
    if end:
        rest = rest[: end.start()]
    rest = rest.strip(" \u3000_＿:：")
    return None if is_unit_token(rest) else rest


@dataclass(frozen=True, slots=True)
class LabelMatch:
    kind: Literal["row", "section"]
    codes: tuple[str, ...]  # one code for kind "row"; the section's rows for kind "section"
    how: Literal["exact", "core", "fuzzy"]
    score: float = 1.0

    @property
    def code(self) -> str:
        return self.codes[0]


class LabelMatcher:
    """Maps a cell's text to a row of the form (or to a section heading). Results are cached."""

    def __init__(self, spec: FormSpec) -> None:
        self.spec = spec
        self._exact: dict[str, LabelMatch | None] = {}
        self._core: dict[str, LabelMatch | None] = {}
        self._candidates: list[tuple[str, LabelMatch]] = []
        self._cache: dict[str, LabelMatch | None] = {}
        for row in spec.rows:
            match = LabelMatch("row", (row.code,), "exact")
            for text in (row.label, *row.aliases):
                self._add(normalize_label(text), match)
        for section, rows in spec.blocks():
            if not section:
                continue
            # a one-row section ("科普活动开展次数") identifies its row: a unit may have merged the two
            codes = tuple(r.code for r in rows)
            self._add(
                normalize_label(section), LabelMatch("row" if len(codes) == 1 else "section", codes, "exact")
            )

    def _add(self, key: str, match: LabelMatch) -> None:
        if not key:
            return
        for table, k in ((self._exact, key), (self._core, core_label(key))):
            if k in table and table[k] is not None and table[k].codes != match.codes:
                table[k] = None  # the same text means two different rows: never guess
            else:
                table.setdefault(k, match)
        self._candidates.append((core_label(key), match))

    def match(self, text: str) -> LabelMatch | None:
        if text in self._cache:
            return self._cache[text]
        result = self._match(text)
        if len(self._cache) < 10_000:
            self._cache[text] = result
        return result

    def _match(self, text: str) -> LabelMatch | None:
        key = normalize_label(text)
        if not key or not _CJK_RE.search(key):
            return None
        if key in self._exact:
            return self._exact[key]
        core = core_label(key)
        if core in self._core:
            found = self._core[core]
            return None if found is None else LabelMatch(found.kind, found.codes, "core")
        cjk = len(_CJK_RE.findall(core))
        if cjk < 4 or len(core) > 40:
            return None
        best: dict[tuple[str, ...], tuple[float, LabelMatch]] = {}
        # anything below ``floor`` can neither win nor make the winner ambiguous
        floor = FUZZY_MIN_RATIO - FUZZY_MIN_MARGIN
        sm = SequenceMatcher(None, autojunk=False)
        sm.set_seq2(core)
        for candidate, match in self._candidates:
            sm.set_seq1(candidate)
            # the cheap upper bounds first: most cells on a sheet are nowhere near any label
            if sm.real_quick_ratio() < floor or sm.quick_ratio() < floor:
                continue
            ratio = sm.ratio()
            if ratio > best.get(match.codes, (0.0, match))[0]:
                best[match.codes] = (ratio, match)
        ranked = sorted(best.values(), key=lambda item: item[0], reverse=True)
        if not ranked or ranked[0][0] < FUZZY_MIN_RATIO:
            return None
        if len(ranked) > 1 and ranked[0][0] - ranked[1][0] < FUZZY_MIN_MARGIN:
            return None
        ratio, match = ranked[0]
        return LabelMatch(match.kind, match.codes, "fuzzy", round(ratio, 3))
