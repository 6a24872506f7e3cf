"""The notice importer's entry points: text (or an uploaded file) in, a reviewed-to-be draft out.

``parse_notice`` never raises. Each extraction step runs on its own; a step that fails leaves its
fields empty and adds an ``internal_error`` warning (and logs the traceback), so a reviewer still gets
everything the other steps found. Tests assert that no such warning appears for real notices.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Callable

from . import draft as d
from .activities import find_activities
from .checks import check_all
from .committee import find_leading_group
from .confidence import score_fields
from .contacts import parse_contacts
from .dates import find_dates
from .deadlines import find_deadlines
from .draft import NoticeDraft
from .header import (
    document_kind,
    find_addressees,
    find_doc_number,
    find_issue_date,
    find_issuers,
    find_references,
    title_year,
)
from .layout import Layout, find_layout
from .readers import NoticeFileError, read_notice_bytes
from .requirements import find_contacts, find_max_video_minutes, find_min_activities
from .sections import Outline, Section, build_outline
from .stat_table import parse_stat_table
from .tables import TableFound, find_tables, without_tables
from .text import CleanText, clean
from .week import find_content_themes, find_period, find_theme

logger = logging.getLogger(__name__)

CLOSE_OF_BUSINESS = dt.time(17, 30)
_ISSUING = re.compile(r"印发")
_ISSUING_BODY = re.compile(r"现将《[^》]{2,80}(?:方案|计划|安排)》印发")


def read_notice_file(data: bytes, filename: str) -> str:
    """The text of an uploaded notice. The type comes from the content, never from ``filename``
    (used only in messages). Raises :class:`NoticeFileError` with a Chinese message."""
    try:
        return read_notice_bytes(data)
    except NoticeFileError as exc:
        name = re.sub(r"[\\/\x00-\x1f]", "_", filename or "")[-80:]
        raise NoticeFileError(f"{name}：{exc}" if name else str(exc)) from exc


def parse_notice_file(
    data: bytes, filename: str, *, close_of_business: dt.time = CLOSE_OF_BUSINESS
) -> NoticeDraft:
    """Read and parse an upload; an unreadable file gives an empty draft with a ``file_unreadable`` warning."""
    try:
        text = read_notice_file(data, filename)
    except NoticeFileError as exc:
        draft = NoticeDraft()
        draft.warn(d.FILE_UNREADABLE, str(exc), field="file")
        return draft
    return parse_notice(text, close_of_business=close_of_business)


def parse_notice(text: str, *, close_of_business: dt.time = CLOSE_OF_BUSINESS) -> NoticeDraft:
    """Extract a campaign draft from a notice's text. Never raises; problems become warnings."""
    draft = NoticeDraft()
    if not isinstance(text, str) or not text.strip():
        draft.warn(d.EMPTY_INPUT, "通知内容为空，没有可识别的内容。")
        return draft
    _NoticeParse(draft, text, close_of_business).run()
    return draft


_STEP_NAMES = {
    "text": "文本整理",
    "header": "标题与文号",
    "outline": "章节编号",
    "parties": "发文单位与依据文件",
    "week": "活动时间与主题",
    "activities": "主要活动",
    "stat_form": "统计表",
    "deadlines": "截止时间",
    "rules": "活动要求与联系方式",
    "group": "领导小组",
    "years": "日期年份",
    "checks": "一致性检查",
    "confidence": "识别把握度",
}


