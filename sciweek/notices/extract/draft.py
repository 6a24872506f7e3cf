"""What the importer extracted from a notice: plain dataclasses, turned into JSON for the review screen.

Nothing here touches the database. Dates are kept as ``datetime`` objects and rendered as ISO 8601
by :meth:`NoticeDraft.to_json`: a deadline that carries a time (written, or implied by "下班前")
comes out as ``2023-05-30T17:30``, a date-only one as ``2023-05-30``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, fields, is_dataclass
from typing import Any

# Stable warning codes. Messages are Chinese and may change; codes may not.
REPORT_BEFORE_END = "report_before_end"
DEADLINE_CONFLICT = "deadline_conflict"
NUMBERING_MIXED = "numbering_mixed"
NUMBERING_OUT_OF_ORDER = "numbering_out_of_order"
DATE_WITHOUT_YEAR = "date_without_year"
DATE_INVALID = "date_invalid"
MISSING_TITLE = "missing_title"
MISSING_THEME = "missing_theme"
MISSING_DATES = "missing_dates"
MISSING_ACTIVITIES = "missing_activities"
MISSING_CONTACT = "missing_contact"
MISSING_ISSUE_DATE = "missing_issue_date"
END_BEFORE_START = "end_before_start"
YEAR_MISMATCH = "year_mismatch"
DEADLINE_PASSED_AT_ISSUE = "deadline_before_issue"
ACTIVITY_WITHOUT_LEAD = "activity_without_lead"
TEXT_CONVERTED = "text_converted"
WEB_RESIDUE_REMOVED = "web_residue_removed"
TEXT_RESPLIT = "text_resplit"
EMPTY_INPUT = "empty_input"
FILE_UNREADABLE = "file_unreadable"
INTERNAL_ERROR = "internal_error"

INFO = "info"
WARNING = "warning"


@dataclass
class NoticeWarning:
    code: str
    message: str
    severity: str = WARNING  # "warning" needs a reviewer's eye; "info" only tells what was done
    field: str | None = None  # e.g. "deadlines[1]", for the review screen to point at


@dataclass
class Reference:
    """A higher-level document the notice is based on or forwards."""

    title: str
    doc_number: str | None = None
    issued_by: list[str] = field(default_factory=list)
    source: str = ""


@dataclass
class ContentTheme:
    number: int | None
    title: str  # the item's first sentence, e.g. "突出宣传贯彻党的二十大精神"
    body: str
    source: str = ""


@dataclass
class Activity:
    number: int | None
    title: str
    lead_units: list[str]
    cooperating_units: list[str]
    content: str
    schedule: str | None  # time/place as written, "另行通知", or None when the notice says nothing
    schedule_announced: bool  # False for "另行通知" and for no time/place at all
    starts_at: dt.date | dt.datetime | None = None
    venue: str | None = None
    lead_text: str = ""  # the unit lists as written, before splitting
    cooperating_text: str = ""
    lead_units_etc: bool = False  # the list ended in "等": not exhaustive
    cooperating_units_etc: bool = False
    source: str = ""


@dataclass
class Deadline:
    what: str  # the thing due, as the notice words it ("本单位宣传内容和具体工作人员姓名、手机号")
    due: dt.date | dt.datetime
    kind: str  # publicity, final_report, stat_table, staff, nomination, registration, activity_plan, other
    raw: str  # the date phrase as written: "5月30日下午下班前"
    close_of_business: bool = False  # the time came from "下班前", not from the text
    covers: list[str] = field(default_factory=list)  # deliverables named: 总结, 统计表, 宣传内容, ...
    source: str = ""


@dataclass
class Contact:
    person: str | None = None
    phone: str | None = None
    email: str | None = None
    organisation: str | None = None
    source: str = ""


@dataclass
class StatRow:
    section: str | None  # None for a row whose label spans the section column
    label: str
    unit: str | None  # 万元 / 次 / 人 / 人次 / 家 / 篇 / 个 / 所
    unit_inferred: bool = False  # True when guessed from the label, False when written ("单位：万元")


@dataclass
class StatForm:
    title: str | None = None
    rows: list[StatRow] = field(default_factory=list)
    stamp_required: bool = False  # "单位（盖章）"
    note: str | None = None  # the table's footnote ("注：…")
    source: str = ""


@dataclass
class GroupMember:
    role: str  # 组长 / 副组长 / 成员 / 办公室主任 …
    name: str | None
    position: str | None


@dataclass
class LeadingGroup:
    """领导小组 of an implementation plan (实施方案)."""

    name: str | None = None
    members: list[GroupMember] = field(default_factory=list)
    office: str | None = None  # where 领导小组办公室 sits
    source: str = ""


@dataclass
class NoticeDraft:
    title: str | None = None
    kind: str = "notice"  # notice | forwarding | plan
    year: int | None = None
    doc_number: str | None = None
    issue_date: dt.date | None = None
    issuers: list[str] = field(default_factory=list)
    issuer_short_names: dict[str, str] = field(default_factory=dict)  # full name -> name used in the body
    addressees: list[str] = field(default_factory=list)
    references: list[Reference] = field(default_factory=list)
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    theme: str | None = None
    content_themes: list[str] = field(default_factory=list)
    content_theme_items: list[ContentTheme] = field(default_factory=list)
    activities: list[Activity] = field(default_factory=list)
    deadlines: list[Deadline] = field(default_factory=list)
    min_activities_per_unit: int | None = None
    target_activities_per_unit: int | None = None
    max_video_minutes: int | None = None
    contact: Contact = field(default_factory=Contact)
    contacts: list[Contact] = field(default_factory=list)
    stat_form: StatForm = field(default_factory=StatForm)
    leading_group: LeadingGroup | None = None
    metadata: dict[str, str] = field(default_factory=dict)  # web-page metadata block (索引号, 发布机构 …)
    warnings: list[NoticeWarning] = field(default_factory=list)
    sources: dict[str, str] = field(default_factory=dict)  # top-level field -> the sentence it came from
    # field ("theme", "activities[2]", …) -> how sure the importer is, 0–1 (see confidence.py)
    confidence: dict[str, float] = field(default_factory=dict)

    def warn(self, code: str, message: str, *, severity: str = WARNING, field: str | None = None) -> None:
        self.warnings.append(NoticeWarning(code=code, message=message, severity=severity, field=field))

    def warning_codes(self) -> list[str]:
        return [w.code for w in self.warnings]

    def to_json(self) -> dict[str, Any]:
        result = _jsonable(self)
        assert isinstance(result, dict)
        return result


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.isoformat(timespec="minutes")
    if isinstance(value, dt.date):
        return value.isoformat()
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: _jsonable(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    return value
