"""Sending the county's result up to the city: snapshot, review, new versions with a diff, outdated
when a report is reopened, mapping onto a different form, scopes."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from docx import Document

from sciweek.campaigns.models import Campaign
from sciweek.orgs.models import OrgUnit, Role, UnitKind
from sciweek.reports.formspec import FormSpec, RowSpec
from sciweek.reports.models import Report, form_from_spec
from sciweek.reports.rollup import rollup
from sciweek.reports.services import report_reopen
from sciweek.reports.tests.stats_data import add_unit, campaign_for, put_report, user_with
from sciweek.summary import sendup
from sciweek.summary.data import num
from sciweek.summary.models import SendUp

from .summary_data import fill_county


@pytest.fixture
def city_campaign(demo):
    """The city's campaign; the county's own is at 总结上报, when sending up opens."""
    Campaign.objects.filter(pk=demo.campaign.pk).update(status=Campaign.Status.REPORTING)
    demo.campaign.refresh_from_db()
    county = demo.campaign.org_unit
    city = OrgUnit.objects.get(pk=county.get_parent().pk)
    target = campaign_for(city, 2023, "2023年宿州市科技活动周")
    Campaign.objects.filter(pk=target.pk).update(status=Campaign.Status.REPORTING)  # it sends up too
    target.refresh_from_db()
    return target


@pytest.fixture
def approved_county(demo, unit):
    return fill_county(demo.campaign, [unit("县气象局"), unit("县科协")])


def test_it_sends_an_immutable_snapshot_equal_to_the_rollup(
    demo, unit, organizer, city_campaign, approved_county
):
    put_report(demo.campaign, unit("县教体局"), {"events_held": 1}, status="submitted")
    with pytest.raises(ValidationError, match="还有1个单位的统计表待审核"):
        sendup.sendup_send(source=demo.campaign, actor=organizer, with_summary=False)
    Report.objects.filter(unit=unit("县教体局")).update(status="approved")
    s = sendup.sendup_send(source=demo.campaign, actor=organizer)
    county = demo.campaign.org_unit
    totals = rollup(year=2023, root=county, approved_only=True, depth=0)[county.code]
    assert s.target == city_campaign and s.number == 1 and s.status == "sent"
    assert s.table == {code: num(v) for code, v in totals.items()}
    assert {u["name"]: u["status"] for u in s.units}["泗县气象局"] == "approved"
    assert {u["name"]: u["status"] for u in s.units}["示例镇一"] == "missing"
    doc = Document(io.BytesIO(s.summary_file.read()))
    assert doc.paragraphs[0].text == "泗县2023年科技活动周工作总结"
    s.table["events_held"] = "999"
    with pytest.raises(ValueError, match="不可修改"):
        s.save()
    with pytest.raises(ValueError, match="不可修改"):
        s.save(update_fields=["table"])
    assert SendUp.objects.get(pk=s.pk).table["events_held"] == num(totals["events_held"])


def test_the_city_returns_the_county_resends_and_the_city_sees_the_diff(
    demo, unit, organizer, city, city_campaign, approved_county
):
    first = sendup.sendup_send(source=demo.campaign, actor=organizer, with_summary=False)
    with pytest.raises(ValidationError, match="退回原因"):
        sendup.sendup_return(sendup=first, actor=city, reason=" ")
    sendup.sendup_return(sendup=first, actor=city, reason="线上参与人次偏低，请核实", version=1)
    report = approved_county[0]
    report_reopen(report=report, actor=organizer, version=report.version, reason="更正线上人次")
    put_report(demo.campaign, report.unit, {"public_online": 50000, "events_held": 6}, status="approved")
    second = sendup.sendup_send(source=demo.campaign, actor=organizer, with_summary=False)
    assert second.number == 2
    changed = {
        d["code"]: (d["before"], d["after"]) for d in sendup.diff(sendup.previous(second), second)["rows"]
    }
    assert changed["public_online"][1] == num(50000 + 12000 * 2)
    sendup.sendup_approve(sendup=second, actor=city)
    assert SendUp.objects.get(pk=second.pk).status == "approved"
    with pytest.raises(ValidationError, match="不能再审核"):
        sendup.sendup_approve(sendup=second, actor=city)


def test_a_report_reopened_after_sending_marks_the_snapshot_outdated_for_both(
    demo, unit, organizer, city, city_campaign, approved_county, client_for
):
    s = sendup.sendup_send(source=demo.campaign, actor=organizer, with_summary=False)
    assert sendup.outdated_ids([s]) == set()
    report = Report.objects.get(pk=approved_county[0].pk)
    report_reopen(report=report, actor=organizer, version=report.version, reason="数据有误")
    assert sendup.outdated_ids([s]) == {s.pk}
    county_page = client_for(organizer).get(f"/summary/campaign/{demo.campaign.pk}/send/")
    assert "已过时" in county_page.content.decode()
    city_queue = client_for(city).get(f"/summary/campaign/{city_campaign.pk}/received/")
    assert "已过时" in city_queue.content.decode()
    assert (
        "已过时：报送后有单位的统计表被重新打开"
        in client_for(city).get(f"/summary/sendup/{s.pk}/").content.decode()
    )


def test_a_different_city_form_is_mapped_by_label_with_a_mapping_page(
    demo, unit, organizer, city, city_campaign, approved_county, client_for
):
    city_campaign.forms.all().delete()
    form_from_spec(
        campaign=city_campaign,
        spec=FormSpec(
            title="市表",
            rows=(
                RowSpec("A01", "", "举办活动次数", "次", "int"),
                RowSpec("A02", "", "线下 活动群众参与数量", "人次", "int"),
                RowSpec("A03", "", "科普讲座场次", "场", "int"),
            ),
        ),
    )
    s = sendup.sendup_send(source=demo.campaign, actor=organizer, with_summary=False)
    county = demo.campaign.org_unit
    totals = rollup(year=2023, root=county, approved_only=True, depth=0)[county.code]
    assert s.table == {"A01": num(totals["events_held"]), "A02": num(totals["public_offline"])}
    how = {m["target_code"]: m["how"] for m in s.mapping if m["target_code"]}
    assert how == {"A01": "label", "A02": "label", "A03": "none"}
    page = client_for(city).get(f"/summary/sendup/{s.pk}/").content.decode()
    assert "指标对应（下级表格与上级表格不同）" in page and "未对应" in page


def test_scopes_a_unit_cannot_send_and_another_county_cannot_see(
    demo, unit, organizer, qxj, city, city_campaign, approved_county, client_for
):
    assert client_for(qxj).post(f"/summary/campaign/{demo.campaign.pk}/send/").status_code in (403, 404)
    with pytest.raises((PermissionDenied, Exception)):
        sendup.sendup_send(source=demo.campaign, actor=qxj, with_summary=False)
    assert not SendUp.objects.exists()
    s = sendup.sendup_send(source=demo.campaign, actor=organizer, with_summary=False)
    other = add_unit(city_campaign.org_unit, "灵璧县", "341323", kind=UnitKind.COUNTY)
    lb_kjj = user_with("lb-kjj", other, Role.ORGANIZER)
    assert client_for(lb_kjj).get(f"/summary/sendup/{s.pk}/").status_code == 404
    assert client_for(lb_kjj).get(f"/summary/sendup/{s.pk}/summary.docx").status_code == 404
    assert (
        client_for(organizer).post(f"/summary/sendup/{s.pk}/review/", {"action": "approve"}).status_code
        == 403
    )
    assert client_for(city).get(f"/summary/sendup/{s.pk}/").status_code == 200
    r = client_for(city).post(f"/summary/sendup/{s.pk}/review/", {"action": "approve", "version": "1"})
    assert r.status_code == 302 and SendUp.objects.get(pk=s.pk).status == "approved"


def test_the_city_sends_up_to_the_province_listing_its_counties(
    demo, unit, organizer, city, city_campaign, approved_county
):
    province_region = city_campaign.org_unit.get_parent()
    province_campaign = campaign_for(province_region, 2023, "2023年安徽省科技活动周")
    county_sendup = sendup.sendup_send(source=demo.campaign, actor=organizer, with_summary=False)
    assert county_sendup.target == city_campaign  # the nearest region above with a campaign
    with pytest.raises(ValidationError, match="还有1个下级的上报待审核"):
        sendup.sendup_send(source=city_campaign, actor=city, with_summary=False)
    sendup.sendup_approve(sendup=county_sendup, actor=city)
    up = sendup.sendup_send(source=city_campaign, actor=city, with_summary=False)
    assert up.target == province_campaign and up.region == city_campaign.org_unit
    counties = {u["name"]: u["status"] for u in up.units if u.get("region")}
    assert counties == {"泗县": "approved"}
    city_region = city_campaign.org_unit
    totals = rollup(year=2023, root=city_region, approved_only=True, depth=0)[city_region.code]
    assert up.table["events_held"] == num(totals["events_held"])
    # the county cannot see the city's send-up to the province
    with pytest.raises(Http404):
        sendup.access_sendup(organizer, up.pk)


def test_sending_up_opens_at_the_weeks_end_and_stays_open_after_the_close(
    demo, unit, organizer, city, city_campaign, approved_county, client_for
):
    Campaign.objects.filter(pk=demo.campaign.pk).update(status=Campaign.Status.RUNNING)
    demo.campaign.refresh_from_db()
    with pytest.raises(ValidationError, match="不能向上级报送"):
        sendup.sendup_send(source=demo.campaign, actor=organizer, with_summary=False)
    r = client_for(organizer).post(f"/summary/campaign/{demo.campaign.pk}/send/", follow=True)
    assert "活动周结束后（总结上报阶段起）才能向上级报送" in r.content.decode()
    assert not SendUp.objects.exists()
    Campaign.objects.filter(pk=demo.campaign.pk).update(status=Campaign.Status.CLOSED)
    demo.campaign.refresh_from_db()
    first = sendup.sendup_send(source=demo.campaign, actor=organizer, with_summary=False)
    sendup.sendup_return(sendup=first, actor=city, reason="请更正")
    assert sendup.sendup_send(source=demo.campaign, actor=organizer, with_summary=False).number == 2


def test_the_summary_is_not_written_before_the_week_starts(demo, organizer):
    from sciweek.summary.services import summary_generate, summary_update

    draft = summary_generate(campaign=demo.campaign, node=demo.campaign.org_unit, actor=organizer)
    Campaign.objects.filter(pk=demo.campaign.pk).update(status=Campaign.Status.PUBLISHED)
    demo.campaign.refresh_from_db()
    with pytest.raises(ValidationError, match="不能编辑活动总结"):
        summary_update(draft=draft, actor=organizer, version=draft.version, title="新标题")
    with pytest.raises(ValidationError, match="不能编辑活动总结"):
        summary_generate(campaign=demo.campaign, node=demo.campaign.org_unit, actor=organizer)


def test_a_review_posted_with_a_version_that_is_no_number_changes_nothing(
    demo, organizer, city, city_campaign, approved_county, client_for
):
    """The hidden version was read with int(): "abc" answered 500 to the city reviewer."""
    s = sendup.sendup_send(source=demo.campaign, actor=organizer, with_summary=False)
    r = client_for(city).post(
        f"/summary/sendup/{s.pk}/review/", {"action": "return", "reason": "", "version": "x"}
    )
    assert r.status_code == 302
    assert SendUp.objects.get(pk=s.pk).status == "sent"


def test_a_double_click_on_send_sends_one_version(
    demo, organizer, city_campaign, approved_county, client_for
):
    """Two quick clicks on 重新报送 made 第3版 and 第4版 a second apart: the form says which version its
    page showed, and a newer one by then means nothing more is sent."""
    c = client_for(organizer)
    url = f"/summary/campaign/{demo.campaign.pk}/send/"
    page = c.get(url).content.decode()
    assert 'name="after" value="0"' in page
    first = c.post(url, {"note": "", "after": "0"})
    assert first.status_code == 302 and SendUp.objects.filter(source=demo.campaign).count() == 1
    second = c.post(url, {"note": "", "after": "0"}, follow=True)
    assert SendUp.objects.filter(source=demo.campaign).count() == 1
    assert "第1版刚刚已经上报，本次未重复报送" in second.content.decode()
    assert 'name="after" value="1"' in c.get(url).content.decode()
    assert c.post(url, {"note": "更正", "after": "1"}).status_code == 302  # a deliberate new version
    assert SendUp.objects.filter(source=demo.campaign).count() == 2
