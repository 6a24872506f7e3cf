"""Clean a notice's text before it is parsed.

Notices arrive copied from Word, from a PDF, or from a government web page. This module makes them
look alike: one kind of line break and digits, simplified characters, no page furniture, and one
numbered item per line even when the whole notice was pasted as a single line.

Chinese punctuation that notices use on purpose (（）：，、) is kept: unit names such as
县自然资源规划局（林业局） are shown as written. Only full-width digits, Latin letters and a few
ASCII-like symbols (＠ ． ／ － ～) are folded, which never changes the meaning of a notice.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

import zhconv

_FOLD: dict[int, int | str | None] = {0xFF10 + i: ord("0") + i for i in range(10)}
_FOLD.update({0xFF21 + i: ord("A") + i for i in range(26)})
_FOLD.update({0xFF41 + i: ord("a") + i for i in range(26)})
_FOLD.update({ord(a): b for a, b in zip("＠．／－～＋＃％＆", "@./-~+#%&", strict=True)})
_FOLD.update({0x3000: " ", 0x00A0: " ", 0x2002: " ", 0x2003: " ", 0x2009: " "})
_FOLD.update({0x200B: None, 0x200C: None, 0x200D: None, 0xFEFF: None, 0x00AD: None})
_FOLD.update({0x0B: "\n", 0x0C: "\n", 0x2028: "\n", 0x2029: "\n"})

_BOOKMARK = re.compile(r"\[bookmark:[^\]\n]*\]")
_PAGE_NUMBER = re.compile(
    r"^\s*(?:[-—–]\s*\d{1,3}\s*[-—–]|\d{1,3}|第\s*\d{1,3}\s*页(?:\s*[/，,]?\s*共\s*\d+\s*页)?)\s*$"
)

METADATA_KEYS = (
    "索引号",
    "主题分类",
    "体裁分类",
    "组配分类",
    "服务对象分类",
    "发布机构",
    "发文机关",
    "成文日期",
    "发布日期",
    "发文字号",
    "文号",
    "生效日期",
    "废止日期",
    "有效性",
    "发布时间",
    "信息来源",
    "来源",
    "浏览次数",
    "点击次数",
    "阅读次数",
    "访问次数",
    "浏览量",
    "责任编辑",
    "编辑",
    "作者",
    "关键词",
    "公开方式",
    "公开范围",
)
_META_KEY = "|".join(sorted(METADATA_KEYS, key=len, reverse=True))
_META_LINE = re.compile(rf"^\s*(?:{_META_KEY})\s*[：:]")
_META_PAIR = re.compile(rf"({_META_KEY})\s*[：:]\s*(.*?)\s*(?=(?:{_META_KEY})\s*[：:]|$)")
_FURNITURE = re.compile(
    r"^\s*(?:"
    r"(?:【[^】\n]{0,12}】\s*)+"  # 【打印本页】【关闭窗口】
    r"|.{0,6}字号\s*[：:]?\s*[\[【]?\s*大\s*[\]】]?\s*[\[【]?\s*中\s*[\]】]?\s*[\[【]?\s*小.*"
    r"|(?:首页|当前位置|您现在的位置|您的位置)\s*[：:>＞»›].*"
    r"|(?:打印本页|打印|关闭窗口|关闭|收藏|分享到?|返回顶部|返回)(?:\s*[|｜/]?\s*(?:打印本页|打印|关闭窗口|关闭|收藏|分享到?))*\s*[：:]?"
    r"|扫一扫.{0,20}"
    r"|(?:上一篇|下一篇)\s*[：:].*"
    r"|(?:微信|微博|QQ空间|QQ)(?:\s+(?:微信|微博|QQ空间|QQ))*"
    r")\s*$"
)


@dataclass
class CleanText:
    text: str
    metadata: dict[str, str] = field(default_factory=dict)
    converted_chars: int = 0  # traditional characters turned simplified
    residue_lines: int = 0  # web-page lines dropped
    resplit: bool = False  # a flattened notice was cut back into lines


def fold_width(text: str) -> str:
    """Full-width digits/letters to ASCII; odd spaces to ' '; CR/LF to '\\n'."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text.translate(_FOLD)


