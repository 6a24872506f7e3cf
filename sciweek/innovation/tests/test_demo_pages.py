"""The demo part, and the pages over it: dashboard (bureau and town), export, lists, matches, cross-check."""

from __future__ import annotations

import io

import openpyxl
import pytest

from sciweek.campaigns.demo_parts import demo_parts
from sciweek.innovation.choices import Status
from sciweek.innovation.models import Demand, Enterprise, Expert, ServiceLog


@pytest.fixture
def innovation_demo(demo):
    from sciweek.demo.loader import load_demo  # noqa: F401  (the fixture loaded the seed)

    part = next(p for p in demo_parts() if p.name == "企业创新服务")
    from sciweek.campaigns.demo_parts import DemoContext
    from sciweek.orgs.models import OrgUnit

    county = OrgUnit.objects.get(name="泗县")
    ctx = DemoContext(
        campaign=demo.campaign, county=county, city=county.get_parent(), province=county.get_parent().get_parent(),
        units={}, towns=list(OrgUnit.objects.filter(kind="town").order_by("path")), societies=[],
    )  # fmt: skip
    part.run(ctx)
    return ctx


def test_the_demo_has_every_status_and_the_week(innovation_demo):
    assert Enterprise.objects.count() == 40
    assert Expert.objects.filter(is_commissioner=True).count() == 15
    assert set(Demand.objects.values_list("status", flat=True)) == set(Status.values)
    assert Demand.objects.count() == 25
    assert ServiceLog.objects.filter(date__range=("2023-05-20", "2023-05-31")).count() == 45
    assert not Demand.objects.filter(is_secret=True, is_published=True).exists()


def test_the_bureau_and_a_town_see_their_dashboards(innovation_demo, client_for, organizer, town1):
    r = client_for(organizer).get("/innovation/?week=1")
    assert r.status_code == 200
    html = r.content.decode()
    assert "示例镇一" in html and "示例镇二" in html and "chart-status" in html
    r = client_for(town1).get("/innovation/")
    assert r.status_code == 200
    assert "示例镇二" not in r.content.decode()
    r = client_for(organizer).get("/innovation/export.xlsx")
    wb = openpyxl.load_workbook(io.BytesIO(r.content))
    assert wb.sheetnames == ["按镇汇总", "技术需求", "送技下乡"]
    assert wb["技术需求"].max_row == 26


def test_pages_answer_in_scope_and_hide_out_of_scope(innovation_demo, client_for, organizer, town1):
    other = Demand.objects.exclude(unit__name="示例镇一").first()
    mine = Demand.objects.filter(unit__name="示例镇一").first()
    town = client_for(town1)
    assert town.get(f"/innovation/demands/{other.pk}/").status_code == 404
    assert town.get(f"/innovation/demands/{mine.pk}/matches/").status_code == 200
    assert town.get(f"/innovation/enterprises/{other.enterprise_id}/").status_code == 404
    bureau = client_for(organizer)
    for url in ("/innovation/enterprises/", "/innovation/demands/", "/innovation/experts/", "/innovation/logs/",
                f"/innovation/demands/{other.pk}/", f"/innovation/enterprises/{other.enterprise_id}/",
                f"/innovation/demands/new/?enterprise={other.enterprise_id}", "/innovation/experts/new/"):  # fmt: skip
        assert bureau.get(url).status_code == 200, url
    assert town.get("/innovation/experts/new/").status_code == 403


def test_service_logs_offer_figures_to_the_statistics_table(innovation_demo, demo):
    from sciweek.innovation.crosscheck import service_figures_many
    from sciweek.orgs.models import OrgUnit
    from sciweek.reports.models import Report

    town = OrgUnit.objects.get(name="示例镇一")
    report = Report.objects.filter(campaign=demo.campaign, unit=town).first()
    if report is None:
        from sciweek.reports.models import FormDefinition

        report = Report.objects.create(campaign=demo.campaign, unit=town, form=FormDefinition.objects.first())
    figures = service_figures_many([report])[report.pk]
    logs = ServiceLog.objects.filter(unit=town, date__range=("2023-05-20", "2023-05-31"))
    assert figures["staff_scientists"][0] == logs.values("expert").distinct().count()
    assert figures["events_held"][0] == logs.filter(event_id__isnull=True).count()
