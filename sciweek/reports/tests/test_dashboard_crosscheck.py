"""Known figures beside the entered values: a provider registered by another app feeds the dashboard."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from sciweek.reports.crosscheck import (
    crosscheck,
    disagrees,
    has_providers,
    known_figures,
    register_batch_provider,
    register_provider,
    unregister_provider,
)
from sciweek.reports.models import Report

from .stats_data import put_report


@pytest.fixture
def events_provider():
    """Stands in for the events app: it knows how many approved events each unit held."""

    @register_provider("test-events")
    def provide(report: Report) -> dict[str, tuple[Decimal, str]]:
        known = {"县气象局": Decimal(20), "示例镇一": Decimal(3)}
        if report.unit.display_name not in known:
            return {}
        return {"events_held": (known[report.unit.display_name], "活动登记：已通过的活动")}

    yield provide
    unregister_provider("test-events")


def test_it_judges_wide_disagreement_as_over_half_and_over_five():
    assert disagrees(Decimal(3), Decimal(20))  # 17 apart, 85 %
    assert not disagrees(Decimal(2), Decimal(3))  # 50 % but only 1 apart
    assert not disagrees(Decimal(100), Decimal(90))  # 10 apart but 11 %
    assert disagrees(None, Decimal(12))  # left blank, the system counted 12
    assert disagrees(Decimal(9), Decimal(0))


def test_it_counts_the_registered_providers(events_provider):
    assert has_providers()


def test_it_shows_the_known_figure_and_warns_when_far_off(client_for, organizer, demo, unit, events_provider):
    qxj = put_report(demo.campaign, unit("县气象局"), {"events_held": 3}, status="submitted")
    town1 = demo.campaign.participating_units().get(name="示例镇一")
    put_report(demo.campaign, town1, {"events_held": 2}, status="submitted")
    assert known_figures(qxj) == {"events_held": (Decimal(20), "活动登记：已通过的活动")}
    body = client_for(organizer).get(f"/reports/{demo.campaign.pk}/dashboard/").content.decode()
    row = re.sub(r"\s+", " ", re.search(r'<tr data-unit="341324-qxj">.*?</tr>', body, re.S)[0])
    assert "「举办活动次数」填报 3，系统记录 20（活动登记：已通过的活动），相差较大，请核实" in row
    assert "text-danger" in row
    town = re.sub(r"\s+", " ", re.search(r'<tr data-unit="341324-town1">.*?</tr>', body, re.S)[0])
    assert "填报 2，系统记录 3" in town and "相差较大" not in town


def test_it_survives_a_failing_provider(demo, unit):
    @register_provider("broken")
    def broken(report):
        raise RuntimeError("boom")

    try:
        report = put_report(demo.campaign, unit("县气象局"), {"events_held": 3})
        assert known_figures(report) == {}
        assert crosscheck(report, {"events_held": Decimal(3)}, {"events_held": "举办活动次数"}) == []
    finally:
        unregister_provider("broken")


def test_it_asks_a_batch_provider_once_for_the_whole_dashboard(client_for, organizer, demo, unit):
    calls: list[int] = []

    @register_batch_provider("test-media")
    def media(reports):
        calls.append(len(reports))
        return {r.pk: {"media_reports": (Decimal(30), "媒体报道登记")} for r in reports}

    try:
        for short in ("县气象局", "县科协", "县妇联"):
            put_report(demo.campaign, unit(short), {"media_reports": 28}, status="submitted")
        body = client_for(organizer).get(f"/reports/{demo.campaign.pk}/dashboard/").content.decode()
        assert calls == [3]
        assert body.count("「宣传报道数量」填报 28，系统记录 30（媒体报道登记）") == 3
    finally:
        unregister_provider("test-media")
