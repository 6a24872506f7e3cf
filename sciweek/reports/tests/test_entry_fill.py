"""A unit fills its statistics table: the table as printed, saved as it types, validated row by row."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db.models import F

from sciweek.core.models import AuditEvent
from sciweek.reports.models import ReportValue, ReportValueChange

from .report_files import VALID, open_mine, report_of, save_cell

pytestmark = pytest.mark.django_db


@pytest.fixture
def mine(demo, qxj, unit, client_for):
    c = client_for(qxj)
    open_mine(c, demo.campaign)
    return c, report_of(demo.campaign, unit("县气象局"))


def test_it_shows_the_table_as_printed_with_units_and_help(client_for, qxj, demo):
    body = open_mine(client_for(qxj), demo.campaign).content.decode()
    assert "2023年全县科技活动周开展情况统计表" in body
    assert "泗县气象局" in body and "草稿" in body
    # Sections group the rows as in the notice's attachment, each row with its unit of measure and help.
    assert (
        body.index("活动经费投入数量（单位：万元）")
        < body.index("县级(单位)财政经费投入情况")
        < body.index("企业赞助经费情况")
        < body.index("科普工作人员参与数量")
    )
    assert 'inputmode="decimal"' in body and 'inputmode="numeric"' in body
    assert (
        '<span class="input-group-text">万元</span>' in body
        and '<span class="input-group-text">人次</span>' in body
    )
    assert "县级或本单位财政资金投入，单位万元，最多4位小数。" in body
    assert body.count("不适用</label>") == 16
    assert "报送截止：2023年5月30日 17:30" in body
    assert "注：此表请按通知要求填写表格于5月30日前报县科技局" in body


def test_it_saves_a_cell_as_typed_and_audits_before_and_after(mine, qxj):
    c, report = mine
    r = save_cell(c, report, "events_held", "12")
    body = r.content.decode()
    assert "已保存" in body
    assert 'id="report-version" value="2" hx-swap-oob="true"' in body
    report.refresh_from_db()
    assert report.version == 2
    assert ReportValue.objects.get(report=report, row_code="events_held").value == Decimal(12)

    save_cell(c, report, "events_held", "15")
    event = AuditEvent.objects.filter(action="report.values").first()
    assert event.actor == qxj
    assert event.before == {"events_held": "12次"} and event.after == {"events_held": "15次"}
    changes = [
        (c.version, c.before and c.before["v"], c.after["v"])
        for c in ReportValueChange.objects.filter(report=report)
    ]
    assert changes == [(2, None, "12"), (3, "12", "15")]


def test_it_keeps_zero_not_applicable_and_blank_apart(mine, client_for, qxj, demo):
    c, report = mine
    save_cell(c, report, "events_held", "0")
    save_cell(c, report, "fund_other", "", na=True)
    save_cell(c, report, "fund_fiscal", "3.5")
    save_cell(c, report, "fund_fiscal", "")  # cleared again: blank, not 0
    values = {v.row_code: v for v in report.values.all()}
    assert values["events_held"].value == 0 and not values["events_held"].not_applicable
    assert values["fund_other"].value is None and values["fund_other"].not_applicable
    assert "fund_fiscal" not in values
    body = open_mine(c, demo.campaign).content.decode()
    assert 'name="v_events_held" value="0"' in body
    assert 'id="na-fund_other" name="na_fund_other" value="1" data-na-for="v-fund_other" checked' in body
    assert 'name="v_fund_fiscal" value=""' in body


@pytest.mark.parametrize(
    ("code", "typed", "message"),
    [
        ("events_held", "-3", "「举办活动次数」不能为负数，收到 -3（未保存）"),
        ("events_held", "十二", "「举办活动次数」应填写数字，收到「十二」（未保存）"),
        ("events_held", "12.5", "「举办活动次数」应为整数，收到 12.5（未保存）"),
        ("events_held", "约30", "「举办活动次数」请填写确切数字，收到「约30」（未保存）"),
        ("fund_fiscal", "1.23456", "「县级(单位)财政经费投入情况」最多保留4位小数，收到 1.23456（未保存）"),
        (
            "fund_fiscal",
            "35000元",
            "「县级(单位)财政经费投入情况」的单位是万元，收到「35000元」，请换算为万元后填写（未保存）",
        ),
        ("public_offline", "9" * 20, "「线下活动群众参与数量」数值过大"),
    ],
)
def test_it_refuses_bad_input_naming_the_row_and_saves_nothing(mine, code, typed, message):
    c, report = mine
    save_cell(c, report, code, "7")
    before = report.values.get(row_code=code).value
    report.refresh_from_db()
    version = report.version
    r = save_cell(c, report, code, typed)
    assert r.status_code == 200
    assert message in r.content.decode()
    assert 'data-kind="error"' in r.content.decode()
    report.refresh_from_db()
    assert report.version == version
    assert report.values.get(row_code=code).value == before


def test_it_accepts_what_people_type(mine):
    c, report = mine
    for typed, stored in [("１２", 12), ("1,200人次", 1200), (" 35 ", 35), ("3.50万", Decimal("3.5"))]:
        code = "fund_fiscal" if "万" in typed else "public_offline"
        assert "已保存" in save_cell(c, report, code, typed).content.decode()
        assert report.values.get(row_code=code).value == stored


def test_it_warns_about_an_absurd_figure_and_asks_for_a_note(mine, client_for, organizer):
    c, report = mine
    r = save_cell(c, report, "public_offline", "10000000")
    body = r.content.decode()
    # Saved (a draft may hold it), but the unit is told to check and explain it.
    assert "已保存" in body
    assert (
        "「线下活动群众参与数量」为 10,000,000人次，对一个单位来说明显偏大（通常不超过 200,000人次）" in body
    )
    assert 'name="note_public_offline"' in body and "上报说明" in body
    r = save_cell(c, report, "public_offline", "10000000", note="含线上直播同步到场统计，见活动总结第3页")
    assert "is-invalid" not in r.content.decode()
    assert (
        report.values.get(row_code="public_offline").override_note
        == "含线上直播同步到场统计，见活动总结第3页"
    )


def test_it_refuses_above_a_hard_maximum_set_by_the_organizer(mine, demo):
    c, report = mine
    report.form.rows.filter(code="public_offline").update(max_value=1_000_000)
    # as the form editor does with every change (the rows of a form revision are cached per process)
    type(report.form).objects.filter(pk=report.form_id).update(revision=F("revision") + 1)
    r = save_cell(c, report, "public_offline", "10000000")
    assert (
        "「线下活动群众参与数量」超过上限 1,000,000人次（收到 10,000,000人次），请核实后重新填写（未保存）"
        in (r.content.decode())
    )
    assert not report.values.filter(row_code="public_offline").exists()


def test_it_checks_the_cross_row_rule_as_the_unit_types(mine):
    c, report = mine
    save_cell(c, report, "media_reports", "2")
    r = save_cell(c, report, "media_outlets", "5")
    body = r.content.decode()
    # The rule's message appears beside 宣传报道数量 (swapped in out of band) with a note box.
    assert 'id="msg-media_reports" class="sw-msg" hx-swap-oob="true"' in body
    assert "「参与媒体数量」（5家）大于「宣传报道数量」（2篇）" in body
    assert 'name="note_media_reports"' in body


def test_it_keeps_one_units_report_from_another(client_for, town1, qxj, demo, unit):
    open_mine(client_for(qxj), demo.campaign)
    report = report_of(demo.campaign, unit("县气象局"))
    other = client_for(town1)
    assert other.get(f"/reports/{report.pk}/").status_code == 404
    assert save_cell(other, report, "events_held", "99").status_code == 404
    assert other.get(f"/reports/{demo.campaign.pk}/mine/?unit={report.unit_id}").status_code == 404
    assert not report.values.exists()


def test_it_shows_the_bureau_read_only_and_refuses_its_writes(client_for, organizer, qxj, demo, unit):
    open_mine(client_for(qxj), demo.campaign)
    report = report_of(demo.campaign, unit("县气象局"))
    org = client_for(organizer)
    assert org.get(f"/reports/{demo.campaign.pk}/mine/").status_code == 403
    assert save_cell(org, report, "events_held", "1").status_code == 403
    assert "泗县气象局" in org.get(f"/reports/{report.pk}/").content.decode()


def test_it_saves_every_row_at_once_without_javascript(mine, demo):
    c, report = mine
    data = {f"v_{code}": value for code, value in VALID.items()} | {"version": "1", "v_events_held": "abc"}
    r = c.post(f"/reports/{report.pk}/save/", data)
    body = r.content.decode()
    assert "「举办活动次数」应填写数字，收到「abc」（未保存）" in body
    assert 'name="v_staff_volunteers" value="30"' in body  # what was typed is still there
    assert not report.values.exists()  # all or nothing
    data["v_events_held"] = "12"
    r = c.post(f"/reports/{report.pk}/save/", data, follow=True)
    assert "草稿已保存" in r.content.decode()
    assert report.values.count() == 16
