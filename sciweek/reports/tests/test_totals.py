"""Report.totals (the values once more as one text, read by the national roll-up) follows every write:
the unit's own saves (values, 0, 不适用, a value cleared), an import of an e-mailed table, and the
migration for reports that existed before the column; `rollup --check-totals` finds a stale one."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command

from sciweek.reports.models import Report
from sciweek.reports.totals import layout_of, stale_totals, totals_of_report

from .report_files import open_mine, report_of, save_cell
from .test_exchange_bad_files import reformatted_table

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_a_units_saves_keep_the_totals_text_equal_to_its_values(demo, qxj, unit, client_for):
    c = client_for(qxj)
    open_mine(c, demo.campaign)
    report = report_of(demo.campaign, unit("县气象局"))
    assert save_cell(c, report, "events_held", "12").status_code == 200
    assert save_cell(c, report, "fund_fiscal", "1.25").status_code == 200
    assert save_cell(c, report, "staff_fulltime", "0").status_code == 200
    assert save_cell(c, report, "fund_other", na=True).status_code == 200
    report.refresh_from_db()
    first = report.totals
    assert first.startswith(layout_of(sorted(report.form.rows.values_list("code", flat=True))) + "|")
    assert "12" in first and "1.25" in first
    assert report.totals == totals_of_report(report)
    assert save_cell(c, report, "events_held", "").status_code == 200  # cleared again
    report.refresh_from_db()
    assert report.totals == totals_of_report(report) != first
    assert stale_totals(Report.objects.all()) == []


def test_the_unit_level_rollup_reads_the_totals_of_submitted_reports(demo, qxj, unit, client_for):
    c = client_for(qxj)
    open_mine(c, demo.campaign)
    report = report_of(demo.campaign, unit("县气象局"))
    save_cell(c, report, "events_held", "7")
    save_cell(c, report, "fund_fiscal", "2.5")
    Report.objects.filter(pk=report.pk).update(status=Report.Status.SUBMITTED)
    data = json.loads(run("rollup", "--campaign", "2023", "--json"))
    assert data["341324-qxj"] == {"events_held": 7, "fund_fiscal": 2.5}
    assert data["341324"] == {"events_held": 7, "fund_fiscal": 2.5}


def test_an_import_writes_the_totals_too(demo, unit, tmp_path):
    (tmp_path / "气象局.xlsx").write_bytes(reformatted_table("单位（盖章）：泗县气象局", events=6))
    run("import_stats", str(tmp_path / "气象局.xlsx"), "--campaign", "2023", "--commit")
    report = report_of(demo.campaign, unit("县气象局"))
    assert report.totals == totals_of_report(report) and report.totals.count(",") >= 10
    data = json.loads(run("rollup", "--campaign", "2023", "--json"))
    assert data["341324-qxj"]["events_held"] == 6


def test_check_totals_names_a_stale_report_and_repairs_it(demo, qxj, unit, client_for):
    c = client_for(qxj)
    open_mine(c, demo.campaign)
    report = report_of(demo.campaign, unit("县气象局"))
    save_cell(c, report, "events_held", "5")
    Report.objects.filter(pk=report.pk).update(totals="")  # as if written around the services
    out = run("rollup", "--campaign", "2023", "--check-totals")
    assert "1 份统计表的汇总缓存与数值不一致" in out and "泗县气象局" in out
    report.refresh_from_db()
    assert report.totals == totals_of_report(report)
    assert "全部一致" in run("rollup", "--campaign", "2023", "--check-totals")
