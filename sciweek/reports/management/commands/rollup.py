"""sciweek rollup --campaign 2023 [--root CODE] [--scope approved|all] [--depth N] --json | --check-totals"""

from __future__ import annotations

import json
from decimal import Decimal

from django.core.management.base import BaseCommand, CommandParser

from sciweek.orgs.models import OrgUnit
from sciweek.reports.models import FormRow, Report
from sciweek.reports.rollup import rollup
from sciweek.reports.totals import stale_totals, totals_of_report

from ._stats_common import campaign_by_year, common_root, unit_by_code, year_of


def _number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


class Command(BaseCommand):
    help = "实时汇总某年度统计表：输出指定单位及其以下每一级、每一项指标的合计（按单位代码、指标代码）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--campaign", required=True, metavar="编号或年度", help="活动周编号（id:N）或年度，如 2023"
        )
        parser.add_argument("--region", metavar="地区代码", help="以该地区的活动周为准（默认汇总起点）")
        parser.add_argument("--root", metavar="单位代码", help="汇总起点（默认：该年度所有活动周共同的上级）")
        parser.add_argument(
            "--scope",
            choices=["all", "approved"],
            default="all",
            help="all＝已上报（含待审核），approved＝仅已通过",
        )
        parser.add_argument("--depth", type=int, default=None, help="向下汇总的层数（默认到各单位）")
        parser.add_argument("--json", action="store_true", help="以 JSON 输出 {单位代码: {指标代码: 合计}}")
        parser.add_argument(
            "--check-totals",
            action="store_true",
            help="核对各统计表的汇总缓存（Report.totals）与其数值是否一致，不一致的重写并列出",
        )

    def handle(self, *args, **options) -> None:
        year = year_of(options["campaign"])
        if options["check_totals"]:
            self._check_totals(year)
            return
        if options["root"]:
            root = unit_by_code(options["root"])
        elif options["region"] or str(options["campaign"]).strip() != str(year):
            root = campaign_by_year(options["campaign"], options["region"]).org_unit
        else:
            root = common_root(year)
        totals = rollup(
            year=year, root=root, approved_only=options["scope"] == "approved", depth=options["depth"]
        )
        if options["json"]:
            data = {code: {k: _number(v) for k, v in rows.items()} for code, rows in totals.items()}
            self.stdout.write(json.dumps(data, ensure_ascii=False, sort_keys=True))
            return
        units = {
            u.code: u for u in OrgUnit.objects.filter(code__in=totals).only("name", "code", "depth", "path")
        }
        form = FormRow.objects.filter(form__campaign__year=year, form__is_current=True).values_list(
            "form_id", flat=True
        )
        first = form.order_by("form_id").first()
        order = {
            c: i
            for i, c in enumerate(
                FormRow.objects.filter(form_id=first).order_by("order").values_list("code", flat=True)
            )
        }
        for code in sorted(totals, key=lambda c: units[c].path):
            u = units[code]
            rows = sorted(totals[code].items(), key=lambda item: order.get(item[0], len(order)))
            figures = "  ".join(f"{k}={_number(v)}" for k, v in rows) or "—"
            self.stdout.write(f"{'  ' * (u.depth - root.depth)}{u.name}（{code}）  {figures}")

    def _check_totals(self, year: int) -> None:
        reports = Report.objects.filter(campaign__year=year)
        stale = stale_totals(reports)
        if not stale:
            self.stdout.write(f"{year}年度 {reports.count()} 份统计表的汇总缓存全部一致。")
            return
        self.stdout.write(f"{len(stale)} 份统计表的汇总缓存与数值不一致，已按数值重写：")
        for report in Report.objects.filter(pk__in=stale).select_related("unit"):
            report.totals = totals_of_report(report)
            report.save(update_fields=["totals"])
            self.stdout.write(f"  {report.unit.name}（{report.unit.code}）")
