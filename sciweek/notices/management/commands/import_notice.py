"""`sciweek import-notice PATH [--json] [--close-of-business HH:MM]`: show what a notice would import.

Reads a .txt / .docx / .pdf notice and prints the extracted draft: as JSON with ``--json``, otherwise
as a Chinese summary for a person to check. Nothing is saved and the database is never opened.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sciweek.notices.extract import NoticeDraft, NoticeFileError, parse_notice, read_notice_file
from sciweek.notices.extract.confidence import low_fields
from sciweek.notices.extract.dates import format_cn, parse_hhmm


class Command(BaseCommand):
    help = "解析科技活动周通知（.txt/.docx/.pdf），输出识别结果（不保存）。"
    requires_system_checks: list[str] = []  # type: ignore[assignment]
    requires_migrations_checks = False

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="通知文件路径")
        parser.add_argument("--json", action="store_true", help="以 JSON 输出识别结果")
        parser.add_argument(
            "--close-of-business", default="17:30", metavar="HH:MM", help="“下班前”对应的时间，默认 17:30"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["path"])
        try:
            close_of_business = parse_hhmm(options["close_of_business"])
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        if not path.is_file():
            raise CommandError(f"找不到文件：{path}")
        try:
            text = read_notice_file(path.read_bytes(), path.name)
        except NoticeFileError as exc:
            raise CommandError(str(exc)) from exc
        draft = parse_notice(text, close_of_business=close_of_business)
        if options["json"]:
            self.stdout.write(json.dumps(draft.to_json(), ensure_ascii=False, indent=2))
        else:
            self.stdout.write(summary(draft))


def _or_dash(value: object) -> str:
    return str(value) if value not in (None, "", []) else "—"


def summary(draft: NoticeDraft) -> str:
    """A readable Chinese summary of a draft, in the notice's own order."""
    out: list[str] = []
    add = out.append
    add(f"标题：{_or_dash(draft.title)}")
    add(
        f"文号：{_or_dash(draft.doc_number)}    发文日期：{format_cn(draft.issue_date) if draft.issue_date else '—'}"
    )
    issuers = [
        f"{name}（{draft.issuer_short_names[name]}）" if name in draft.issuer_short_names else name
        for name in draft.issuers
    ]
    add(f"发文单位：{_or_dash('、'.join(issuers))}")
    add(f"主送：{_or_dash('、'.join(draft.addressees))}")
    for ref in draft.references:
        add(f"依据文件：《{ref.title}》" + (f"（{ref.doc_number}）" if ref.doc_number else ""))
    period = "—"
    if draft.start_date and draft.end_date:
        period = f"{format_cn(draft.start_date)}至{format_cn(draft.end_date)}"
    add(f"活动时间：{period}")
    add(f"活动主题：{_or_dash(draft.theme)}")
    if draft.content_themes:
        add("主要内容：")
        out.extend(f"  {i}. {title}" for i, title in enumerate(draft.content_themes, 1))
    if draft.activities:
        add("主要活动：")
        for activity in draft.activities:
            add(
                f"  {_or_dash(activity.number)}. {activity.title}（时间地点：{activity.schedule or '未写明'}）"
            )
            add(f"     牵头单位：{_or_dash('、'.join(activity.lead_units))}")
            if activity.cooperating_units:
                more = "等" if activity.cooperating_units_etc else ""
                add(f"     配合单位：{'、'.join(activity.cooperating_units)}{more}")
    if draft.deadlines:
        add("截止时间：")
        for deadline in draft.deadlines:
            add(f"  {format_cn(deadline.due)}  {deadline.what}（原文：{deadline.raw}）")
    if draft.min_activities_per_unit:
        target = f"，建议{draft.target_activities_per_unit}次" if draft.target_activities_per_unit else ""
        add(f"每个单位至少开展专题活动：{draft.min_activities_per_unit}次{target}")
    if draft.max_video_minutes:
        add(f"视频时长上限：{draft.max_video_minutes}分钟")
    for c in draft.contacts or [draft.contact]:
        add(f"联系人：{_or_dash(c.person)}    电话：{_or_dash(c.phone)}    邮箱：{_or_dash(c.email)}")
    if draft.leading_group and draft.leading_group.members:
        add(f"领导小组：{_or_dash(draft.leading_group.name)}（{len(draft.leading_group.members)}人/单位）")
    if draft.stat_form.rows:
        add(f"统计表：{_or_dash(draft.stat_form.title)}（{len(draft.stat_form.rows)}项）")
    doubtful = low_fields(draft.confidence)
    if doubtful:
        add(f"识别把握较低、请优先核对：{'、'.join(doubtful)}")
    if draft.warnings:
        add("提示：")
        for w in draft.warnings:
            add(f"  [{'注意' if w.severity == 'warning' else '说明'}] {w.message}")
    return "\n".join(out)
