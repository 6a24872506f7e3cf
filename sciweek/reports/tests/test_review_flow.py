"""The bureau reviews: the queue, one report, return with a reason, resubmission, approve, reopen, compare."""

from __future__ import annotations

import pytest
from django.core import mail

from sciweek.core.models import AuditEvent, Notification
from sciweek.orgs.services import staff_save
from sciweek.reports.models import Report

from .report_files import attach, complete, deadline_in, open_mine, png_bytes, report_of, save_cell, submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted(demo, qxj, unit, client_for):
    """县气象局 submitted on time, one warning overridden with a note, a photo attached."""
    deadline_in(demo.campaign, days=2)
    c = client_for(qxj)
    open_mine(c, demo.campaign)
    report = report_of(demo.campaign, unit("县气象局"))
    complete(c, report)
    save_cell(c, report, "public_online", "8000000", note="气象科普直播全网累计观看")
    attach(c, report, "photo", "现场.png", png_bytes())
    submit(c, report)
    report.refresh_from_db()
    assert report.status == Report.Status.SUBMITTED
    return c, report


def act(client, report, action, reason=""):
    report.refresh_from_db()
    return client.post(
        f"/reports/{report.pk}/act/{action}/", {"version": report.version, "reason": reason}, follow=True
    )


def test_it_lists_submitted_reports_first_then_returned_draft_and_missing(
    submitted, client_for, organizer, demo, town1, unit
):
    c_town = client_for(town1)
    open_mine(c_town, demo.campaign)
    save_cell(c_town, Report.objects.get(unit__name="示例镇一"), "events_held", "2")
    body = client_for(organizer).get(f"/reports/{demo.campaign.pk}/review/").content.decode()
    assert (
        body.index('data-unit="泗县气象局" data-state="submitted"')
        < body.index('data-unit="示例镇一" data-state="draft"')
        < body.index('data-state="missing"')
    )
    assert "已提交待审核 1" in body and "草稿未提交 1" in body and "有上报说明 1" in body
    assert (
        '<div class="list-group-item sw-has-note" data-unit="泗县气象局"' in body
    )  # overridden warnings are highlighted
    filtered = client_for(organizer).get(f"/reports/{demo.campaign.pk}/review/?status=draft").content.decode()
    assert "示例镇一" in filtered and 'data-unit="泗县气象局"' not in filtered


def test_it_shows_values_notes_attachments_and_history_to_the_reviewer(submitted, client_for, organizer):
    _, report = submitted
    body = client_for(organizer).get(f"/reports/{report.pk}/").content.decode()
    assert "8,000,000人次" in body and "上报说明：气象科普直播全网累计观看" in body
    assert 'id="notes-alert"' in body
    assert "工作总结.docx" in body and "盖章统计表.pdf" in body
    assert f'src="/reports/attachments/{report.attachments.get(kind="photo").pk}/thumb/"' in body
    assert "数值修改记录" in body and "（未填）" in body  # before → after of every change
    assert "审核通过（锁定）" in body and "退回修改" in body


def test_it_returns_with_a_reason_that_the_unit_sees_and_answers(
    submitted, client_for, organizer, demo, unit
):
    c, report = submitted
    staff_save(
        actor="test", unit=unit("县气象局"), name="王芳", mobile="13905571234", email="wangfang@example.cn"
    )
    org = client_for(organizer)
    assert "请填写退回原因" in act(org, report, "return", "  ").content.decode()
    report.refresh_from_db()
    assert report.status == Report.Status.SUBMITTED

    mail.outbox.clear()
    body = act(org, report, "return", "线上参与人次请附平台截图；志愿者人数与签到表不一致").content.decode()
    assert "已退回泗县气象局" in body
    report.refresh_from_db()
    assert report.status == Report.Status.RETURNED
    note = Notification.objects.get(unit=report.unit, title__contains="被退回")
    assert "线上参与人次请附平台截图" in note.body
    assert [m.to for m in mail.outbox] == [["wangfang@example.cn"]]
    assert "志愿者人数与签到表不一致" in mail.outbox[0].body

    page = open_mine(c, demo.campaign).content.decode()
    assert (
        'id="return-reason"' in page
        and "退回原因：线上参与人次请附平台截图；志愿者人数与签到表不一致" in page
    )
    assert "重新提交" in page
    save_cell(c, report, "staff_volunteers", "26")
    submit(c, report)
    report.refresh_from_db()
    assert report.status == Report.Status.SUBMITTED and report.return_reason == ""
    assert [r.action for r in report.revisions.all()] == ["submit", "return", "submit"]


