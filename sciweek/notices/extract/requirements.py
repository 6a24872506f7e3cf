"""Rules the notice sets for every unit, and whom to ask.

- "至少要开展1-2次专题活动" -> at least 1 per unit, 2 wished for;
- "视频时长不超过3分钟" -> 3 minutes;
- "县科学技术局：陈曦  电话：7022310 / 电子邮箱：…" -> the contact.
"""

from __future__ import annotations

import re

from .dates import cn_int
from .draft import Contact
from .sections import Section
from .text import sentences

_N = r"\d{1,3}|[一二两三四五六七八九十]{1,3}"
_MIN_EVENTS = re.compile(
    rf"(?:至少|不少于|最少|不低于)\s*(?:要|需|应|须|需要)?\s*(?:开展|举办|组织|策划|举行)?\s*(?P<a>{_N})"
    rf"(?:\s*(?:-|~|～|至|到|—|－)\s*(?P<b>{_N}))?\s*(?:次|场|项|期)"
)
_VIDEO = re.compile(
    rf"(?:视频|短片|片长|时长)[^。；;，,]{{0,16}}?(?:不超过|不得超过|不超出|不宜超过|控制在|限于?|以内)\s*(?P<n>{_N})\s*分钟"
    rf"|(?:视频|短片)[^。；;]{{0,16}}?(?P<n2>{_N})\s*分钟(?:以内|之内|内)"
)
EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
_PHONE = re.compile(
    r"(?:电话|手机|联系电话|座机|办公电话|TEL|Tel|tel)\s*[：:]?\s*(?P<phone>[\d\-－—()（） ]{5,24}\d)"
    r"|(?P<mobile>(?<!\d)1[3-9]\d{9}(?!\d))|(?P<fixed>(?<!\d)0\d{2,3}-\d{7,8}(?!\d))"
)
_PERSON = re.compile(
    r"联系人\s*[：:]?\s*(?:[\u4e00-\u9fff]{2,20}(?:局|部|会|协|中心|处|科|室|办)\s+)?"
    r"(?P<name>[\u4e00-\u9fff]{2,4}?)(?:同志)?(?=[\s，,；;。（(电手]|$)"
)
_ORG_PERSON = re.compile(
    r"(?P<org>[\u4e00-\u9fff（）()]{2,24}?(?:局|部|会|协|中心|处|科|室|办|委))\s*[：:]\s*"
    r"(?P<name>[\u4e00-\u9fff]{2,4}?)(?:同志)?\s*[，,；;]?\s*(?=电话|手机|联系电话|座机|办公电话)"
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


def _clean_phone(raw: str) -> str:
    return re.sub(r"\s+", "", raw.replace("－", "-").replace("—", "-")).strip("-")


def parse_contacts(text: str) -> list[Contact]:
    """Contacts in a block of text, in order; one per person (phone and e-mail attach to the last person)."""
    contacts: list[Contact] = []
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        person = _ORG_PERSON.search(line) or _PERSON.search(line)
        if person:
            org = person.groupdict().get("org")
            contacts.append(Contact(person=person.group("name"), organisation=org, source=line))
        phone = _PHONE.search(line)
        email = EMAIL.search(line)
        if not (phone or email):
            continue
        if not contacts:
            contacts.append(Contact(source=line))
        current = contacts[-1]
        if phone and current.phone is None:
            current.phone = _clean_phone(
                phone.group("phone") or phone.group("mobile") or phone.group("fixed")
            )
        if email and current.email is None:
            current.email = email.group(0)
        if line not in current.source:
            current.source = f"{current.source}\n{line}".strip()
    return contacts


def find_contacts(root: Section, body: str) -> list[Contact]:
    """The 联系方式 section's contacts; else lines of the body that name a 联系人 or a phone/e-mail."""
    section = root.find(_CONTACT_HEADING)
    if section is not None:
        found = parse_contacts(section.title + "\n" + section.body_text())
        if found:
            return found
    lines = [line for line in body.splitlines() if re.search(r"联系人|联系电话|电话|邮箱|@", line)]
    return parse_contacts("\n".join(lines))
