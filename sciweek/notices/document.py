"""A campaign's notice text as a readable page: title, addressees, numbered sections (一、 and the seed's
mixed "2、" style alike), numbered items, the signatures and date, and the 附件 (whose table is offered
as xlsx / docx downloads generated from the form definition rather than shown as raw tabs)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

SECTION = re.compile(r"^([一二三四五六七八九十]+、|\d+、\s+)(.+)$")
ITEM = re.compile(r"^(\d+[\.．、]|（[一二三四五六七八九十\d]+）)\s*(.+)$")
DATE = re.compile(r"^\d{4}年\d{1,2}月\d{1,2}日$")
ARTIFACT = re.compile(r"\[bookmark: [^\]]*\]")
CN_NUMS = "一二三四五六七八九十"


@dataclass
class NoticeBlock:
    kind: str  # title | addressee | para | section | item | attachment_ref | sign | date
    text: str
    number: str = ""


@dataclass
class NoticeDoc:
    blocks: list[NoticeBlock] = field(default_factory=list)
    attachment_title: str = ""
    attachment_notes: list[str] = field(default_factory=list)


def _section_number(n: int) -> str:
    return CN_NUMS[n - 1] + "、" if 1 <= n <= 10 else f"{n}、"


def parse_notice_text(text: str) -> NoticeDoc:
    doc = NoticeDoc()
    lines = [ARTIFACT.sub("", raw).strip() for raw in (text or "").replace("\r\n", "\n").split("\n")]
    body_end = next((i for i, line in enumerate(lines) if line == "附件"), len(lines))
    sections = 0
    for line in lines[:body_end]:
        if not line:
            continue
        if not doc.blocks:
            doc.blocks.append(NoticeBlock("title", line))
        elif line.endswith("：") and len(doc.blocks) == 1:
            doc.blocks.append(NoticeBlock("addressee", line))
        elif m := SECTION.match(line):
            sections += 1  # numbered again in order: the seed writes 一、 2、 3、 四、
            doc.blocks.append(NoticeBlock("section", m.group(2).strip(), _section_number(sections)))
        elif m := ITEM.match(line):
            doc.blocks.append(NoticeBlock("item", m.group(2).strip(), m.group(1)))
        elif line.startswith("附件："):
            doc.blocks.append(NoticeBlock("attachment_ref", line[3:].strip()))
        elif DATE.match(line):
            doc.blocks.append(NoticeBlock("date", line))
        elif re.search(r"\s{3,}", line) or (
            len(line) <= 12 and line.endswith(("局", "部", "协会", "委员会"))
        ):
            for name in re.split(r"\s{2,}", line):
                doc.blocks.append(NoticeBlock("sign", name))
        else:
            doc.blocks.append(NoticeBlock("para", line))
    rest = [line for line in lines[body_end + 1 :] if line]
    if rest:
        doc.attachment_title = rest[0]
        doc.attachment_notes = [line for line in rest if line.startswith(("注：", "注:"))]
    return doc
