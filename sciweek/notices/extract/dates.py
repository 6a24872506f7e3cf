"""Chinese dates, date ranges and deadlines as notices write them.

Handled forms: 2023年5月20日, 二〇二三年五月十五日, 5月18日 (year taken from the notice),
2024.5.18, 2024-05-18, 2024/5/18; ranges "2023年5月20日至31日", "5月25日—6月1日",
"2024.5.18-5.24"; times "17:00", "17：00", "16时30分", "下午5点", "下午下班前" (the configured
close of business), and the deadline words 前 / 之前 / 以前 / 止 / 为止.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.utils.translation import gettext

CN_NUM = {
    "〇": 0,
    "○": 0,
    "零": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_CN = "〇○零一二三四五六七八九十两"


def cn_int(text: str) -> int | None:
    """'15', '十五', '二十', '三十一', '二〇二三' -> int; None when it is not a number."""
    text = text.strip()
    if text.isdigit():
        return int(text)
    if not text or any(ch not in _CN for ch in text):
        return None
    if "十" not in text:  # digit by digit: 二〇二三
        return int("".join(str(CN_NUM[ch]) for ch in text))
    tens, _, ones = text.partition("十")
    if len(tens) > 1 or len(ones) > 1:
        return None
    return (CN_NUM[tens] if tens else 1) * 10 + (CN_NUM[ones] if ones else 0)


_Y = r"(?P<y>(?:19|20)\d{2}|[〇○零一二][〇○零一二三四五六七八九]{3})\s*年\s*"
_M = r"(?P<m>\d{1,2}|十[一二]?|[一二三四五六七八九])\s*月\s*"
_D = r"(?P<d>\d{1,2}|[一二三]?十[一二三四五六七八九]?|[一二三四五六七八九])\s*[日号]"
_CN_DATE = re.compile(rf"(?:{_Y})?{_M}{_D}")
_NUM_DATE = re.compile(
    r"(?<![\d.])(?P<y>(?:19|20)\d{2})\s*(?P<sep>[./-])\s*(?P<m>\d{1,2})\s*(?P=sep)\s*(?P<d>\d{1,2})(?![\d])"
)
_WEEKDAY = r"(?:\s*[（(]?\s*(?:星期|周)[一二三四五六日天]\s*[）)]?)?"
_TIME = re.compile(
    _WEEKDAY + r"\s*(?P<period>上午|下午|中午|晚上|早上|凌晨)?\s*"
    r"(?:(?P<h>\d{1,2})\s*(?:[:：]\s*(?P<mi>\d{2})|[时点]\s*(?:(?P<mi2>\d{1,2})\s*分|(?P<half>半))?)"
    r"|(?P<cob>下班))?"
    r"\s*(?P<suffix>下班(?:之)?前|之前|以前|前|为止|止)?"
)
_RANGE_SEP = re.compile(r"\s*(?:至|到|—+|–|-|~|－|一)\s*")
_PARTIAL_END = re.compile(rf"(?:{_Y})?(?:{_M})?{_D}")
_PARTIAL_NUM_END = re.compile(
    r"(?:(?P<y>(?:19|20)\d{2})\s*[./-]\s*)?(?:(?P<m>\d{1,2})\s*[./-]\s*)?(?P<d>\d{1,2})(?![\d年月])"
)


@dataclass
class DateMention:
    start: int
    end: int
    raw: str
    date: dt.date
    time: dt.time | None = None
    has_year: bool = True
    is_deadline: bool = False  # followed by 前 / 之前 / 以前 / 止, or "下班前"
    close_of_business: bool = False  # the time is the configured close of business, not written

    @property
    def value(self) -> dt.date | dt.datetime:
        return dt.datetime.combine(self.date, self.time) if self.time else self.date


@dataclass
class DateRange:
    start: DateMention
    end: DateMention
    raw: str


def _make_date(y: int | None, m: int | None, d: int | None, default_year: int | None) -> dt.date | None:
    year = y if y is not None else default_year
    if year is None or m is None or d is None:
        return None
    try:
        return dt.date(year, m, d)
    except ValueError:
        return None


def _time_after(text: str, pos: int, close_of_business: dt.time) -> tuple[int, dt.time | None, bool, bool]:
    """Read a time and a deadline word right after a date: (end, time, is_deadline, implied)."""
    m = _TIME.match(text, pos)
    if not m or m.end() == pos:
        return pos, None, False, False
    suffix = m.group("suffix") or ""
    period = m.group("period") or ""
    if m.group("h"):
        hour, minute = (
            int(m.group("h")),
            int(m.group("mi") or m.group("mi2") or (30 if m.group("half") else 0)),
        )
        if period in ("下午", "晚上") and hour < 12:
            hour += 12
        if hour > 23 or minute > 59:
            return m.start("h"), None, False, False
        return m.end(), dt.time(hour, minute), bool(suffix), False
    if suffix.startswith("下班") or m.group("cob"):
        if period == "上午":
            return m.end(), dt.time(12, 0), True, True
        return m.end(), close_of_business, True, True
    if suffix:
        return m.end(), None, True, False
    return pos, None, False, False  # only a weekday or a lone 上午: not part of the date phrase


def find_dates(
    text: str, default_year: int | None, close_of_business: dt.time = dt.time(17, 30)
) -> tuple[list[DateMention], list[str]]:
    """Every date in ``text`` (with its time and deadline word); also the invalid dates seen, as written."""
    found: list[DateMention] = []
    invalid: list[str] = []
    taken = bytearray(len(text) + 1)  # positions already inside a date phrase
    for pattern in (_NUM_DATE, _CN_DATE):
        for m in pattern.finditer(text):
            if taken[m.start()]:
                continue
            y = cn_int(m.group("y")) if m.group("y") else None
            date = _make_date(y, cn_int(m.group("m")), cn_int(m.group("d")), default_year)
            if date is None:
                if y is not None or default_year is not None:
                    invalid.append(m.group(0))
                continue
            end, time, is_deadline, implied = _time_after(text, m.end(), close_of_business)
            found.append(
                DateMention(
                    m.start(),
                    end,
                    text[m.start() : end].strip(),
                    date,
                    time,
                    y is not None,
                    is_deadline,
                    implied,
                )
            )
            taken[m.start() : end] = b"\x01" * (end - m.start())
    found.sort(key=lambda d: d.start)
    return found, invalid


def find_range(text: str, default_year: int | None) -> DateRange | None:
    """The first "A至B" date range in ``text``; B may omit year and month ("5月20日至31日")."""
    mentions, _ = find_dates(text, default_year)
    for first in mentions:
        sep = _RANGE_SEP.match(text, first.end)
        if not sep:
            continue
        numeric = bool(_NUM_DATE.match(text, first.start))
        m = (_PARTIAL_NUM_END if numeric else _PARTIAL_END).match(text, sep.end())
        if not m:
            continue
        y = cn_int(m.group("y")) if m.group("y") else first.date.year
        month = cn_int(m.group("m")) if m.group("m") else first.date.month
        end_date = _make_date(y, month, cn_int(m.group("d")), None)
        if end_date is None:
            continue
        end = DateMention(sep.end(), m.end(), m.group(0), end_date, None, first.has_year)
        return DateRange(first, end, text[first.start : m.end()])
    return None


def format_cn(value: dt.date | dt.datetime) -> str:
    """2023年5月30日 / 2023年5月30日17:30."""
    text = f"{value.year}年{value.month}月{value.day}日"
    if isinstance(value, dt.datetime):
        text += f"{value.hour}:{value.minute:02d}"
    return text


def parse_hhmm(text: str) -> dt.time:
    """'17:30' -> time(17, 30); raises ValueError with a Chinese message otherwise."""
    m = re.fullmatch(r"\s*(\d{1,2})\s*[:：]\s*(\d{2})\s*", text)
    if not m or int(m.group(1)) > 23 or int(m.group(2)) > 59:
        raise ValueError(gettext("下班时间“%(text)s”格式不对，应为 HH:MM，例如 17:30") % {"text": text})
    return dt.time(int(m.group(1)), int(m.group(2)))
