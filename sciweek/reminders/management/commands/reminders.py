"""sciweek reminders [--campaign ID|YEAR [--region CODE]] [--at "2023-05-29 09:00"] [--dry-run] [--json]

Without --dry-run: sends what is due at that moment (default now) and moves campaign statuses on
their dates, as the scheduler's minute does; a second run for the same moment sends nothing.
Cron-friendly: run it every minute (or every few) on an install without Celery or a web thread."""

from __future__ import annotations

import datetime as dt
import json

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from sciweek.campaigns.identity import AmbiguousCampaign, resolve_campaign
from sciweek.campaigns.models import Campaign
from sciweek.core import clock
from sciweek.reminders.planning import plan
from sciweek.reminders.scheduler import advance_statuses
from sciweek.reminders.sending import claim, deliver


def parse_at(text: str) -> dt.datetime:
    for fmt in ("%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d"):
        try:
            return timezone.make_aware(dt.datetime.strptime(text.strip(), fmt))
        except ValueError:
            continue
    raise CommandError(
        _("--at「%(text)s」不是有效时间，应为 2023-05-29 09:00 这样的格式（北京时间）。") % {"text": text}
    )


def find_campaign(value: str, region: str | None = None) -> Campaign:
    """The one rule of every command (campaigns/identity.py): an id, or a year with --region; a year
    with several campaigns is refused with the candidates."""
    try:
        return resolve_campaign(value, region)
    except AmbiguousCampaign as exc:
        raise CommandError(str(exc)) from None


class Command(BaseCommand):
    help = "发送到期的截止提醒（--dry-run 只列出将发给谁、发什么，不发送）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--campaign", metavar="ID|YEAR", help="活动周编号（id:12）或年度（配合 --region）；默认全部"
        )
        parser.add_argument("--region", metavar="CODE", help="与年度一起使用：地区的单位代码")
        parser.add_argument(
            "--at", metavar="时间", help='按此时刻计算（北京时间，如 "2023-05-29 09:00"）；默认现在'
        )
        parser.add_argument("--dry-run", action="store_true", help="只列出，不发送")
        parser.add_argument("--json", action="store_true", help="以 JSON 输出")

    def handle(self, *args, **opts) -> None:
        at = parse_at(opts["at"]) if opts["at"] else clock.now()
        ids = [find_campaign(opts["campaign"], opts["region"]).pk] if opts["campaign"] is not None else None
        planned = plan(at=at, campaign_ids=ids)
        if opts["dry_run"]:
            from sciweek.reminders.selectors import unclaimed

            rows = [p.as_json() for p in unclaimed(planned)]
            if opts["json"]:
                self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=1))
            else:
                for r in rows:
                    self.stdout.write(
                        f"{r['due_at']} {r['unit_name']} {r['requirement_title']} → {r['user']} [{r['channel']}]"
                    )
                self.stdout.write(f"共 {len(rows)} 条（未发送）")
            return
        moved = advance_statuses(at=at) if ids is None else []
        claimed = claim(planned)
        result = deliver(at=at, limit=100_000)
        summary = {
            "planned": len(planned),
            "claimed": len(claimed),
            "sent": result.sent,
            "failed": result.failed,
            "skipped": result.skipped,
            "status_moves": len(moved),
        }
        if opts["json"]:
            self.stdout.write(json.dumps(summary, ensure_ascii=False))
        else:
            self.stdout.write(
                f"新提醒 {summary['claimed']} 条（计划 {summary['planned']} 条，其余已发过）；"
                f"邮件/短信发送 {result.sent} 条，失败 {result.failed} 条，未发送 {result.skipped} 条。"
            )