def test_it_compares_two_revisions_side_by_side(submitted, client_for, organizer, demo):
    c, report = submitted
    org = client_for(organizer)
    act(org, report, "return", "志愿者人数有误")
    save_cell(c, report, "staff_volunteers", "26")
    submit(c, report)
    body = org.get(f"/reports/{report.pk}/compare/?a=1&b=3").content.decode()
    assert "共有 1 项不同" in body
    assert '<tr class="sw-changed" data-code="staff_volunteers"><td>招募科技志愿者数量</td>' in body
    assert "30人" in body and "26人" in body
    assert '<tr class="" data-code="events_held">' in body
    assert org.get(f"/reports/{report.pk}/compare/?a=9").status_code == 404


def test_it_locks_an_approved_report_until_the_organizer_reopens_it(
    submitted, client_for, organizer, xcb, demo
):
    c, report = submitted
    org = client_for(organizer)
    assert "的统计表已审核通过并锁定" in act(org, report, "approve").content.decode()
    assert "统计表已通过，不能修改" in save_cell(c, report, "events_held", "1").content.decode()
    assert "统计表已审核通过并锁定" in open_mine(c, demo.campaign).content.decode()
    assert "已审核通过" in c.get("/my/").content.decode()

    assert act(client_for(xcb), report, "reopen", "数据有误").status_code == 403
    assert "请填写重新打开的原因" in act(org, report, "reopen", "").content.decode()
    assert (
        "已重新打开泗县气象局的统计表"
        in act(org, report, "reopen", "市里要求补充线上数据来源").content.decode()
    )
    report.refresh_from_db()
    assert report.status == Report.Status.RETURNED and report.approved_at is None
    assert "已保存" in save_cell(c, report, "events_held", "13").content.decode()
    actions = list(
        AuditEvent.objects.filter(action__in=["report.approve", "report.reopen"])
        .order_by("at")
        .values_list("action", "note")
    )
    assert actions == [("report.approve", ""), ("report.reopen", "市里要求补充线上数据来源")]


def test_it_keeps_review_to_the_bureau(submitted, client_for, qxj, town1, xcb, province, city, organizer):
    c, report = submitted
    assert act(c, report, "approve").status_code == 403  # the unit cannot approve itself
    assert act(client_for(town1), report, "approve").status_code == 404  # another unit does not see it
    assert act(client_for(xcb), report, "return", "x").status_code == 403  # co-organizer: sees, cannot act
    assert client_for(xcb).get(f"/reports/{report.pk}/").status_code == 200
    assert client_for(province).get(f"/reports/{report.pk}/").status_code == 200  # higher level looks on
    assert act(client_for(province), report, "approve").status_code == 403
    assert client_for(town1).get(f"/reports/{report.campaign_id}/review/").status_code == 403
    report.refresh_from_db()
    assert report.status == Report.Status.SUBMITTED


def test_it_refuses_a_review_on_a_stale_page(submitted, client_for, organizer):
    _, report = submitted
    org = client_for(organizer)
    stale = report.version
    act(org, report, "return", "请补充照片")
    r = org.post(f"/reports/{report.pk}/act/approve/", {"version": stale}, follow=True)
    assert "统计表已被其他人修改" in r.content.decode() and "状态：已退回" in r.content.decode()
    report.refresh_from_db()
    assert report.status == Report.Status.RETURNED
