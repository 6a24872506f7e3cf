"""The organizer edits the form in the browser; a form with data is never changed underneath it."""

from __future__ import annotations

import pytest

from sciweek.core.models import AuditEvent
from sciweek.reports.models import FormDefinition, Report

from .report_files import open_mine, report_of, save_cell

pytestmark = pytest.mark.django_db

ROW = {
    "label": "科普讲座场次",
    "section": "科普活动开展次数",
    "unit": "场",
    "value_type": "int",
    "decimals": "0",
    "help": "面向公众的科普讲座。",
    "min_value": "",
    "max_value": "200",
    "max_plausible": "50",
    "required": "on",
}


def current(campaign) -> FormDefinition:
    return FormDefinition.objects.get(campaign=campaign, is_current=True)


def post_row(client, campaign, row=None, **changes):
    url = f"/reports/{campaign.pk}/form/rows/{row}/" if row else f"/reports/{campaign.pk}/form/rows/new/"
    return client.post(url, {**ROW, "revision": current(campaign).revision, **changes}, follow=True)


def test_it_adds_renames_and_reorders_rows_without_code(client_for, organizer, qxj, demo):
    org = client_for(organizer)
    page = org.get(f"/reports/{demo.campaign.pk}/form/").content.decode()
    assert "举办活动次数" in page and "新增指标" in page and "核对规则（A 之和 ≤ B）" in page

    body = post_row(org, demo.campaign, code="lectures").content.decode()
    assert "指标「科普讲座场次」已保存" in body
    form = current(demo.campaign)
    assert form.version == 1  # nobody has data yet: changed in place
    row = form.rows.get(code="lectures")
    assert (row.order, row.unit, row.max_value, row.max_plausible) == (17, "场", 200, 50)

    for _ in range(16):
        org.post(
            f"/reports/{demo.campaign.pk}/form/rows/lectures/up/",
            {"revision": current(demo.campaign).revision},
        )
    post_row(org, demo.campaign, "lectures", label="科普讲座举办场次")
    assert list(current(demo.campaign).rows.values_list("code", flat=True))[:2] == ["lectures", "events_held"]

    unit_page = open_mine(client_for(qxj), demo.campaign).content.decode()
    assert unit_page.index("科普讲座举办场次") < unit_page.index("举办活动次数")
    assert '<span class="input-group-text">场</span>' in unit_page
    assert AuditEvent.objects.filter(action="form.row_change", after__label="科普讲座举办场次").exists()


def test_it_makes_a_new_version_once_reports_hold_data(client_for, organizer, qxj, town1, demo, unit):
    c = client_for(qxj)
    open_mine(c, demo.campaign)
    qxj_report = report_of(demo.campaign, unit("县气象局"))
    save_cell(c, qxj_report, "fund_fiscal", "3.5")
    open_mine(client_for(town1), demo.campaign)  # an empty draft: it follows the new version
    town_report = Report.objects.get(unit__name="示例镇一")

    org = client_for(organizer)
    body = post_row(
        org,
        demo.campaign,
        "fund_fiscal",
        label="财政经费投入",
        section="经费",
        unit="万元",
        value_type="decimal",
        decimals="2",
        max_value="",
        max_plausible="",
    ).content.decode()
    assert "原统计表已有单位填报的数据，修改已保存为第2版" in body
    old, new = FormDefinition.objects.get(campaign=demo.campaign, version=1), current(demo.campaign)
    assert new.version == 2 and not old.is_current
    assert old.rows.get(code="fund_fiscal").label == "县级(单位)财政经费投入情况"
    assert (
        new.rows.get(code="fund_fiscal").decimals == 2 and new.rows.count() == 16 and new.rules.count() == 1
    )
    qxj_report.refresh_from_db()
    town_report.refresh_from_db()
    assert qxj_report.form == old and town_report.form == new

    assert "县级(单位)财政经费投入情况" in open_mine(c, demo.campaign).content.decode()
    town_page = open_mine(client_for(town1), demo.campaign).content.decode()
    assert "财政经费投入" in town_page and "县级(单位)财政经费投入情况" not in town_page
    assert (
        "「财政经费投入」最多保留2位小数"
        in save_cell(client_for(town1), town_report, "fund_fiscal", "1.234").content.decode()
    )
    # A second change goes into the new version (it has no data yet), not a third one.
    post_row(
        org,
        demo.campaign,
        "events_held",
        label="举办科普活动次数",
        section="科普活动开展次数",
        unit="次",
        max_value="",
        max_plausible="500",
    )
    assert FormDefinition.objects.filter(campaign=demo.campaign).count() == 2