class _NoticeParse:
    def __init__(self, draft: NoticeDraft, text: str, close_of_business: dt.time) -> None:
        self.draft = draft
        self.raw = text
        self.cob = close_of_business
        self.clean = CleanText(text)
        self.layout = Layout([])
        self.outline = Outline(Section(None, None, "", "", 0))
        self.content_root = self.outline.root  # where dates/theme/activities are read first: our own text
        self.forwarded_root: Section | None = None  # a forwarded notice's, read where our own text is silent
        self.tables: list[TableFound] = []
        self.forwarded_tables: list[TableFound] = []
        self.attachment_tables: list[TableFound] = []
        self.issuing = False  # "关于印发《…活动方案》的通知": the attached plan is our own text
        self.body = ""
        self.attachments = ""

    def run(self) -> None:
        for step, fn in self._steps():
            try:
                fn()
            except Exception:
                logger.exception("notice import: step %s failed", step)
                self.draft.warn(
                    d.INTERNAL_ERROR, f"解析“{_STEP_NAMES[step]}”时出错，相关内容请手工核对填写。", field=step
                )

    def _steps(self) -> list[tuple[str, Callable[[], None]]]:
        return [
            ("text", self.read_text),
            ("header", self.read_header),
            ("outline", self.read_outline),
            ("parties", self.read_parties),
            ("week", self.read_week),
            ("activities", self.read_activities),
            ("stat_form", self.read_stat_form),
            ("deadlines", self.read_deadlines),
            ("rules", self.read_rules),
            ("group", self.read_group),
            ("years", self.check_years),
            ("checks", lambda: check_all(self.draft)),
            ("confidence", self.score),
        ]

    def read_text(self) -> None:
        self.clean = clean(self.raw)
        draft, ct = self.draft, self.clean
        draft.metadata = ct.metadata
        if ct.converted_chars:
            draft.warn(
                d.TEXT_CONVERTED, f"通知为繁体字，已转换为简体（{ct.converted_chars}处）。", severity=d.INFO
            )
        if ct.residue_lines or ct.metadata:
            draft.warn(
                d.WEB_RESIDUE_REMOVED,
                f"已去除网页信息栏、按钮等无关内容（{ct.residue_lines}行）。",
                severity=d.INFO,
            )
        if ct.resplit:
            draft.warn(
                d.TEXT_RESPLIT, "通知全文被排成了一行，已按编号重新分行，请核对分段。", severity=d.INFO
            )
        self.layout = find_layout(self.clean.text.split("\n"))
        self.body = "\n".join(self.layout.body_lines())
        self.attachments = "\n".join(self.layout.attachment_lines())

    def read_header(self) -> None:
        draft, layout = self.draft, self.layout
        draft.title = layout.title
        if layout.title:
            draft.sources["title"] = layout.title
        draft.kind = document_kind(layout.title, self.body)
        draft.doc_number, source = find_doc_number(layout, draft.metadata)
        if source:
            draft.sources["doc_number"] = source
        draft.addressees, source = find_addressees(layout)
        if source:
            draft.sources["addressees"] = source
        draft.issue_date, source, from_web = find_issue_date(layout, draft.metadata)
        if source:
            draft.sources["issue_date"] = source
        if from_web:
            draft.warn(
                d.MISSING_ISSUE_DATE,
                f"正文无落款日期，发文日期取自网页信息（{source}）。",
                severity=d.INFO,
                field="issue_date",
            )
        draft.year = title_year(layout.title)
        if draft.year:
            draft.sources["year"] = layout.title or ""

    def read_outline(self) -> None:
        lines = self.layout.body_lines()
        self.tables = find_tables(lines)
        own_lines = without_tables(lines, self.tables)
        self.body = "\n".join(own_lines)  # a table's 联系人 column is not the contact
        self.outline = build_outline(own_lines, self.layout.body_start)
        self.content_root = self.outline.root
        if self.outline.mixed:
            markers = "、".join(m.rstrip("、.") for m in self.outline.top_markers)
            self.draft.warn(
                d.NUMBERING_MIXED,
                f"一级标题编号格式不统一（{markers}），已按顺序识别为同一级标题。",
                field="outline",
            )
        if self.outline.out_of_order:
            self.draft.warn(
                d.NUMBERING_OUT_OF_ORDER,
                "编号不连续或重复：" + "；".join(self.outline.out_of_order[:5]),
                field="outline",
            )
        if self.draft.kind != "forwarding" and self.layout.attachments_start is not None:
            # "附件1：2024年科技活动周活动安排表": a table of activities attached to our own notice
            self.attachment_tables = find_tables(self.layout.attachment_lines())
            self.issuing = bool(_ISSUING.search(self.draft.title or "") or _ISSUING_BODY.search(self.body))
        if (self.draft.kind == "forwarding" or self.issuing) and self.layout.attachments_start is not None:
            forwarded = find_layout(self.layout.attachment_lines())
            lines = forwarded.body_lines()
            self.forwarded_tables = find_tables(lines)
            self.forwarded_root = build_outline(without_tables(lines, self.forwarded_tables)).root

    def default_year(self) -> int | None:
        draft = self.draft
        if draft.year:
            return draft.year
        if draft.issue_date:
            return draft.issue_date.year
        m = re.search(r"((?:19|20)\d{2})\s*年", self.clean.text)
        return int(m.group(1)) if m else None

    def read_parties(self) -> None:
        draft = self.draft
        draft.issuers, draft.issuer_short_names, source = find_issuers(self.layout, self.body, draft.metadata)
        if source:
            draft.sources["issuers"] = source
        header = "\n".join(line for line in self.layout.header_lines() if line.strip())
        draft.references = find_references(f"{header}\n{self.body}")
        if self.issuing:  # the plan this notice issues is its own, not a higher-level document
            issued = set(re.findall(r"印发[^《]{0,10}《([^》]+)》", f"{draft.title}\n{self.body}"))
            draft.references = [r for r in draft.references if r.title not in issued]
        if draft.references:
            draft.sources["references"] = draft.references[0].source

    def _roots(self) -> list[Section]:
        return [self.content_root] + ([self.forwarded_root] if self.forwarded_root is not None else [])

    def read_week(self) -> None:
        draft = self.draft
        for root in self._roots():
            period = find_period(root, "\n".join(root.lines), self.default_year())
            if period.range:
                draft.start_date, draft.end_date = period.range.start.date, period.range.end.date
                draft.sources["start_date"] = draft.sources["end_date"] = period.source
                break
        if draft.year is None and draft.start_date:
            draft.year = draft.start_date.year
            draft.sources["year"] = draft.sources["start_date"]
        for root in self._roots():
            draft.theme, source = find_theme(root, root.full_text())
            if source:
                draft.sources["theme"] = source
                break

    def read_activities(self) -> None:
        draft = self.draft
        section = None
        own = [*self.tables, *([] if self.issuing else self.attachment_tables)]
        for root, tables in ((self.content_root, own), (self.forwarded_root, self.forwarded_tables)):
            if root is None:
                continue
            draft.activities, section = find_activities(root, self.default_year(), tables)
            if draft.activities:
                break
        if section is not None:
            draft.sources["activities"] = section.header
        root = self.content_root
        draft.content_theme_items = find_content_themes(root, section)
        if not draft.content_theme_items and self.forwarded_root is not None:
            draft.content_theme_items = find_content_themes(self.forwarded_root, section)
        draft.content_themes = [theme.title for theme in draft.content_theme_items]
        if draft.content_theme_items:
            draft.sources["content_themes"] = "\n".join(t.source for t in draft.content_theme_items)

    def read_stat_form(self) -> None:
        lines = without_tables(self.layout.attachment_lines(), self.attachment_tables)
        self.draft.stat_form = parse_stat_table(lines)
        if self.draft.stat_form.title:
            self.draft.sources["stat_form"] = self.draft.stat_form.title

    def read_deadlines(self) -> None:
        attachments = "" if self.draft.kind == "forwarding" else self.attachments
        self.draft.deadlines = find_deadlines(
            self.body, attachments, self.default_year(), self.cob, self.draft.stat_form.title
        )

    def read_rules(self) -> None:
        draft = self.draft
        text = self.body
        low, high, source = find_min_activities(text)
        if low is None and self.forwarded_root is not None:
            low, high, source = find_min_activities(self.attachments)
        draft.min_activities_per_unit, draft.target_activities_per_unit = low, high
        if source:
            draft.sources["min_activities_per_unit"] = source
        draft.max_video_minutes, source = find_max_video_minutes(text)
        if draft.max_video_minutes is None and self.forwarded_root is not None:
            draft.max_video_minutes, source = find_max_video_minutes(self.attachments)
        if source:
            draft.sources["max_video_minutes"] = source
        draft.contacts = find_contacts(self.outline.root, self.body)
        if not draft.contacts:
            draft.contacts = parse_contacts("\n".join(self.after_signature()))
        if not draft.contacts and self.issuing and self.forwarded_root is not None:
            draft.contacts = find_contacts(self.forwarded_root, self.forwarded_root.full_text())
        if draft.contacts:
            draft.contact = draft.contacts[0]
            draft.sources["contact"] = draft.contact.source

    def after_signature(self) -> list[str]:
        """ "（联系人：张三，电话：…）" under the date, before any 附件: still the notice's own."""
        out: list[str] = []
        for line in self.layout.attachment_lines()[:6]:
            text = line.strip()
            if re.match(r"^附\s*件|^关于", text):
                break
            if re.search(r"联\s*系|电话|手机|@", text):
                out.append(text.strip("（）()"))
        return out

    def read_group(self) -> None:
        group = find_leading_group(self.body)
        if group is not None:
            self.draft.leading_group = group
            self.draft.sources["leading_group"] = group.source

    def score(self) -> None:
        flat_tables = any(t.kind == "flat" for t in (*self.tables, *self.forwarded_tables))
        self.draft.confidence = score_fields(
            self.draft, flattened=self.clean.resplit, flat_tables=flat_tables
        )

    def check_years(self) -> None:
        """Dates written without a year took the notice's year; invalid dates are named."""
        text = self.body if self.draft.kind == "forwarding" else f"{self.body}\n{self.attachments}"
        mentions, invalid = find_dates(text, self.default_year(), self.cob)
        missing = list(
            dict.fromkeys(m.raw for m in mentions if not m.has_year and not _range_end(text, m.start))
        )
        if missing and self.default_year():
            shown = "、".join(missing[:6]) + ("等" if len(missing) > 6 else "")
            self.draft.warn(
                d.DATE_WITHOUT_YEAR,
                f"{len(missing)}处日期未写年份（{shown}），已按通知年份{self.default_year()}年补全。",
                severity=d.INFO,
            )
        for raw in dict.fromkeys(invalid):
            self.draft.warn(d.DATE_INVALID, f"日期“{raw}”不存在，已忽略，请核对原文。")


def _range_end(text: str, start: int) -> bool:
    """True for the "6月1日" of "2024年5月25日至6月1日": it takes its year from the range's start."""
    return bool(
        re.search(
            r"(?:年|\d)\s*[\d一二三四五六七八九十]{1,3}\s*[日号]\s*(?:至|到|—+|–|-|~|－)\s*$",
            text[max(0, start - 24) : start],
        )
    )
