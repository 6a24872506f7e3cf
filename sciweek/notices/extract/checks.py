"""Consistency checks over a finished draft: what a careful reader of the notice would point out.

Each check adds warnings with a stable code (see draft.py) and a Chinese message naming the field.
"""

from __future__ import annotations

import datetime as dt

from . import draft as d
from .dates import format_cn
from .deadlines import same_deliverable
from .draft import Deadline, NoticeDraft

REPORT_KINDS = ("final_report", "stat_table")


def _day(value: dt.date | dt.datetime) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def _due_cn(deadline: Deadline) -> str:
    return f"“{deadline.raw}”（{format_cn(deadline.due)}）"


def check_required(draft: NoticeDraft) -> None:
    if not draft.title:
        draft.warn(d.MISSING_TITLE, "未识别到通知标题，请手工填写。", field="title")
    if draft.start_date is None or draft.end_date is None:
        draft.warn(d.MISSING_DATES, "未识别到活动时间（起止日期），请手工填写。", field="start_date")
    if not draft.theme:
        draft.warn(d.MISSING_THEME, "未识别到活动主题，请手工填写。", field="theme")
    if not draft.activities:
        draft.warn(
            d.MISSING_ACTIVITIES,
            "未识别到主要活动（牵头单位、配合单位），请核对或手工添加。",
            field="activities",
        )
    if not (draft.contact.person or draft.contact.phone or draft.contact.email):
        draft.warn(d.MISSING_CONTACT, "未识别到联系人、电话或邮箱。", severity=d.INFO, field="contact")
    if draft.issue_date is None and draft.kind != "plan":
        draft.warn(
            d.MISSING_ISSUE_DATE, "未识别到落款日期（发文日期）。", severity=d.INFO, field="issue_date"
        )


def check_dates(draft: NoticeDraft) -> None:
    start, end = draft.start_date, draft.end_date
    if start and end and end < start:
        draft.warn(
            d.END_BEFORE_START,
            f"活动结束日期{format_cn(end)}早于开始日期{format_cn(start)}。",
            field="end_date",
        )
    if draft.year and start and start.year != draft.year:
        draft.warn(
            d.YEAR_MISMATCH, f"标题年份为{draft.year}年，活动时间却在{start.year}年，请核对。", field="year"
        )
    for i, activity in enumerate(draft.activities):
        if not activity.lead_units:
            draft.warn(
                d.ACTIVITY_WITHOUT_LEAD,
                f"主要活动{activity.number or i + 1}“{activity.title}”未写明牵头单位。",
                severity=d.INFO,
                field=f"activities[{i}]",
            )
    for i, deadline in enumerate(draft.deadlines):
        due = _day(deadline.due)
        if draft.issue_date and due < draft.issue_date:
            draft.warn(
                d.DEADLINE_PASSED_AT_ISSUE,
                f"截止时间{_due_cn(deadline)}早于发文日期{format_cn(draft.issue_date)}。",
                field=f"deadlines[{i}]",
            )
        if end and deadline.kind in REPORT_KINDS and due < end:
            draft.warn(
                d.REPORT_BEFORE_END,
                f"“{deadline.what}”的报送截止时间{_due_cn(deadline)}早于活动周结束日期{format_cn(end)}，"
                "活动周最后几天的活动可能无法纳入总结和统计。",
                field=f"deadlines[{i}]",
            )


def check_deadline_conflicts(draft: NoticeDraft) -> None:
    """Two deadlines for the same deliverable that disagree (date, or written time vs none)."""
    deadlines = draft.deadlines
    for i, a in enumerate(deadlines):
        for j in range(i + 1, len(deadlines)):
            b = deadlines[j]
            shared = same_deliverable(a, b)
            if not shared or a.due == b.due:
                continue
            draft.warn(
                d.DEADLINE_CONFLICT,
                f"“{'、'.join(shared)}”有两个不一致的截止时间：{_due_cn(a)}与{_due_cn(b)}，"
                "请确认以哪个为准。",
                field=f"deadlines[{j}]",
            )


def check_all(draft: NoticeDraft) -> None:
    check_required(draft)
    check_dates(draft)
    check_deadline_conflicts(draft)
