"""Roll-up over the tree: totals at every level, approved-only vs all, across the counties' campaigns."""

from __future__ import annotations

from decimal import Decimal

import pytest

from sciweek.reports.rollup import rollup, rollup_counts

from .stats_data import Tree, campaign_for, put_report

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree():
    t = Tree()
    put_report(t.camp_a, t.a1, {"events_held": 3, "fund_fiscal": "1.5"}, status="approved")
    put_report(t.camp_a, t.a2, {"events_held": 4, "fund_fiscal": "—"}, status="submitted")
    put_report(t.camp_b, t.b1, {"events_held": 10, "public_offline": 100}, status="approved")
    # another year: never counted in 2023
    old = campaign_for(t.county_a, 2022)
    put_report(old, t.a1, {"events_held": 50}, status="approved")
    return t


def test_it_sums_every_level_approved_only(tree):
    r = rollup(year=2023, root=tree.province, approved_only=True)
    assert r["T-A1"] == {"events_held": Decimal(3), "fund_fiscal": Decimal("1.5")}
    assert r["T-A2"] == {}
    assert r["T-A"] == {"events_held": Decimal(3), "fund_fiscal": Decimal("1.5")}
    assert r["T-B"] == {"events_held": Decimal(10), "public_offline": Decimal(100)}
    assert (
        r["T-C"]
        == r["T-P"]
        == {"events_held": Decimal(13), "fund_fiscal": Decimal("1.5"), "public_offline": Decimal(100)}
    )
    assert set(r) == {"T-P", "T-C", "T-A", "T-B", "T-A1", "T-A2", "T-B1"}


def test_it_adds_submitted_reports_when_all_are_counted(tree):
    r = rollup(year=2023, root=tree.city, approved_only=False)
    assert r["T-A"]["events_held"] == Decimal(7)
    assert r["T-A2"] == {"events_held": Decimal(4)}  # 不适用 adds nothing
    assert r["T-C"]["events_held"] == Decimal(17)
    assert "T-P" not in r  # nothing above the root


def test_it_ignores_drafts_returned_reports_and_other_years(tree):
    put_report(tree.camp_b, tree.b1, {"events_held": 99}, status="draft")
    assert "events_held" not in rollup(year=2023, root=tree.city, approved_only=False)["T-B"]
    put_report(tree.camp_b, tree.b1, {"events_held": 99}, status="returned")
    assert "events_held" not in rollup(year=2023, root=tree.city, approved_only=False)["T-B"]
    assert rollup(year=2022, root=tree.province, approved_only=True)["T-P"] == {"events_held": Decimal(50)}


def test_it_stops_at_the_requested_depth(tree):
    r = rollup(year=2023, root=tree.province, approved_only=False, depth=2)
    assert set(r) == {"T-P", "T-C", "T-A", "T-B"}
    assert r["T-A"]["events_held"] == Decimal(7)


def test_it_counts_a_unit_once_when_campaigns_are_nested(tree):
    city_campaign = campaign_for(tree.city, 2023, "2023年测试市科技活动周")
    put_report(
        city_campaign, tree.a1, {"events_held": 1000}, status="approved"
    )  # the county's own report wins
    r = rollup(year=2023, root=tree.province, approved_only=True)
    assert r["T-A1"]["events_held"] == Decimal(3)
    assert r["T-P"]["events_held"] == Decimal(13)


def test_it_counts_expected_and_submitted_reports_per_level(tree):
    counts = rollup_counts(year=2023, root=tree.city)
    assert (counts["T-A"].expected, counts["T-A"].submitted, counts["T-A"].approved) == (2, 2, 1)
    assert (counts["T-B"].expected, counts["T-B"].submitted) == (1, 1)
    assert (counts["T-C"].expected, counts["T-C"].submitted, counts["T-C"].percent) == (3, 3, 100)


def test_units_of_counties_whose_forms_differ_are_read_in_their_own_layout(tree):
    """乙县 added a row of its own to its form: the unit level lines both counties' totals up by code."""
    from sciweek.reports.models import FormRow

    form_b = tree.camp_b.forms.get(is_current=True)
    FormRow.objects.create(form=form_b, order=99, code="aa_local_row", label="本县自设指标")
    form_b.revision += 1  # as the form editor does (the rows of a form revision are cached per process)
    form_b.save(update_fields=["revision"])
    put_report(tree.camp_b, tree.b1, {"events_held": 10, "aa_local_row": 7}, status="approved")
    r = rollup(year=2023, root=tree.province, approved_only=False)
    assert r["T-B1"] == {"events_held": Decimal(10), "aa_local_row": Decimal(7)}
    assert r["T-A1"] == {"events_held": Decimal(3), "fund_fiscal": Decimal("1.5")}
    assert r["T-C"]["events_held"] == Decimal(17) and r["T-C"]["aa_local_row"] == Decimal(7)
