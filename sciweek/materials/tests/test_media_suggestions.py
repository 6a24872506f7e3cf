"""The confirmed media registry offered as the value of 参与媒体数量 / 宣传报道数量 on the unit's entry page
(reports.suggestions), adopted with one click, and still cross-checked when the unit types another figure."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from sciweek.materials.media.services import media_report_confirm, media_report_save, outlet_save
from sciweek.materials.models import MediaReport
from sciweek.reports.models import ReportValue
from sciweek.reports.suggestions import suggestions_for
from sciweek.reports.tests.report_files import open_mine, report_of, save_cell

pytestmark = pytest.mark.django_db


def registry(campaign, unit, actor, reviewer, *, confirmed, pending=0, outlets=2, tag=""):
    """``confirmed`` reports spread over ``outlets`` outlets, plus ``pending`` unconfirmed ones."""
    made = []
    for i in range(confirmed + pending):
        outlet = outlet_save(actor=actor, region=campaign.org_unit, name=f"媒体{i % outlets}", kind="wechat")
        r = media_report_save(
            actor=actor,
            campaign=campaign,
            entered_by_unit=unit,
            unit=unit,
            outlet=outlet,
            title=f"{unit.name}报道{tag}{i}",
            published_on=dt.date(2023, 5, 21),
            url=f"https://news.example/{unit.pk}/{tag}{i}",
        )
        if i < confirmed:
            r = media_report_confirm(actor=reviewer, report=r, version=r.version)
        made.append(r)
    return made


@pytest.fixture
def qx_registry(demo, qxj, organizer, unit):
    return registry(demo.campaign, unit("县气象局"), qxj, organizer, confirmed=7, pending=2, outlets=3)


def test_the_entry_page_offers_the_confirmed_counts_beside_both_rows(client_for, qxj, demo, qx_registry):
    body = open_mine(client_for(qxj), demo.campaign).content.decode()
    # Pending reports are not counted: 7 confirmed over 3 outlets.
    assert body.count("媒体报道登记：3 家媒体，7 篇报道") == 2
    report = report_of(demo.campaign, qx_registry[0].unit)
    assert f'formaction="/reports/{report.pk}/adopt/media_reports/"' in body
    assert 'data-suggest-for="v-media_reports" data-suggest-value="7"' in body
    assert 'data-suggest-for="v-media_outlets" data-suggest-value="3"' in body
    # Only those two rows carry a suggestion.
    assert body.count("data-suggest-row=") == 2


def test_adopting_without_javascript_saves_the_registry_figure_and_keeps_the_other_typed_rows(
    client_for, qxj, demo, qx_registry
):
    c = client_for(qxj)
    open_mine(c, demo.campaign)
    report = report_of(demo.campaign, qx_registry[0].unit)
    # The whole entry form is posted (another row typed, the row adopted holds something else).
    r = c.post(
        f"/reports/{report.pk}/adopt/media_reports/",
        {"version": report.version, "v_events_held": "12", "v_media_reports": "99"},
    )
    assert r.status_code == 302 and r["Location"].endswith("#row-media_reports")
    values = {v.row_code: v.value for v in ReportValue.objects.filter(report=report)}
    assert values["media_reports"] == Decimal(7) and values["events_held"] == Decimal(12)
    body = c.get(r["Location"]).content.decode()
    assert "已采用「宣传报道数量」的建议值 7" in body
    assert 'data-suggest-row="media_reports"' in body and 'data-kind="adopted"' in body
    # A stale version is refused like any save: nothing changes.
    r = c.post(f"/reports/{report.pk}/adopt/media_outlets/", {"version": "1"})
    assert "未保存" in r.content.decode()
    assert not ReportValue.objects.filter(report=report, row_code="media_outlets").exists()


def test_a_unit_sees_only_its_own_registry_and_cannot_adopt_for_another(
    client_for, qxj, town1, organizer, demo, unit, qx_registry
):
    open_mine(client_for(qxj), demo.campaign)
    from sciweek.orgs.access import reporting_units

    town = reporting_units(town1)[0]
    c_town = client_for(town1)
    body = open_mine(c_town, demo.campaign).content.decode()
    assert "媒体报道登记" not in body  # 县气象局's reports are not the town's
    qx_report = report_of(demo.campaign, qx_registry[0].unit)
    assert c_town.post(f"/reports/{qx_report.pk}/adopt/media_reports/", {"version": "1"}).status_code in (
        403,
        404,
    )
    assert not ReportValue.objects.filter(report=qx_report).exists()
    # The town's own confirmed reports give the town its own figures, and leave 县气象局's alone.
    registry(demo.campaign, town, town1, organizer, confirmed=2, outlets=1, tag="t")
    body = open_mine(c_town, demo.campaign).content.decode()
    assert "媒体报道登记：1 家媒体，2 篇报道" in body and "7 篇报道" not in body
    assert suggestions_for(qx_report)["media_reports"].value == Decimal(7)


def test_a_row_without_a_suggestion_cannot_be_adopted(client_for, qxj, demo, qx_registry):
    c = client_for(qxj)
    open_mine(c, demo.campaign)
    report = report_of(demo.campaign, qx_registry[0].unit)
    assert c.post(f"/reports/{report.pk}/adopt/events_held/", {"version": report.version}).status_code == 404


def test_a_figure_typed_far_above_the_registry_is_still_flagged(
    client_for, qxj, organizer, demo, qx_registry
):
    c = client_for(qxj)
    open_mine(c, demo.campaign)
    report = report_of(demo.campaign, qx_registry[0].unit)
    save_cell(c, report, "media_reports", "28")
    body = open_mine(c, demo.campaign).content.decode()
    assert 'data-kind="suggest-warning"' in body
    report.refresh_from_db()
    report.status = "submitted"
    report.save(update_fields=["status"])
    dash = client_for(organizer).get(f"/reports/{demo.campaign.pk}/dashboard/").content.decode()
    assert "「宣传报道数量」填报 28，系统记录 7（媒体报道登记中已确认的7篇报道），相差较大，请核实" in dash


def test_a_failing_provider_does_not_stop_the_page(client_for, qxj, demo, qx_registry):
    from sciweek.reports.suggestions import register_suggestions, unregister_suggestions

    @register_suggestions("broken")
    def broken(*, campaign_id, unit_id):
        raise RuntimeError("boom")

    try:
        body = open_mine(client_for(qxj), demo.campaign).content.decode()
    finally:
        unregister_suggestions("broken")
    assert "媒体报道登记：3 家媒体，7 篇报道" in body
    assert MediaReport.objects.filter(status="confirmed").count() == 7


def test_the_source_text_and_materials_messages_are_translated(demo, qx_registry):
    from django.utils import translation

    from sciweek.materials.boards.sizes import SIZES
    from sciweek.materials.media.figures import media_suggestions

    unit_id = qx_registry[0].unit_id
    with translation.override("en"):
        found = media_suggestions(campaign_id=demo.campaign.pk, unit_id=unit_id)
        assert found["media_reports"].source == "Media registry: 3 outlets, 7 reports"
        assert str(SIZES["rollup"].label) == "Roll-up banner 80×200 cm"
        assert MediaReport.Status.CONFIRMED.label == "Confirmed"
    assert media_suggestions(campaign_id=demo.campaign.pk, unit_id=unit_id)["media_outlets"].value == 3
