"""The statistics commands: export-stats, import-stats (dry run, then --commit) and rollup --json."""

from __future__ import annotations

import io
import json
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from docx import Document
from openpyxl import load_workbook

from sciweek.reports.models import Report, ReportValue

from .stats_data import Tree, campaign_for, put_report
from .test_exchange_bad_files import reformatted_table


def run(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_it_exports_the_workbook_and_one_unit(demo, unit, tmp_path):
    put_report(demo.campaign, unit("县气象局"), {"events_held": 3, "fund_fiscal": "1.5"}, status="approved")
    path = tmp_path / "县汇总.xlsx"
    assert "1 个单位的统计表汇总" in run("export_stats", "--campaign", "2023", "-o", str(path))
    wb = load_workbook(path)
    assert wb.sheetnames == ["汇总", "分单位明细", "泗县气象局"]
    assert wb["分单位明细"]["A3"].value == "泗县气象局" and wb["分单位明细"]["C3"].value == 3

    word = tmp_path / "气象局.docx"
    run("export_stats", "--campaign", "2023", "--unit", "341324-qxj", "--format", "docx", "-o", str(word))
    cells = [c.text for row in Document(str(word)).tables[0].rows for c in row.cells]
    assert "1.5" in cells and "3" in cells

    put_report(demo.campaign, unit("县科协"), {"events_held": 4, "fund_fiscal": "2"}, status="approved")
    county = tmp_path / "县汇总.docx"
    assert "汇总统计表（Word）" in run(
        "export_stats", "--campaign", "2023", "--format", "docx", "-o", str(county)
    )
    cells = [c.text for row in Document(str(county)).tables[0].rows for c in row.cells]
    assert "3.5" in cells and "7" in cells  # the county's total, not one unit's
    by_id = tmp_path / "by_id.docx"
    run("export_stats", "--campaign", f"id:{demo.campaign.pk}", "--format", "docx", "-o", str(by_id))
    assert [c.text for row in Document(str(by_id)).tables[0].rows for c in row.cells] == cells
    with pytest.raises(CommandError, match="没有2019年的活动周"):
        run("export_stats", "--campaign", "2019", "-o", str(path))


def test_it_asks_for_the_region_when_a_year_has_several_campaigns(db, tmp_path):
    tree = Tree()
    with pytest.raises(CommandError, match="--region T-A"):
        run("export_stats", "--campaign", "2023", "-o", str(tmp_path / "x.xlsx"))
    put_report(tree.camp_b, tree.b1, {"events_held": 2}, status="approved")
    assert "1 个单位" in run(
        "export_stats", "--campaign", "2023", "--region", "T-B", "-o", str(tmp_path / "b.xlsx")
    )
    run("export_stats", "--campaign", "2023", "--matrix", "--root", "T-P", "-o", str(tmp_path / "m.xlsx"))
    ws = load_workbook(tmp_path / "m.xlsx")["分单位明细"]
    assert ws["A3"].value == "乙县科协" and ws["C3"].value == 2


def test_it_previews_then_commits_an_import(demo, unit, tmp_path):
    (tmp_path / "收件").mkdir()
    (tmp_path / "收件" / "气象局.xlsx").write_bytes(reformatted_table("单位（盖章）：泗县气象局", events=6))
    (tmp_path / "收件" / "某中心.xlsx").write_bytes(reformatted_table("单位（盖章）：某某中心", events=2))
    out = run("import_stats", str(tmp_path / "收件"), "--campaign", "2023")
    assert "气象局.xlsx › 我单位报表 → 泗县气象局" in out
    assert "举办活动次数：（未填） → 6次" in out
    assert "未能确定是哪个单位的统计表（单位（盖章）：某某中心）" in out
    assert not Report.objects.exists()
    with pytest.raises(CommandError, match="未导入任何数据"):
        run("import_stats", str(tmp_path / "收件"), "--campaign", "2023", "--commit")
    assert not Report.objects.exists()

    args = [str(tmp_path / "收件"), "--campaign", "2023", "--assign", "某中心.xlsx=341324-yjj"]
    out = run("import_stats", *args)
    assert "将导入 2 个单位" in out and "未写入" in out
    assert not Report.objects.exists()
    out = run("import_stats", *args, "--commit", "--received", "2023-05-30")
    assert "已导入 2 个单位的统计表" in out
    report = Report.objects.get(unit=unit("县应急管理局"))
    assert report.status == Report.Status.SUBMITTED and not report.is_late
    assert ReportValue.objects.get(report=report, row_code="events_held").value == 2


def test_it_prints_the_rollup_as_json(db):
    tree = Tree()
    put_report(tree.camp_a, tree.a1, {"events_held": 3, "fund_fiscal": "1.5"}, status="approved")
    put_report(tree.camp_a, tree.a2, {"events_held": 4}, status="submitted")
    put_report(tree.camp_b, tree.b1, {"events_held": 10}, status="approved")
    data = json.loads(run("rollup", "--campaign", "2023", "--json"))
    assert data["T-C"] == {"events_held": 17, "fund_fiscal": 1.5}
    assert data["T-A"]["events_held"] == 7 and data["T-A2"] == {"events_held": 4}
    data = json.loads(run("rollup", "--campaign", "2023", "--root", "T-A", "--scope", "approved", "--json"))
    assert set(data) == {"T-A", "T-A1", "T-A2"} and data["T-A"] == {"events_held": 3, "fund_fiscal": 1.5}
    text = run("rollup", "--campaign", "2023", "--root", "T-C", "--depth", "1")
    assert "测试市（T-C）  events_held=17" in text and "  甲县（T-A）  events_held=7" in text


def test_it_rolls_up_the_demo_county_by_default(demo, unit):
    put_report(demo.campaign, unit("县气象局"), {"events_held": 3}, status="approved")
    campaign_for(demo.campaign.org_unit, 2022)
    data = json.loads(run("rollup", "--campaign", "2023", "--json"))
    assert data["341324"] == {"events_held": 3} and data["341324-qxj"] == {"events_held": 3}
    assert Decimal(data["341324"]["events_held"]) == 3
