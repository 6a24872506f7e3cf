"""Rules the notice sets for every unit, and whom to ask.

- "至少要开展1-2次专题活动" -> at least 1 per unit, 2 wished for;
- "视频时长不超过3分钟" -> 3 minutes;
- "县科学技术局：陈曦  电话：7022310 / 电子邮箱：…" -> the contact.
"""

from __future__ import annotations

import re

from .contacts import parse_contacts
from .dates import cn_int
from .draft import Contact
from .sections import Section
from .text import sentences

_N = r"\d{1,3}|[一二两三四五六七八九十]{1,3}"
_MIN_EVENTS = re.compile(
    rf"(?:至少|不少于|最少|不低于)\s*(?:要|需|应|须|需要)?\s*(?:开展|举办|组织|策划|举行){{0,2}}\s*(?P<a>{_N})"
    rf"(?:\s*(?:-|~|～|至|到|—|－)\s*(?P<b>{_N}))?\s*(?:次|场|项|期)"
)
_VIDEO = re.compile(
    rf"(?:视频|短片|片长|时长)[^。；;，,]{{0,16}}?(?:不超过|不得超过|不超出|不宜超过|控制在|限于?|以内)\s*(?P<n>{_N})\s*分钟"
    rf"|(?:视频|短片)[^。；;]{{0,16}}?(?P<n2>{_N})\s*分钟(?:以内|之内|内)"
)
_CONTACT_HEADING = r"^(?:联系方式|联系人|联系电话|其他事项)"


def find_min_activities(text: str) -> tuple[int | None, int | None, str]:
    """(minimum, target, source): "至少要开展1-2次" -> (1, 2, …)."""
    for sentence in sentences(text):
        m = _MIN_EVENTS.search(sentence)
        if m and re.search(r"活动|宣传|科普", sentence):
            low = cn_int(m.group("a"))
            high = cn_int(m.group("b")) if m.group("b") else None
            if low is None:
                continue
            if high is not None and high < low:
                low, high = high, low
            return low, high, sentence
    return None, None, ""


def find_max_video_minutes(text: str) -> tuple[int | None, str]:
    for sentence in sentences(text):
        m = _VIDEO.search(sentence)
        if m:
            value = cn_int(m.group("n") or m.group("n2"))
            if value:
                return value, sentence
    return None, ""


def find_contacts(root: Section, body: str) -> list[Contact]:
    """The 联系方式 section's contacts; else lines of the body that name a 联系人 or a phone/e-mail."""
    section = root.find(_CONTACT_HEADING)
    if section is not None:
        found = parse_contacts(section.title + "\n" + section.body_text())
        if found:
            return found
    lines = [line for line in body.splitlines() if re.search(r"联系人|联系电话|电话|邮箱|@", line)]
    return parse_contacts("\n".join(lines))
