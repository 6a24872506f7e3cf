"""The body of a board: plain text in paragraphs with a little structure, never HTML.

Blank lines (or single line breaks) separate paragraphs; a line in 【方括号】 or starting with "# " is a
sub-heading; a line starting with "- ", "· " or "• " is a bullet. Everything is escaped where shown, and
anything that looks like an HTML tag is refused so the unit knows the markup will not survive.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

TAG = re.compile(r"</?[a-zA-Z][a-zA-Z0-9]*(\s[^<>]*)?/?>")
BULLETS = ("- ", "· ", "• ", "＊", "* ")


@dataclass(frozen=True)
class Block:
    kind: str  # "heading" | "bullet" | "para"
    text: str


def body_errors(body: str) -> str | None:
    found = TAG.search(body)
    if found:
        return _("宣传内容不能包含网页代码（发现“%(found)s”），请只填写文字，用空行分段。") % {
            "found": found.group(0)[:30]
        }
    return None


def parse_body(body: str) -> list[Block]:
    blocks: list[Block] = []
    for raw in body.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = raw.strip()
        if not line:
            continue
        if line.startswith("# "):
            blocks.append(Block("heading", line[2:].strip()))
        elif line.startswith("【") and line.endswith("】") and len(line) <= 40:
            blocks.append(Block("heading", line[1:-1].strip()))
        elif line.startswith(BULLETS):
            cut = 1 if line[0] in "＊" else 2
            blocks.append(Block("bullet", line[cut:].strip()))
        else:
            blocks.append(Block("para", line))
    return blocks
