"""Deadlines: "在5月18日前发至…", "于5月30日下午下班前…发送至…", "请于5月24日16:00将…报送…".

A date in a sentence is a deadline when a deadline word follows it (前 / 之前 / 以前 / 止 / 下班前),
when 截止 / 截至 precedes it, or when "于/在 <date>" is followed by a submission verb. Each deadline
names what is due (the "将 X 发送至" object when the notice has one), a ``kind`` and the deliverables it
``covers``, so that two deadlines for the same deliverable can be compared.
"""

from __future__ import annotations

import datetime as dt
import re

from .dates import DateMention, find_dates
from .draft import Deadline
from .text import clause_around, sentences

_VERB = r"(?:报送|上报|报至|报给|发至|发送|发到|提交|交至|送至|传至|反馈|报名|推荐|报(?=[县市区省我局]))"
_OBJECT = re.compile(
    rf"将(?P<obj>[^，,。；;]{{2,80}}?)(?:[，,]\s*[^，,。；;]{{0,24}}?|(?=[于在])[^，,。；;]{{0,24}}?)?(?:{_VERB})"
)
_SUBMIT = re.compile(_VERB)
_VERB_OBJECT = re.compile(r"[^，,。；;]{0,16}?(?:报送|提交|上报)(?P<obj>[^，,。；;]{2,30})")
_RANGE_AFTER = re.compile(r"\s*(?:至|到|—+|–|-|~|－)\s*(?:\d{1,2}\s*月\s*)?\d{1,2}\s*[日号]")
_COVERS = [
    ("总结", "总结"),
    ("统计表", "统计表"),
    ("此表", "统计表"),
    ("影像", "影像资料"),
    ("照片", "影像资料"),
    ("视频", "影像资料"),
    ("媒体报道", "媒体报道"),
    ("宣传内容", "宣传内容"),
    ("宣传材料", "宣传内容"),
    ("展板", "宣传内容"),
    ("工作人员", "工作人员"),
    ("联络员", "工作人员"),
    ("联系人", "工作人员"),
    ("推荐", "推荐材料"),
    ("报名", "报名"),
    ("方案", "活动方案"),
    ("活动安排", "活动方案"),
    ("活动计划", "活动方案"),
]
KIND_LABELS = {
    "publicity": "宣传内容及工作人员信息",
    "final_report": "活动总结等材料",
    "stat_table": "开展情况统计表",
    "staff": "工作人员名单",
    "nomination": "推荐材料",
    "registration": "报名材料",
    "activity_plan": "活动方案",
}


def _kind(covers: list[str]) -> str:
    if "总结" in covers:
        return "final_report"
    if "统计表" in covers:
        return "stat_table"
    if "宣传内容" in covers:
        return "publicity"
    for word, kind in (
        ("工作人员", "staff"),
        ("推荐材料", "nomination"),
        ("报名", "registration"),
        ("活动方案", "activity_plan"),
    ):
        if word in covers:
            return kind
    return "other"


def _is_deadline(sentence: str, mention: DateMention) -> bool:
    if _RANGE_AFTER.match(sentence, mention.end):
        return False
    before = sentence[max(0, mention.start - 4) : mention.start]
    if mention.is_deadline or re.search(r"截止|截至", before):
        return True
    return bool(re.search(r"[于在]\s*$", before)) and bool(_SUBMIT.search(sentence, mention.end))


def _object(sentence: str, mention: DateMention) -> str | None:
    """What is due: "将X，在<date>发至" / "<date>，将X发送至" / "<date>报送X"."""
    for m in _OBJECT.finditer(sentence):
        around = m.start() <= mention.start and mention.end <= m.end()
        after = mention.end <= m.start() <= mention.end + 12
        if around or after:
            obj = re.sub(r"[（(][^（）()]*[）)]", "", m.group("obj")).strip()
            return obj or None
    follows = _VERB_OBJECT.match(sentence, mention.end)
    if follows is None or re.match(r"至|到|给|[县市区省]", follows.group("obj")):
        return None
    return follows.group("obj").strip()


def _what(obj: str | None, sentence: str, mention: DateMention, kind: str, stat_title: str | None) -> str:
    if obj and not obj.startswith(("此表", "本表")):
        return obj
    if kind == "stat_table" and stat_title:
        return stat_title
    if kind in KIND_LABELS:
        return KIND_LABELS[kind]
    clause = re.split(r"[，,]", sentence[mention.end :])[0].strip(" 。；")
    return clause[:40] or sentence[:40]


def find_deadlines(
    body: str,
    attachments: str,
    default_year: int | None,
    close_of_business: dt.time,
    stat_title: str | None = None,
) -> list[Deadline]:
    found: list[Deadline] = []
    for text, in_attachment in ((body, False), (attachments, True)):
        for sentence in sentences(text):
            mentions, _ = find_dates(sentence, default_year, close_of_business)
            for mention in mentions:
                if not _is_deadline(sentence, mention):
                    continue
                what = _object(sentence, mention)
                clause = clause_around(sentence, mention.start, mention.end)
                covers: list[str] = []
                for word, deliverable in _COVERS:
                    if word in f"{what or ''} {clause}" and deliverable not in covers:
                        covers.append(deliverable)
                if in_attachment and re.search(r"此表|本表", clause) and "统计表" not in covers:
                    covers.append("统计表")
                kind = _kind(covers)
                deadline = Deadline(
                    what=_what(what, sentence, mention, kind, stat_title),
                    due=mention.value,
                    kind=kind,
                    raw=mention.raw,
                    close_of_business=mention.close_of_business,
                    covers=covers,
                    source=sentence,
                )
                if not any(d.due == deadline.due and d.source == deadline.source for d in found):
                    found.append(deadline)
    return found


def same_deliverable(a: Deadline, b: Deadline) -> list[str]:
    """Deliverables both deadlines cover ("统计表")."""
    return [c for c in a.covers if c in b.covers and c not in ("工作人员",)]
