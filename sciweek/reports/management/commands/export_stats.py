"""sciweek export-stats --campaign 2023 [--region CODE] [--unit CODE] --format xlsx|docx -o PATH"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sciweek.reports import exporting

from ._stats_common import campaign_by_year, unit_by_code, year_of


class Command(BaseCommand):
    help = (
        "按官方格式导出统计表：不加 --unit 时导出全县汇总工作簿（汇总、分单位明细、每单位一表）；"
        "加 --unit 导出单个单位的 Excel 或 Word；加 --matrix 导出 --root 以下该年度所有单位的分单位明细。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--campaign", required=True, metavar="编号或年度", help="活动周编号（id:N）或年度，如 2023"
        )
        parser.add_argument(
            "--region", metavar="地区代码", help="该年度有多个活动周时，指定组织地区的单位代码"
        )
        parser.add_argument("--unit", metavar="单位代码", help="只导出这个单位的统计表")
        parser.add_argument("--format", choices=["xlsx", "docx"], default="xlsx")
        parser.add_argument(
            "--scope",
            choices=["all", "approved"],
            default="all",
            help="汇总口径：all＝已上报（含待审核），approved＝仅已通过",
        )
        parser.add_argument(
            "--matrix", action="store_true", help="导出分单位明细（可跨多个活动周，配合 --root）"
        )
        parser.add_argument("--root", metavar="单位代码", help="--matrix 的汇总范围（默认为活动周的地区）")
        parser.add_argument("-o", "--output", required=True, metavar="PATH")

    def handle(self, *args, **options) -> None:
        out = Path(options["output"])
        if not out.parent.exists():
            raise CommandError(f"目录不存在：{out.parent}")
        approved_only = options["scope"] == "approved"
        if options["matrix"]:
            if options["format"] != "xlsx":
                raise CommandError("分单位明细只能导出为 Excel（--format xlsx）")
            root = (
                unit_by_code(options["root"])
                if options["root"]
                else campaign_by_year(options["campaign"], options["region"]).org_unit
            )
            n = exporting.export_subtree_matrix(
                year=year_of(options["campaign"]), root=root, out=str(out), approved_only=approved_only
            )
            self.stdout.write(
                self.style.SUCCESS(
                    f"已导出 {root.name} {options['campaign']}年 {n} 个单位的分单位明细：{out}"
                )
            )
            return
        campaign = campaign_by_year(options["campaign"], options["region"])
        if options["unit"]:
            unit = unit_by_code(options["unit"])
            if not campaign.participating_units().filter(pk=unit.pk).exists():
                raise CommandError(f"「{unit.name}」不是「{campaign.title}」的参与单位")
            exporting.export_unit(campaign, unit, str(out), fmt=options["format"])
            self.stdout.write(self.style.SUCCESS(f"已导出「{unit.name}」的统计表：{out}"))
            return
        if options["format"] == "docx":
            exporting.export_region_docx(campaign, str(out), approved_only=approved_only)
            self.stdout.write(self.style.SUCCESS(f"已导出「{campaign.title}」的汇总统计表（Word）：{out}"))
            return
        n = exporting.export_campaign_workbook(campaign, str(out), approved_only=approved_only)
        self.stdout.write(self.style.SUCCESS(f"已导出「{campaign.title}」{n} 个单位的统计表汇总：{out}"))
