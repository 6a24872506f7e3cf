"""sciweek cleanup_uploads [--older-than HOURS]

Removes import uploads that stayed at the preview and were never committed (units, statistics
tables, notices: files and their rows), untouched for HOURS (default 24). Each removal is logged
(logger sciweek.uploads) and listed. The same runs, cheaply, whenever a new import preview starts;
schedule this for installs that import rarely (cron, or a Celery beat task).
"""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sciweek.core.cleanup import DEFAULT_AGE, cleanup_uploads


class Command(BaseCommand):
    help = "删除超过保留时间仍未确认导入的上传文件（单位名单、统计表、通知）及其记录。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--older-than",
            type=int,
            default=int(DEFAULT_AGE.total_seconds() // 3600),
            metavar="HOURS",
            help="只删除这么多小时内没有动过的上传（默认 24）",
        )

    def handle(self, *args: object, **options: object) -> None:
        hours = options["older_than"]
        if not isinstance(hours, int) or hours < 1:
            raise CommandError("--older-than 至少为 1 小时：刚上传、正在预览的文件不能删除。")
        removed = cleanup_uploads(older_than=dt.timedelta(hours=hours))
        for what in removed:
            self.stdout.write(f"已删除：{what}")
        self.stdout.write(f"共删除 {len(removed)} 项超过 {hours} 小时未确认的导入上传。")
