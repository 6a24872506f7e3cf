"""Submitting: what blocks it, the unit head's optional approval, the deadline (late flag or lock)."""

from __future__ import annotations

import pytest
from django.utils import timezone

from sciweek.accounts.services import membership_grant, user_create
from sciweek.orgs.models import Role
from sciweek.reports.models import Report, ReportDeadlineException

from .report_files import VALID, complete, deadline_in, fill, open_mine, report_of, save_cell, submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def mine(demo, qxj, unit, client_for):
    c = client_for(qxj)
    open_mine(c, demo.campaign)
    return c, report_of(demo.campaign, unit("县气象局"))


def test_it_lists_what_blocks_a_submission_row_by_row(mine):
    c, report = mine
    save_cell(c, report, "events_held", "12")
    save_cell(c, report, "public_offline", "10000000")
    body = submit(c, report).content.decode()
    assert "未能提交，请先处理以下问题" in body
    assert "「企业赞助经费情况」尚未填写（没有请填 0，不涉及请勾选“不适用”）" in body
    assert "「线下活动群众参与数量」的数值需要核实：请填写上报说明后再提交" in body
    assert "请上传「活动总结」、「盖章统计表」后再提交" in body
    report.refresh_from_db()
    assert report.status == Report.Status.DRAFT and report.submitted_at is None
    assert not report.revisions.exists()


def test_it_submits_a_complete_report_on_time(mine, demo):
    c, report = mine
    deadline_in(demo.campaign, days=3)
    complete(c, report)
    save_cell(c, report, "public_offline", "10000000", note="含县城广场主会场人流统计")
    body = submit(c, report).content.decode()
    assert "统计表已提交，请等待组织单位审核" in body
    assert "已提交，正在等待组织单位审核" in body
    report.refresh_from_db()
    assert report.status == Report.Status.SUBMITTED and not report.is_late
    revision = report.revisions.get()
    assert (
        revision.action == "submit"
        and revision.values["public_offline"]["note"] == "含县城广场主会场人流统计"
    )
    assert {a["kind"] for a in revision.attachments} == {"summary", "stamped"}
    # Locked while under review: a late keystroke is refused with the reason.
    r = save_cell(c, report, "events_held", "13")
    assert "统计表已提交，不能修改（未保存）" in r.content.decode()


def test_it_flags_a_late_submission_and_shows_it_in_the_deadline_list(mine, demo, client_for, organizer):
    c, report = mine  # the demo deadline (2023年5月30日 17:30) has long passed
    complete(c, report)
    body = submit(c, report).content.decode()
    assert "已过截止时间，标记为逾期" in body
    report.refresh_from_db()
    assert report.is_late
    assert "已提交，待审核（逾期）" in c.get("/my/").content.decode()
    dashboard = client_for(organizer).get(f"/manage/campaigns/{demo.campaign.pk}/").content.decode()
    assert "已提交，待审核（逾期）" in dashboard
    assert "未填报（已逾期）" in dashboard  # everyone else


def test_it_locks_at_the_deadline_unless_the_organizer_grants_an_exception(mine, demo, client_for, organizer):
    c, report = mine
    deadline_in(demo.campaign, days=-1, lock=True)
    body = open_mine(c, demo.campaign).content.decode()
    assert "统计表已锁定。如需补报，请联系组织单位开通补报。" in body
    assert 'id="submit-form"' not in body
    assert "统计表已锁定" in save_cell(c, report, "events_held", "3").content.decode()
    assert not report.values.exists()

    org = client_for(organizer)
    queue = org.get(f"/reports/{demo.campaign.pk}/review/?status=missing").content.decode()
    assert "允许补报" in queue
    until = timezone.localtime() + timezone.timedelta(days=2)
    r = org.post(
        f"/reports/{demo.campaign.pk}/review/exceptions/",
        {"unit": report.unit_id, "until": until.strftime("%Y-%m-%dT%H:%M"), "reason": "系统账号晚开通"},
        follow=True,
    )
    assert "已允许泗县气象局补报至" in r.content.decode()
    assert ReportDeadlineException.objects.get(unit=report.unit).reason == "系统账号晚开通"

    assert "组织单位已允许本单位补报至" in open_mine(c, demo.campaign).content.decode()
    complete(c, report)
    submit(c, report)
    report.refresh_from_db()
    assert report.status == Report.Status.SUBMITTED and report.is_late


def test_it_refuses_an_exception_without_a_reason(demo, client_for, organizer, unit):
    until = (timezone.localtime() + timezone.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    r = client_for(organizer).post(
        f"/reports/{demo.campaign.pk}/review/exceptions/",
        {"unit": unit("县气象局").pk, "until": until, "reason": " "},
        follow=True,
    )
    assert "请填写允许补报的原因" in r.content.decode()
    assert not ReportDeadlineException.objects.exists()


def test_it_sends_the_report_to_the_unit_head_first_when_the_form_says_so(mine, demo, client_for, unit):
    c, report = mine
    report.form.requires_head_approval = True
    report.form.save()
    head = user_create(
        actor="test",
        username="qxj-head",
        password=None,
        display_name="县气象局局长",
        must_change_password=False,
    )
    membership_grant(actor="test", user=head, unit=unit("县气象局"), role=Role.UNIT_HEAD)
    complete(c, report)
    assert "等待本单位负责人审核" in submit(c, report).content.decode()
    report.refresh_from_db()
    assert report.status == Report.Status.HEAD_REVIEW

    boss = client_for(head)
    page = open_mine(boss, demo.campaign).content.decode()
    assert "单位负责人审核" in page and "审核通过并报送" in page
    r = boss.post(
        f"/reports/{report.pk}/head/",
        {"version": report.version, "decision": "return", "reason": ""},
        follow=True,
    )
    assert "请填写退回原因" in r.content.decode()
    r = boss.post(
        f"/reports/{report.pk}/head/",
        {"version": report.version, "decision": "return", "reason": "志愿者人数与台账不符"},
        follow=True,
    )
    assert "志愿者人数与台账不符" in r.content.decode()
    report.refresh_from_db()
    assert report.status == Report.Status.RETURNED

    save_cell(c, report, "staff_volunteers", "28")
    submit(c, report)
    report.refresh_from_db()
    boss.post(f"/reports/{report.pk}/head/", {"version": report.version, "decision": "approve"})
    report.refresh_from_db()
    assert report.status == Report.Status.SUBMITTED
    assert [r.action for r in report.revisions.all()] == ["submit", "head_return", "submit", "head_approve"]
    # The reporter cannot play head.
    assert (
        c.post(f"/reports/{report.pk}/head/", {"version": report.version, "decision": "approve"}).status_code
        == 403
    )


def test_it_refuses_a_stale_page_and_names_the_rows_that_changed(mine, client_for, demo):
    c, report = mine
    fill(c, report, {"events_held": "12", "staff_volunteers": "30"})
    report.refresh_from_db()
    loaded = report.version
    colleague = c  # same unit, another tab
    save_cell(colleague, report, "staff_volunteers", "31")
    save_cell(colleague, report, "events_held", "12")  # unchanged: not listed
    r = save_cell(c, report, "public_online", "500", version=loaded)
    body = r.content.decode()
    assert "未保存：统计表已被其他人修改" in body
    assert f"您打开的是第{loaded}版，现在是第{loaded + 1}版" in body
    assert "变化的指标：「招募科技志愿者数量」。" in body
    assert not report.values.filter(row_code="public_online").exists()
    assert VALID["public_online"]  # the page keeps what was typed; a refresh shows the colleague's figures
