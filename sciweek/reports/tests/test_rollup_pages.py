"""The roll-up page: drill-down from the city to a county to its units, scoped to who is looking."""

from __future__ import annotations

import re

import pytest

from sciweek.orgs.models import Role

from .stats_data import Tree, put_report, user_with

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree():
    t = Tree()
    put_report(t.camp_a, t.a1, {"events_held": 3, "public_offline": 1200}, status="approved")
    put_report(t.camp_a, t.a2, {"events_held": 4, "public_offline": 800}, status="submitted")
    put_report(t.camp_b, t.b1, {"events_held": 10, "public_offline": 5000}, status="approved")
    return t


def _row(body: str, code: str) -> str:
    m = re.search(rf'<tr[^>]*data-unit="{re.escape(code)}".*?</tr>', body, re.S)
    assert m, f"no row for {code}"
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", m.group(0)))


def test_it_shows_the_city_every_county_and_drills_down_to_units(client_for, tree):
    c = client_for(tree.org_city)
    body = c.get(f"/reports/{tree.camp_a.pk}/rollup/").content.decode()
    assert "测试市 · 2023年科技活动周统计汇总" in body
    assert "17" in _row(body, "T-C") and "7,000" in _row(body, "T-C")  # total row: every county
    assert " 7 " in _row(body, "T-A") and "2,000" in _row(body, "T-A") and "2/2" in _row(body, "T-A")
    assert "10" in _row(body, "T-B") and "5,000" in _row(body, "T-B")
    assert f"?root={tree.county_a.pk}" in body  # drillable

    body = c.get(f"/reports/{tree.camp_a.pk}/rollup/?root={tree.county_a.pk}").content.decode()
    assert "甲县 · 2023年科技活动周统计汇总" in body
    assert "1,200" in _row(body, "T-A1") and "800" in _row(body, "T-A2")
    assert "乙县科协" not in body
    assert ">测试市</a>" in body  # breadcrumb back up


def test_it_switches_to_approved_reports_only(client_for, tree):
    body = (
        client_for(tree.org_city)
        .get(f"/reports/{tree.camp_a.pk}/rollup/?root={tree.county_a.pk}&scope=approved")
        .content.decode()
    )
    assert "1,200" in _row(body, "T-A")
    assert "2,000" not in body
    assert "—" in _row(body, "T-A2")


def test_it_lets_the_province_see_counties_of_every_campaign(client_for, tree):
    body = client_for(tree.viewer_province).get(f"/reports/{tree.camp_b.pk}/rollup/").content.decode()
    assert "测试省 · 2023年科技活动周统计汇总" in body
    assert "7,000" in _row(body, "T-P") and "7,000" in _row(body, "T-C")


def test_it_keeps_a_county_organizer_out_of_another_county(client_for, tree):
    c = client_for(tree.org_b)
    assert c.get(f"/reports/{tree.camp_b.pk}/rollup/?root={tree.county_a.pk}").status_code == 404
    assert c.get(f"/reports/{tree.camp_a.pk}/rollup/").status_code == 404  # not its campaign
    assert c.get(f"/reports/{tree.camp_b.pk}/rollup/?root={tree.city.pk}").status_code == 404
    body = c.get(f"/reports/{tree.camp_b.pk}/rollup/").content.decode()
    assert "乙县 · 2023年" in body and "甲县" not in body


def test_it_refuses_a_unit_reporter(client_for, tree):
    reporter = user_with("t-rep", tree.a1, Role.UNIT_REPORTER)
    c = client_for(reporter)
    assert c.get(f"/reports/{tree.camp_a.pk}/rollup/").status_code == 403
    assert c.get(f"/reports/{tree.camp_a.pk}/rollup/?root={tree.a1.pk}").status_code == 403
    assert c.get(f"/reports/{tree.camp_a.pk}/rollup/?root={tree.a2.pk}").status_code == 404


def test_it_answers_404_for_a_bad_root(client_for, tree):
    c = client_for(tree.org_city)
    assert c.get(f"/reports/{tree.camp_a.pk}/rollup/?root=abc").status_code == 404
    assert c.get(f"/reports/{tree.camp_a.pk}/rollup/?root=999999").status_code == 404