@functools.cache
def _traditional_chars() -> frozenset[str]:
    """Characters that zhconv turns into another one (its single-character entries)."""
    from zhconv import zhconv as tables

    mapping = tables.getdict("zh-hans")
    return frozenset(k for k, v in mapping.items() if len(k) == 1 and v != k)


def to_simplified(text: str) -> tuple[str, int]:
    """Convert to simplified Chinese when the text is written in traditional characters.

    A handful of changed characters is more likely a place name such as 乾县 than a traditional
    notice, so the text is converted only when enough of it changes.
    """
    traditional = _traditional_chars()
    cjk_count = sum(1 for ch in text if "\u4e00" <= ch <= "\u9fff") or 1
    likely = sum(1 for ch in text if ch in traditional)
    if likely < 8 and likely / cjk_count < 0.02:
        return text, 0  # converting a long simplified notice costs more than the rest of the parse
    converted = zhconv.convert(text, "zh-hans")
    if converted == text or len(converted) != len(text):
        return text, 0
    changed = sum(1 for a, b in zip(text, converted, strict=True) if a != b)
    cjk = sum(1 for ch in text if "\u4e00" <= ch <= "\u9fff") or 1
    if changed >= 8 or changed / cjk >= 0.02:
        return converted, changed
    return text, 0


def strip_residue(lines: list[str]) -> tuple[list[str], dict[str, str], int]:
    """Drop web-page furniture and page numbers; keep the metadata block's values for the parser."""
    kept: list[str] = []
    metadata: dict[str, str] = {}
    dropped = 0
    for line in lines:
        line = _BOOKMARK.sub("", line)
        if _META_LINE.match(line) and len(line) < 240:
            for key, value in _META_PAIR.findall(line.strip()):
                metadata.setdefault(key, value.strip())
            dropped += 1
            continue
        page_number = _PAGE_NUMBER.match(line) and not line.startswith("\t")  # "\t1": a table's 序号 cell
        if _FURNITURE.match(line) or page_number:
            dropped += 0 if page_number else 1
            continue
        kept.append(line)
    return kept, metadata, dropped


_BREAK_BEFORE = re.compile(
    r"(?<=[。；;！？!?：:\s）)])\s*(?="
    r"[一二三四五六七八九十]{1,3}、"
    r"|[（(][一二三四五六七八九十]{1,3}[）)]"
    r"|(?<![\d.])\d{1,2}[、.](?![\d])"
    r"|[（(]\d{1,2}[）)]"
    r"|[①-⑳]"
    r"|(?:牵头单位|配合单位|责任单位|协办单位|主办单位|承办单位|活动内容|活动时间|活动地点|联系人|联系电话|电子邮箱"
    r"|组\s*长|副组长|成\s*员|附件)\s*[：:]"
    r"|注\s*[：:]"
    r")"
)
_TITLE_BREAK = re.compile(r"(?<=通知|方案|意见)(?!\s*[》”\"])\s*(?=各|\S)")
_MID_SIGNATURE = re.compile(  # "…邮箱：x@y.cn 梅山县科学技术协会 2024年9月6日 附件 …": a signature before the attachment
    r"(?P<orgs>(?:[\u4e00-\u9fff（）()]{3,30}?(?:委员会|协会|局|部|委|府|中心|厅|会)\s*)+)"
    r"(?P<date>(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日)\s*"
    r"(?:(?P<att>附\s*件)\s*|(?=[^\s。，；]{4,40}?(?:方案|通知|计划|安排)\s))"  # or the issued plan's title
)
_TAIL_DATE = re.compile(r"\s*((?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日)\s*$")
_TAIL_ORG = re.compile(
    r"\s+((?:\S+?(?:局|部|委|会|协|府|室|中心|厅)\s+)*\S+?(?:局|部|委|会|协|府|室|中心|厅))\s*$"
)
_GLUED_ORGS = re.compile(r"[\u4e00-\u9fff（）()]{4,}$")
_ONE_ORG = re.compile(r".+?(?:委员会|协会|学会|中心|局|府|厅|部|委(?!宣传|组织|统战|政法|办|员))")
_HEAD_DOC_NUMBER = re.compile(
    r"[\u4e00-\u9fffA-Za-z]{1,14}\s*[〔\[［【(（]\s*(?:19|20)\d{2}\s*[〕\]］】)）]\s*第?\s*\d{1,4}\s*号?"
)
_CN_NUMBERS = "一二三四五六七八九十"
_GLUED_LABEL = re.compile(  # "…上午地点：…牵头单位：…" with nothing between the pieces
    r"(?<=[^\n\s：:])(?=(?:牵头单位|配合单位|责任单位|协办单位|承办单位|主办单位|活动内容|联系人|联系电话|电子邮箱"
    r"|活动时间|活动地点|(?<!活动)(?<!具体)(?<!联系)时间|(?<!活动)(?<!具体)地点)\s*[：:])"
)


