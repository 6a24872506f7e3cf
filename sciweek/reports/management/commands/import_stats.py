"""sciweek import-stats PATH... --campaign 2023 [--region CODE] [--commit] [--overwrite-approved]

Without --commit it prints what would happen (problems by file, sheet and cell; values current → new)
and writes nothing. With --commit it imports everything in one transaction, or nothing.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from sciweek.reports import importing
from sciweek.reports.import_commit import import_commit
from sciweek.reports.import_store import MAX_FILE_BYTES
from sciweek.reports.services.entry import current_form, form_rows

from ._stats_common import campaign_by_year, unit_by_code

SUFFIXES = (".xlsx", ".docx", ".zip")


def _collect(paths: list[str]) -> list[Path]:
    out: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            out += sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES)
        elif path.is_file():
            out.append(path)
        else:
            raise CommandError(f"找不到文件：{raw}")
    return out


class Command(BaseCommand):
    help = "导入各单位通过邮件报送的统计表（xlsx / docx / zip，或包含它们的目录）；不加 --commit 只预览、不写入。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="+", metavar="PATH")
        parser.add_argument(
            "--campaign", required=True, metavar="编号或年度", help="活动周编号（id:N）或年度，如 2023"
        )
        parser.add_argument("--region", metavar="地区代码")
        parser.add_argument("--commit", action="store_true", help="确认导入（全部成功或全部不导入）")
        parser.add_argument("--overwrite-approved", action="store_true", help="覆盖已审核通过的报表")
        parser.add_argument(
            "--assign",
            action="append",
            default=[],
            metavar="文件名=单位代码",
            help="指定某文件（或“文件 › 工作表”）对应的单位，可重复",
        )
        parser.add_argument("--received", metavar="YYYY-MM-DD", help="收到邮件的日期（默认今天）")

    def handle(self, *args, **options) -> None:
        campaign = campaign_by_year(options["campaign"], options["region"])
        form = current_form(campaign)
        if form is None:
            raise CommandError(f"「{campaign.title}」尚未设置统计表")
        files = []
        for path in _collect(options["paths"]):
            if path.stat().st_size > MAX_FILE_BYTES:
                raise CommandError(f"{path.name}：文件超过 {MAX_FILE_BYTES // 1024 // 1024} MB")
            files.append((path.name, path.read_bytes()))
        preview = importing.import_read(
            campaign=campaign, spec=form.to_spec(), rows=form_rows(form), files=files
        )
        self._assign(preview, options["assign"], campaign)
        plan = importing.import_plan(
            campaign=campaign,
            rows=form_rows(form),
            files=preview,
            overwrite_approved=options["overwrite_approved"],
        )
        self._print(preview, plan)
        if plan.errors:
            self.stdout.write(self.style.ERROR(f"有 {len(plan.errors)} 个问题需要先处理，未导入任何数据："))
            for message in plan.errors:
                self.stdout.write(f"  ✗ {message}")
            if options["commit"]:
                raise CommandError("未导入任何数据")
            return
        if not options["commit"]:
            self.stdout.write(
                self.style.WARNING(
                    f"预览：将导入 {len(plan.sheets)} 个单位、更新 {plan.change_count} 个数值。未写入；加 --commit 确认导入。"
                )
            )
            return
        received = dt.date.fromisoformat(options["received"]) if options["received"] else None
        try:
            summary = import_commit(
                campaign=campaign,
                actor="命令行 import-stats",
                files=preview,
                overwrite_approved=options["overwrite_approved"],
                received_on=received,
            )
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages))
        self.stdout.write(
            self.style.SUCCESS(
                f"已导入 {summary.reports} 个单位的统计表，更新 {summary.values} 个数值，{summary.submitted} 份标记为已提交。"
            )
        )

    def _assign(self, preview: list[dict], pairs: list[str], campaign) -> None:
        participating = set(campaign.participating_units().values_list("pk", flat=True))
        for pair in pairs:
            name, _, code = pair.rpartition("=")
            if not name:
                raise CommandError(f"--assign 的格式应为 文件名=单位代码，收到「{pair}」")
            unit = unit_by_code(code.strip())
            if unit.pk not in participating:
                raise CommandError(f"「{unit.name}」不是「{campaign.title}」的参与单位")
            hits = [s for _, f, s in importing.sheets_of(preview) if s["source"] == name or f["name"] == name]
            if not hits:
                raise CommandError(f"--assign：没有名为「{name}」的文件或工作表")
            for sheet in hits:
                sheet["unit_id"], sheet["auto"] = unit.pk, False

    def _print(self, preview: list[dict], plan: importing.Plan) -> None:
        sheets = {sp.index: sp for sp in plan.sheets}
        index = 0
        for f in preview:
            self.stdout.write(f"📄 {f['name']}（{f['kind']}）")
            for p in f["problems"]:
                self.stdout.write(f"   [{p['severity']}] {p['message']}")
            for _sheet in f["sheets"]:
                sp = sheets[index]
                index += 1
                target = sp.unit.name if sp.unit else "（未匹配单位）"
                self.stdout.write(f"   ▸ {sp.sheet['source']} → {target}")
                for p in sp.sheet["problems"]:
                    self.stdout.write(f"      [{p['severity']}] {p['message']}")
                for c in sp.changes:
                    self.stdout.write(f"      {c.label}：{c.before} → {c.after}")
                if sp.unit and not sp.changes:
                    self.stdout.write("      数值与系统中一致，无变化")
