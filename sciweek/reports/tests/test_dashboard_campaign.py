"""The bureau's statistics dashboard for the 2023 泗县 campaign."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from django.utils import timezone

from sciweek.orgs.models import OrgUnit
from sciweek.reports.models import Report

from .stats_data import campaign_for, put_report


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def _completeness(body: str) -> str:
    return _text(body.split('id="completeness"', 1)[1].split('id="chart-completeness"', 1)[0])


def _totals_row(body: str, code: str) -> str:
    m = re.search(rf'<tr data-code="{code}">.*?</tr>', body, re.S)
    assert m, code
    return _text(m.group(0))


def _unit_row(body: str, code: str) -> str:
    m = re.search(rf'<tr data-unit="{code}">.*?</tr>', body, re.S)
    assert m, code
    return _text(m.group(0))


@pytest.fixture
def reported(demo, unit):
    late = timezone.make_aware(dt.datetime(2023, 5, 31, 9, 0))
    put_report(
        demo.campaign,
        unit("县气象局"),
        {"events_held": 3, "fund_fiscal": "1.5", "public_offline": 1200},
        status="approved",
    )
    put_report(
        demo.campaign,
        OrgUnit.objects.get(name="示例镇一"),
        {"events_held": 2, "fund_fiscal": "0.5", "fund_enterprise": 2, "public_offline": 300},
        status="submitted",
        is_late=True,
        submitted_at=late,
    )
    put_report(demo.campaign, unit("县科协"), {"events_held": 8}, status="returned")
    put_report(demo.campaign, unit("县水利局"), {"events_held": 40}, status="draft")
    return demo


def test_it_shows_the_organizer_completeness_and_totals(client_for, organizer, reported):
    r = client_for(organizer).get(f"/reports/{reported.campaign.pk}/dashboard/")
    assert r.status_code == 200
    body = r.content.decode()
    expected = reported.campaign.participating_units().count()
    done = _completeness(body)
    assert f"2 / {expected}" in done  # 县气象局 approved + 示例镇一 submitted
    assert "按时 / 逾期 1 / 1" in done
    assert "已退回 1" in done
    assert f"未报送 {expected - 3}" in done
    assert "5 次" in _totals_row(
        body, "events_held"
    )  # 3 + 2; the returned 8 and the draft 40 are not counted
    assert "2 万元" in _totals_row(body, "fund_fiscal")
    assert "1,500 人次" in _totals_row(body, "public_offline")
    assert "逾期" in _unit_row(body, "341324-town1") and "待审核" in _unit_row(body, "341324-town1")
    assert "未报送" in _unit_row(body, "341324-slj")  # a draft is not a submission
    assert "2023年5月31日 09:00" in _unit_row(body, "341324-town1")


def test_it_switches_the_totals_to_approved_reports(client_for, organizer, reported):
    body = (
        client_for(organizer)
        .get(f"/reports/{reported.campaign.pk}/dashboard/?scope=approved")
        .content.decode()
    )
    assert "3 次" in _totals_row(body, "events_held")
    assert "1.5 万元" in _totals_row(body, "fund_fiscal")
    data = json.loads(
        re.search(r'<script id="dash-data" type="application/json">(.*?)</script>', body, re.S)[1]
    )
    assert data["totals"]["events_held"] == 3
    assert [u["name"] for u in data["units"]] == ["县气象局"]
    assert {d["name"]: d["value"] for d in data["completeness"]}["已通过"] == 1


def test_it_filters_the_unit_table(client_for, organizer, reported):
    c = client_for(organizer)
    url = f"/reports/{reported.campaign.pk}/dashboard/"
    body = c.get(url + "?state=approved").content.decode()
    assert re.findall(r'<tr data-unit="([^"]+)">', body) == ["341324-qxj"]
    body = c.get(url + "?late=1").content.decode()
    assert re.findall(r'<tr data-unit="([^"]+)">', body) == ["341324-town1"]
    body = c.get(url + "?kind=town").content.decode()
    assert set(re.findall(r'<tr data-unit="([^"]+)">', body)) == {
        "341324-town1",
        "341324-town2",
        "341324-street1",
    }
    body = c.get(url + "?state=returned&kind=town").content.decode()
    assert "没有符合条件的单位" in body


def test_it_puts_last_year_beside_this_year(client_for, organizer, reported, unit):
    county = reported.campaign.org_unit
    last = campaign_for(county, 2022, "2022年泗县科技活动周")
    put_report(last, unit("县气象局"), {"events_held": 4, "public_offline": 1000}, status="approved")
    body = client_for(organizer).get(f"/reports/{reported.campaign.pk}/dashboard/").content.decode()
    assert "与2022年对比" in body
    row = _totals_row(body, "events_held")
    assert "5 次" in row and " 4 " in row and "+25%" in row
    assert "+50%" in _totals_row(body, "public_offline")
    data = json.loads(
        re.search(r'<script id="dash-data" type="application/json">(.*?)</script>', body, re.S)[1]
    )
    assert data["prevYear"] == 2022 and data["prev"]["events_held"] == 4


def test_it_lets_the_bureau_and_levels_above_in_and_keeps_units_out(
    client_for, organizer, xcb, city, province, qxj, town1, reported
):
    url = f"/reports/{reported.campaign.pk}/dashboard/"
    for user in (organizer, xcb, city, province):
        assert client_for(user).get(url).status_code == 200
    for user in (qxj, town1):
        assert client_for(user).get(url).status_code == 403
    assert client_for(organizer).get("/reports/999999/dashboard/").status_code == 404


def test_it_loads_the_chart_code_from_static_files_only(client_for, organizer, reported):
    r = client_for(organizer).get(f"/reports/{reported.campaign.pk}/dashboard/")
    body = r.content.decode()
    assert "/static/vendor/echarts/echarts.min.js" in body and "/static/reports/dash_charts.js" in body
    scripts = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", body)
    assert all('type="application/json"' in attrs for attrs in scripts)  # no inline code for the CSP to block
    assert "script-src 'self'" in r.headers["Content-Security-Policy"]


def test_it_counts_a_report_waiting_for_the_unit_head_as_missing(client_for, organizer, reported, unit):
    put_report(reported.campaign, unit("县气象局"), {"events_held": 3}, status=Report.Status.HEAD_REVIEW)
    body = client_for(organizer).get(f"/reports/{reported.campaign.pk}/dashboard/").content.decode()
    assert "未报送" in _unit_row(body, "341324-qxj")