def _glued_signature(line: str) -> tuple[str, list[str]]:
    """Issuing units run into the text before them ("…@example.com南溪县科学技术局南溪县科学技术协会")."""
    m = _GLUED_ORGS.search(line)
    if not m:
        return line, []
    names = _ONE_ORG.findall(m.group(0))
    if not names or "".join(names) != m.group(0) or any(len(n) < 4 for n in names):
        return line, []
    return line[: m.start()], names


_WEB_HEAD = re.compile(rf"\s*(?=(?:{_META_KEY})\s*[：:]|【|(?:首页|当前位置|您现在的位置)\s*[：:>＞»›])")
_WEB_TAIL = re.compile(r"\s*(?=扫一扫|【打印|【关闭|上一篇\s*[：:]|下一篇\s*[：:]|分享到)")


def _web_breaks(line: str) -> str:
    """A web page copied without its line breaks: its breadcrumb, info bar and buttons on lines of
    their own (where strip_residue drops them), before the salutation and after the signature."""
    salutation = re.search(r"(?:^|(?<=[\s】]))各[^。；\n]{1,80}?[：:]", line)
    head_end = salutation.start() if salutation else min(len(line), 600)
    head = _WEB_HEAD.sub("\n", line[:head_end])
    head = re.sub(r"(?<=[^\s《])(?=关于[^。；]{4,60}?(?:通知|方案))", "\n", head, count=1)
    head = re.sub(r"】\s*(?=[^【\s])", "】\n", head)
    tail = _WEB_TAIL.sub("\n", line[head_end:])
    return head + ("\n" if salutation and not head.endswith("\n") else "") + tail


def _mid_signature(m: re.Match[str]) -> str:
    """The signature found before 附件, each issuer on a line; the text it was glued to stays put."""
    names: list[str] = []
    before = ""
    for part in m.group("orgs").split():
        # "…的通知宁安市科学技术局": the issuer starts after the last word that cannot end a name
        glued = re.match(r"(.*(?:通知|方案|》|）|\)|。|号))(.+)$", part)
        head, name = (glued.group(1), glued.group(2)) if glued else ("", part)
        if head and not names:
            before = head
        found = _ONE_ORG.findall(name)
        names += found if found and "".join(found) == name else [name]
    attached = "附件\n" if m.group("att") else ""
    return f"{before}\n" + "\n".join(names) + f"\n{m.group('date')}\n{attached}"


def _split_head(line: str) -> str:
    """Title, 文号 and salutation on lines of their own."""
    head, body = line[:400], line[400:]
    doc = _HEAD_DOC_NUMBER.search(head)
    if doc and doc.start() < 200:
        # the title or the issuers ran into the 文号: it starts after the last of them
        before = re.split(r"[〔\[［【(（]", doc.group(0))[0]
        prefix = re.match(r".*(?:通知|方案|文件|意见|局|会|委|府|厅|室)", before[:-1])
        start = doc.start() + (prefix.end() if prefix else 0)
        if not re.search(
            r"[（(》]\s*$", head[:start]
        ):  # not a cited document's 文号 "《…》（国科〔2024〕38号）"
            head = f"{head[:start].rstrip()}\n{head[start : doc.end()]}\n{head[doc.end() :].lstrip()}"
    head = re.sub(r"^(.{2,40}?文\s*件)\s*(?=\S)", r"\1\n", head, count=1)
    first, sep, rest = head.partition("\n")
    glued, names = _glued_signature(first)
    if len(names) > 1 and not glued:  # "云川市科学技术局云川市科学技术协会" above the title
        head = "\n".join(names) + sep + rest
    head = re.sub(r"(?<=[\s号件])\s*(?=关于)", "\n", head, count=1)
    head = _TITLE_BREAK.sub("\n", head, count=1)
    head = re.sub(r"(?:^|(?<=\n))\s*(各[^。；\n]{1,80}?[：:])\s*", r"\1\n", head, count=1)
    return head + body