def test_it_refuses_bad_row_settings_with_a_message_per_field(client_for, organizer, demo):
    org = client_for(organizer)
    body = post_row(
        org,
        demo.campaign,
        value_type="decimal",
        decimals="0",
        min_value="10",
        max_value="5",
        label="举办活动次数",
    ).content.decode()
    assert "已有名为「举办活动次数」的指标" in body
    body = post_row(
        org, demo.campaign, value_type="decimal", decimals="0", min_value="10", max_value="5"
    ).content.decode()
    assert "小数位数应为1到4位" in body and "最小值不能大于最大值" in body
    body = post_row(org, demo.campaign, max_value="abc", code="Bad Code!").content.decode()
    assert "「最大值」应为不小于0的数字，最多4位小数" in body
    body = post_row(org, demo.campaign, unit="斤").content.decode()
    assert "选择一个有效的选项" in body or "计量单位应为" in body
    assert current(demo.campaign).rows.count() == 16


def test_it_refuses_an_edit_made_on_a_stale_page(client_for, organizer, demo):
    org = client_for(organizer)
    stale = current(demo.campaign).revision
    post_row(org, demo.campaign, "events_held", label="举办科普活动次数", max_value="", max_plausible="500")
    r = org.post(
        f"/reports/{demo.campaign.pk}/form/rows/events_held/",
        {**ROW, "label": "活动次数（旧页面）", "revision": stale},
        follow=True,
    )
    assert "统计表格式已被其他人修改，请刷新页面查看最新内容后再保存" in r.content.decode()
    assert current(demo.campaign).rows.get(code="events_held").label == "举办科普活动次数"


def test_it_adds_a_cross_row_rule_the_units_then_meet(client_for, organizer, qxj, demo, unit):
    org = client_for(organizer)
    r = org.post(
        f"/reports/{demo.campaign.pk}/form/rules/new/",
        {
            "revision": current(demo.campaign).revision,
            "left_codes": ["staff_fulltime", "staff_scientists"],
            "right_code": "public_offline",
            "severity": "error",
            "message": "工作人员不应多于参与群众",
        },
        follow=True,
    )
    assert "校验规则已添加" in r.content.decode()
    assert "「科普专职人员数量」＋「科技工作者参与数量」 ≤ 「线下活动群众参与数量」" in r.content.decode()
    c = client_for(qxj)
    open_mine(c, demo.campaign)
    report = report_of(demo.campaign, unit("县气象局"))
    save_cell(c, report, "staff_fulltime", "30")
    save_cell(c, report, "public_offline", "40")
    body = save_cell(c, report, "staff_scientists", "20").content.decode()
    assert (
        "「科普专职人员数量」与「科技工作者参与数量」之和（50人）大于「线下活动群众参与数量」（40人次）：工作人员不应多于参与群众"
        in body
    )

    rule = current(demo.campaign).rules.get(right_code="public_offline")
    org.post(
        f"/reports/{demo.campaign.pk}/form/rules/{rule.pk}/delete/",
        {"revision": current(demo.campaign).revision},
    )
    assert not current(demo.campaign).rules.filter(right_code="public_offline").exists()
    assert FormDefinition.objects.filter(campaign=demo.campaign).count() == 2  # the report had data


def test_it_lets_only_the_organizer_edit_the_form(client_for, qxj, xcb, city, demo):
    url = f"/reports/{demo.campaign.pk}/form/"
    assert client_for(qxj).get(url).status_code == 403
    assert client_for(xcb).get(url).status_code == 403
    assert client_for(xcb).post(f"{url}rows/new/", {**ROW, "revision": 1}).status_code == 403
    assert current(demo.campaign).rows.count() == 16


def test_it_sets_head_approval_and_required_attachments(client_for, organizer, demo):
    org = client_for(organizer)
    form = current(demo.campaign)
    r = org.post(
        f"/reports/{demo.campaign.pk}/form/",
        {
            "revision": form.revision,
            "title": form.title,
            "footnote": form.footnote,
            "requires_head_approval": "on",
            "required_attachments": ["summary", "stamped", "photo"],
        },
        follow=True,
    )
    assert "表格设置已保存" in r.content.decode()
    form.refresh_from_db()
    assert form.requires_head_approval and form.required_attachments == ["summary", "photo", "stamped"]
