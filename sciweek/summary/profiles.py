"""Document formats as data. ``gbt9704`` is 党政机关公文格式 (GB/T 9704-2012): A4, 天头 37 mm, 订口 28 mm,
版心 156 × 225 mm, 22 lines of 28 characters, title 2号小标宋, body 3号仿宋, headings 黑体 / 楷体 / 仿宋,
page numbers "— 1 —" in 4号半角宋体 (odd pages right, even pages left, one character in from the edge).

Another county adjusts a copy: ``profile_from_dict({**GBT9704, "body_font": "宋体"})`` or a JSON file in
``SCIWEEK_SUMMARY_PROFILE_DIR`` named ``<key>.json`` holding the keys to change.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

# 字号 in points: 2号 22, 3号 16, 4号 14, 小4 12
SIZE = {"初号": 42, "一号": 26, "二号": 22, "三号": 16, "四号": 14, "小四": 12, "五号": 10.5}


@dataclass(frozen=True)
class Profile:
    key: str = "gbt9704"
    name: str = "党政机关公文格式（GB/T 9704-2012）"
    page_width_mm: float = 210
    page_height_mm: float = 297
    top_mm: float = 37  # 天头
    left_mm: float = 28  # 订口
    text_width_mm: float = 156  # 版心
    text_height_mm: float = 225
    lines_per_page: int = 22
    chars_per_line: int = 28
    title_font: str = "方正小标宋简体"
    title_font_fallback: str = "宋体"
    title_size: float = 22  # 2号
    body_font: str = "仿宋_GB2312"
    body_font_fallback: str = "仿宋"
    body_size: float = 16  # 3号
    h1_font: str = "黑体"
    h2_font: str = "楷体_GB2312"
    h2_font_fallback: str = "楷体"
    h3_font: str = "仿宋_GB2312"
    h3_bold: bool = True
    h4_font: str = "仿宋_GB2312"
    latin_font: str = "Times New Roman"
    page_number_font: str = "宋体"
    page_number_size: float = 14  # 4号
    page_number_format: str = "— {} —"
    odd_even_page_numbers: bool = True
    first_line_indent_chars: int = 2
    signature_right_chars: int = 4  # 落款 右空四字
    image_width_mm: float = 140

    @property
    def right_mm(self) -> float:
        return self.page_width_mm - self.left_mm - self.text_width_mm

    @property
    def bottom_mm(self) -> float:
        return self.page_height_mm - self.top_mm - self.text_height_mm

    @property
    def line_pitch_twips(self) -> int:
        return int(self.text_height_mm / 25.4 * 1440 / self.lines_per_page)

    @property
    def char_space(self) -> int:
        """docGrid charSpace: how far the character pitch is from the body size, in 1/4096 pt."""
        pitch_pt = self.text_width_mm / 25.4 * 72 / self.chars_per_line
        return int((pitch_pt - self.body_size) * 4096)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


GBT9704 = Profile()
PROFILES = {GBT9704.key: GBT9704}


def profile_from_dict(data: dict[str, Any]) -> Profile:
    known = {f.name for f in fields(Profile)}
    unknown = set(data) - known
    if unknown:
        raise ValueError(_("版式中有未知的设置项：%(keys)s") % {"keys": "、".join(sorted(unknown))})
    return Profile(**{**GBT9704.to_dict(), **data})


def get_profile(key: str) -> Profile:
    if key in PROFILES:
        return PROFILES[key]
    folder = os.environ.get("SCIWEEK_SUMMARY_PROFILE_DIR")
    if folder and key.isidentifier():
        path = Path(folder) / f"{key}.json"
        if path.is_file():
            return profile_from_dict({**json.loads(path.read_text("utf-8")), "key": key})
    return GBT9704