def _sequence_breaks(text: str) -> str:
    """Break before 二、 三、 … wherever they stand, as long as they keep counting from 一、."""
    out, pos, n = [], 0, 1
    while n <= 10:
        marker = _CN_NUMBERS[n - 1] + "、"
        i = text.find(marker, pos)
        if i < 0:
            break
        out.append(text[pos:i])
        pos, n = i, n + 1
    out.append(text[pos:])
    return "\n".join(out)


def looks_flattened(lines: list[str]) -> bool:
    """True for a notice whose structure was lost: few very long lines holding several numbered items."""
    content = [line for line in lines if line.strip()]
    if not content or len(content) > 6:
        return False
    longest = max(content, key=len)
    breaks = len(_BREAK_BEFORE.findall(longest))
    if len(longest) > 200 and breaks >= 3:
        return True
    # a short notice on one line: its title runs into the salutation
    return (
        len(longest) > 100
        and breaks >= 1
        and bool(re.search(r"(?:通知|方案)\s*各[^。；]{1,80}?[：:]", longest))
    )


def resplit(line: str) -> list[str]:
    """Cut a flattened notice back into lines at its numbering, labels, salutation and signature."""
    date = _TAIL_DATE.search(line)
    tail: list[str] = []
    if date:
        line, tail = line[: date.start()], [date.group(1)]
        org = _TAIL_ORG.search(line)
        if org and len(org.group(1)) <= 60:
            names = re.split(r"\s+", org.group(1))
            glued_before, glued = _glued_signature(names[0])
            if glued and glued_before:  # "…@example.com南溪县科学技术局 南溪县科学技术协会"
                names[:1] = glued
            line = line[: org.start()] + (" " + glued_before if glued and glued_before else "")
            tail = [*names, *tail]
        else:
            line, names = _glued_signature(line)
            tail = [*names, *tail]
    line = _web_breaks(line)
    line = _MID_SIGNATURE.sub(_mid_signature, line)
    head = "\n附件\n".join(_split_head(part) for part in line.split("\n附件\n"))  # ours, then the attached
    head = _sequence_breaks(head)
    head = re.sub(
        r"(?<=[\u4e00-\u9fff])(?=[（(][一二三四五六七八九十]{1,2}[）)]|(?<![\d.])\d{1,2}\.[\u4e00-\u9fff])",
        "\n",
        head,
    )
    head = _GLUED_LABEL.sub("\n", head)
    head = re.sub(r"\s+(附\s*件\s*\d{0,2})\s+(?=\S)", r"\n\1\n", head)  # "… 附件2 …统计表 …"
    body = _BREAK_BEFORE.sub("\n", head)
    return [part.strip() for part in body.split("\n") if part.strip()] + tail


def clean(text: str) -> CleanText:
    """Normalise a notice's text; trailing spaces go, tabs (table cells) and blank lines stay."""
    text = fold_width(text)
    text, converted = to_simplified(text)
    lines = [line.rstrip(" ") for line in text.split("\n")]  # keep tabs: empty table cells
    # cut a flattened page first: its breadcrumb or info bar would otherwise take the whole line with it
    was_flat = looks_flattened(lines)
    if was_flat:
        lines = [part for line in lines for part in (resplit(line.strip()) if len(line) > 100 else [line])]
    lines, metadata, dropped = strip_residue(lines)
    while lines and not lines[0].strip():
        lines.pop(0)
    while lines and not lines[-1].strip():
        lines.pop()
    return CleanText("\n".join(lines), metadata, converted, dropped, was_flat)


def sentences(text: str) -> list[str]:
    """Split into sentences at 。；！？ and line ends, keeping the end mark."""
    parts = re.findall(r"[^。；;！？!?\n]+[。；;！？!?]?", text)
    return [p.strip() for p in parts if p.strip()]


def clause_around(sentence: str, start: int, end: int) -> str:
    """The part of ``sentence`` between the commas around [start, end)."""
    left = max(sentence.rfind(mark, 0, start) for mark in "，,；;")
    right = min(
        (i for i in (sentence.find(mark, end) for mark in "，,；;。") if i >= 0), default=len(sentence)
    )
    return sentence[left + 1 : right].strip() + ("。" if sentence[right : right + 1] == "。" else "")
