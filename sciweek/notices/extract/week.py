"""The week itself: its dates, its theme and the content themes events are tagged with."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from .dates import DateMention, DateRange, find_dates, find_range
from .draft import ContentTheme
from .sections import Section
from .text import sentences

_PERIOD_HEADING = r"^(?:活动时间|时间安排|举办时间|活动日期)"
_THEME_HEADING = r"^(?:活动主题|主题)"
_CONTENT_HEADING = r"^(?:主要内容|宣传重点|重点内容|宣传内容|活动重点|主要任务|重点任务)"
_INLINE_THEME = re.compile(
    r"(?:活动)?主题\s*(?:为|是|[：:])\s*(?P<q>[“\"「『])?(?P<theme>[^”\"」』。；\n]{2,60})"
)
_INLINE_PERIOD = re.compile(r"(?:活动时间|举办时间|时间)\s*(?:为|[：:])|定于|于|期间")
_QUOTES = '“”"「」『』‘’'


@dataclass
class Period:
    range: DateRange | None
    single: bool  # one day only ("活动时间：5月20日")
    source: str


def find_period(root: Section, preamble: str, default_year: int | None) -> Period:
    """The week's dates: the 活动时间 section, else a sentence naming the week with a date range."""
    section = root.find(_PERIOD_HEADING)
    candidates: list[str] = []
    if section is not None:
        candidates.append(section.body_text() or section.title)
    candidates += [s for s in sentences(preamble) if _INLINE_PERIOD.search(s)]
    candidates += [s for s in sentences(root.full_text()) if "活动时间" in s or "活动周" in s]
    for text in candidates:
        found = find_range(text, default_year)
        if found:
            return Period(found, False, _sentence_of(text, found.raw))
    if section is not None:
        month = _whole_month(section.body_text() or section.title, default_year)
        if month is not None:
            return month
        dates, _ = find_dates(section.body_text(), default_year)
        if dates:
            return Period(
                DateRange(dates[0], dates[0], dates[0].raw),
                True,
                _sentence_of(section.body_text(), dates[0].raw),
            )
    return Period(None, False, "")


_MONTH = re.compile(
    r"(?:(?P<y>(?:19|20)\d{2})\s*年\s*)?(?P<m>\d{1,2})\s*月(?:份)?(?:全月|整月)?(?!\s*\d|\s*[上中下]旬)"
)


def _whole_month(text: str, default_year: int | None) -> Period | None:
    """ "活动时间：2024年9月" (a 科普月): the whole month."""
    if find_dates(text, default_year)[0]:
        return None
    m = _MONTH.search(text)
    year = int(m.group("y")) if m and m.group("y") else default_year
    if m is None or year is None or not 1 <= int(m.group("m")) <= 12:
        return None
    first = dt.date(year, int(m.group("m")), 1)
    last = (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
    start, end = (
        DateMention(m.start(), m.end(), m.group(0), first),
        DateMention(m.start(), m.end(), m.group(0), last),
    )
    return Period(DateRange(start, end, m.group(0)), False, _sentence_of(text, m.group(0)))


def _sentence_of(text: str, needle: str) -> str:
    return next((s for s in sentences(text) if needle in s), needle)


def clean_theme(text: str) -> str:
    text = text.strip().strip(_QUOTES).strip()
    text = re.sub(r"[。；;]$", "", text).strip(_QUOTES)
    text = re.sub(r"[”\"」』]\s*[“\"「『]", " ", text)  # “热爱科学”“崇尚科学”
    return re.sub(r"\s+", " ", text).strip()


def find_theme(root: Section, text: str) -> tuple[str | None, str]:
    section = root.find(_THEME_HEADING)
    if section is not None:
        body = section.body_text()
        first = next((line.strip() for line in body.splitlines() if line.strip()), "")
        if not first and section.title != "活动主题":
            first = re.sub(r"^(?:活动)?主题\s*[：:为]?\s*", "", section.title)
        if first:
            first = re.sub(
                r"^(?:今年|本次|本届)?(?:活动周)?(?:的)?(?:活动)?主题(?:为|是)?\s*[：:]?", "", first
            )
            return clean_theme(first) or None, first
    m = _INLINE_THEME.search(text)
    if m:
        theme = m.group("theme")
        if m.group("q"):
            theme = re.split(r"[”\"」』]", theme)[0]
            rest = text[m.end("theme") : m.end("theme") + 40]
            more = re.match(r"[”\"」』]\s*[“\"「『]([^”\"」』]{2,30})", rest)
            if more:
                theme = f"{theme} {more.group(1)}"
        return clean_theme(theme) or None, _sentence_of(text, m.group(0))
    return None, ""


def short_title(text: str) -> str:
    """An item's short title: its first sentence, without "（以下简称…）" and the end mark."""
    text = re.sub(r"[（(]以下简称[^）)]*[）)]", "", text.strip())
    first = re.split(r"[。；;！!？?]", text, maxsplit=1)[0]
    first = (
        re.split(r"[：:]", first, maxsplit=1)[0]
        if len(first) > 40 and re.search(r"[：:]", first[:30])
        else first
    )
    return first.strip()


def find_content_themes(root: Section, activities_section: Section | None) -> list[ContentTheme]:
    section = root.find(_CONTENT_HEADING)
    if section is None or section is activities_section:
        return []
    themes: list[ContentTheme] = []
    for child in section.children:
        full = child.title + ("\n" + child.body_text() if child.body_text() else "")
        first = re.split(r"(?<=[。；;！!？?])", child.header, maxsplit=1)[0]
        themes.append(ContentTheme(child.number, short_title(child.title), full.strip(), first))
    return themes
