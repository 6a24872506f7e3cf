"""Whom to ask: contacts in every form notices write them.

"联系人：张三，电话：0557-1234567" · "联系人及电话：张三 13800000000" · "县科协：李四  13700000000" ·
"市科技局社会发展科  王五  0311-8561234  a@b.cn" · several people for several offices · a landline
with or without its area code, with an extension ("转8021", "-8021") · a mobile · an e-mail on the
person's line, or on a line of its own after everyone (then it is every listed person's).

The text is read as a stream of events (a person, a phone, an e-mail) in order: a person opens a
contact, a phone or e-mail goes to the open contact when it has none yet.
"""

from __future__ import annotations

import re

from .draft import Contact

EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
_EXT = r"(?:\s*(?:转|分机|-)\s*\d{2,5})?"
_PHONE = re.compile(
    r"(?P<mobile>(?<!\d)1[3-9]\d{9}(?!\d))"
    rf"|(?P<fixed>(?<![\d-])(?:[(（]\s*0\d{{2,3}}\s*[)）]|0\d{{2,3}}\s*[-－—]?\s*)\d{{7,8}}{_EXT}(?![\d-]))"
    rf"|(?:电话|座机|办公电话|联系电话|TEL|Tel|tel)\s*[：:]?\s*(?P<local>(?<!\d)\d{{7,8}}{_EXT}(?!\d))"
)
_NAME = r"(?P<name>[\u4e00-\u9fff]{2,4}?)(?:同志|老师|女士|先生)?"
_AFTER_NAME = r"(?=[\s，,；;。（(：:、/]|电话|手机|联系电话|座机|邮箱|\d|$)"
_ORG = r"[\u4e00-\u9fff（）()]{2,24}?(?:局|部|会|协|中心|处|科|室|办|委|馆|院|站|所|股|组)"
_PERSONS = [
    re.compile(
        rf"联\s*系\s*人(?:员)?(?:及(?:联系)?(?:电话|方式)|和电话|姓名)?\s*[：:]?\s*(?:(?P<org>{_ORG})\s+)?{_NAME}{_AFTER_NAME}"
    ),
    re.compile(rf"(?<![\u4e00-\u9fff])(?P<org>{_ORG})\s*[：:]\s*{_NAME}{_AFTER_NAME}"),
    re.compile(
        rf"(?:^|(?<=[\s；;，,。]))(?:(?P<org>{_ORG})\s+)?(?P<name>[\u4e00-\u9fff]{{2,3}})(?:同志)?\s*[，,：:]?\s*"
        r"(?=(?:电话|手机|联系电话)?\s*[：:]?\s*(?:1[3-9]\d{9}|0\d{2,3}-\d))"
    ),
]
_NOT_NAMES = re.compile(
    r"^(?:电话|手机|邮箱|电子|联系|地址|传真|单位|部门|科室|办公|方式|座机|姓名|以上|其他)"
)


def _clean_phone(raw: str) -> str:
    raw = raw.replace("－", "-").replace("—", "-").replace("（", "(").replace("）", ")")
    return re.sub(r"\s+", "", raw).strip("-")


def _events(line: str) -> list[tuple[int, str, re.Match[str]]]:
    events: list[tuple[int, str, re.Match[str]]] = []
    taken: list[tuple[int, int]] = []
    for rx in _PERSONS:
        for m in rx.finditer(line):
            span = m.span("name")
            if _NOT_NAMES.match(m.group("name")) or any(a <= span[0] < b for a, b in taken):
                continue
            events.append((span[0], "person", m))
            taken.append(span)
    for m in EMAIL.finditer(line):
        events.append((m.start(), "email", m))
        taken.append(m.span())
    for m in _PHONE.finditer(line):
        if not any(a <= m.start() < b for a, b in taken):
            events.append((m.start(), "phone", m))
    return sorted(events, key=lambda e: e[0])


def parse_contacts(text: str) -> list[Contact]:
    """Contacts in a block of text, in order; one per person."""
    contacts: list[Contact] = []
    shared_email: str | None = None
    for line in re.split(r"\n|(?<=[；;])", text):
        line = line.strip()
        if not line:
            continue
        events = _events(line)
        if events and all(kind == "email" for _, kind, _ in events) and len(contacts) > 1:
            shared_email = shared_email or events[0][2].group(0)
            continue
        kinds = [kind for _, kind, _ in events]
        if kinds.count("person") > 1 and kinds[-1] == "email" and kinds[-2] != "person":
            shared_email = shared_email or events[-1][2].group(0)  # "甲 电话…乙 电话…邮箱：x" on one line
            events = events[:-1]
        for _, kind, m in events:
            if kind == "person":
                org = m.groupdict().get("org")
                contacts.append(Contact(person=m.group("name"), organisation=org, source=line))
                continue
            if not contacts:
                contacts.append(Contact(source=line))
            current = contacts[-1]
            if kind == "phone" and current.phone is None:
                current.phone = _clean_phone(m.group("mobile") or m.group("fixed") or m.group("local"))
            elif kind == "email" and current.email is None:
                current.email = m.group(0)
            if line not in current.source:
                current.source = f"{current.source}\n{line}".strip()
    if shared_email:
        for contact in contacts:
            contact.email = contact.email or shared_email
    return [c for c in contacts if c.person or c.phone or c.email]
