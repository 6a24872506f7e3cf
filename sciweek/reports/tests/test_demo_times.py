"""In demo mode a report's 提交与审核记录 reads the demo clock: submit, return and approve at the 总结上报
phase show 2023年5月30日, not the real day; the audit keeps the real time."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from sciweek.core import clock
from sciweek.core.models import AuditEvent
from sciweek.demo import phases
from sciweek.reports.models import Report
from sciweek.reports.services.workflow import report_approve, report_return

from .report_files import complete, open_mine, report_of, submit

pytestmark = pytest.mark.django_db

DEMO_DAY = dt.date(2023, 5, 30)


@pytest.fixture
def demo_mode(settings):
    settings.DEMO_MODE = True
    yield
    clock.forget()


def _day(moment: dt.datetime) -> dt.date:
    return timezone.localtime(moment).date()


def test_the_history_of_a_report_shows_demo_times(demo, demo_mode, qxj, unit, client_for, organizer):
    campaign = demo.campaign
    phases.jump("report", actor=organizer)
    c = client_for(qxj)
    open_mine(c, campaign)
    report = report_of(campaign, unit("县气象局"))
    complete(c, report)
    assert "统计表已提交" in submit(c, report).content.decode()
    report.refresh_from_db()
    report = report_return(report=report, actor=organizer, version=report.version, reason="请核实人数")
    assert "统计表已提交" in submit(c, report).content.decode()
    report.refresh_from_db()
    report_approve(report=report, actor=organizer, version=report.version)

    report = Report.objects.get(pk=report.pk)
    revisions = list(report.revisions.order_by("number"))
    assert [r.action for r in revisions] == ["submit", "return", "submit", "approve"]
    assert {_day(r.at) for r in revisions} == {DEMO_DAY}
    assert {_day(ch.at) for ch in report.value_changes.all()} == {DEMO_DAY}
    assert {_day(a.uploaded_at) for a in report.attachments.all()} == {DEMO_DAY}
    # The page the unit reads: every line of the record is on the demo day, none on today's real date.
    page = open_mine(c, campaign).content.decode()
    record = page[page.index("提交与审核记录") :]
    assert record.count("2023年5月30日") >= 4
    real_today = timezone.localdate()
    assert f"{real_today.year}年{real_today.month}月{real_today.day}日" not in record
    # The audit records when it really happened (by design: README, core/clock.py).
    audit = AuditEvent.objects.filter(action__startswith="report.").latest("pk")
    assert _day(audit.at) == real_today


def test_outside_demo_mode_the_record_is_the_real_time(demo, settings, qxj, unit, client_for, organizer):
    settings.DEMO_MODE = False
    c = client_for(qxj)
    open_mine(c, demo.campaign)
    report = report_of(demo.campaign, unit("县气象局"))
    complete(c, report)
    submit(c, report)
    revision = report.revisions.get()
    assert abs((revision.at - timezone.now()).total_seconds()) < 60
