"""Dates as official documents write them: 2023年6月2日 (GB/T 9704-2012: Arabic numerals, no leading zeros)."""

from __future__ import annotations

import datetime as dt


def cn_date(d: dt.date | None) -> str:
    return f"{d.year}年{d.month}月{d.day}日" if d else ""
