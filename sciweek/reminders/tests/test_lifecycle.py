"""The campaign's status governs what can be done (campaigns/lifecycle.py), moves on its dates by the
scheduler, and answers a clear Chinese message (API: 409) when it forbids a write."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from sciweek.campaigns.lifecycle import CampaignClosedError, check_open, due_status
from sciweek.campaigns.models import Campaign
from sciweek.core.models import AuditEvent, Notification
from sciweek.reminders.scheduler import advance_statuses, run_due

from .conftest import at

pytestmark = pytest.mark.django_db
S = Campaign.Status


def _set(campaign, status):
    Campaign.objects.filter(pk=campaign.pk).update(status=status)
    campaign.refresh_from_db()
    return campaign


def test_each_status_opens_what_it_says(live):
    table = {
        S.DRAFT: set(),
        S.PUBLISHED: {"publicity", "event_register", "public_registration"},
        S.RUNNING: {
            "publicity",
            "event_register",
            "public_registration",
            "checkin",
            "event_outcome",
            "report",
        },
        S.REPORTING: {"event_outcome", "report"},
        S.CLOSED: set(),
    }
    for status, allowed in table.items():
        _set(live, status)
        for action in (
            "publicity",
            "event_register",
            "public_registration",
            "checkin",
            "event_outcome",
            "report",
        ):
            if action in allowed:
                check_open(live, action)
            else:
                with pytest.raises(CampaignClosedError) as exc:
                    check_open(live, action)
                assert "当前状态为" in exc.value.message and live.title in exc.value.message
    _set(live, S.CLOSED)
    check_open(live, "report", reopened=True)  # the organizer reopened this unit's report


def test_dates_move_the_status_forward_only_and_audited(live, organizer):
    _set(live, S.PUBLISHED)
    assert due_status(live, at("2023-05-19 23:59")) == S.PUBLISHED
    assert due_status(live, at("2023-05-20 00:00")) == S.RUNNING
    assert due_status(live, at("2023-06-01 00:00")) == S.REPORTING
    assert due_status(live, at("2023-07-01 00:00")) == S.CLOSED
    assert due_status(live, at("2026-12-01 00:00")) == S.PUBLISHED  # a past year loaded today: left alone
    _set(live, S.DRAFT)
    assert due_status(live, at("2023-05-25 00:00")) == S.DRAFT  # publishing is the organizer's decision
    _set(live, S.PUBLISHED)
    moved = advance_statuses(at=at("2023-05-20 00:01"))
    live.refresh_from_db()
    assert moved and live.status == S.RUNNING
    assert AuditEvent.objects.filter(action="campaign.status", object_id=str(live.pk)).exists()
    assert Notification.objects.filter(title__contains="状态变为“进行中”").exists()
    assert advance_statuses(at=at("2023-05-20 00:02")) == []


def test_the_scheduler_minute_moves_statuses_and_reminds_once(live, reachable):
    _set(live, S.PUBLISHED)
    first = run_due(at=at("2023-05-20 09:00"))
    assert first is not None and first["status_moves"] == 1
    live.refresh_from_db()
    assert live.status == S.RUNNING
    again = run_due(at=at("2023-05-20 09:00"))
    assert again["status_moves"] == 0 and again["claimed"] == 0


def test_a_closed_campaign_refuses_writes_with_a_chinese_message(live, qxj, unit, organizer, client_for):
    from sciweek.materials.services import publicity_save

    _set(live, S.CLOSED)
    with pytest.raises(ValidationError) as exc:
        publicity_save(
            actor=qxj,
            campaign=live,
            unit=unit("县气象局"),
            version=None,
            headline="标题",
            body="内容",
            submit=False,
        )
    assert "已结束" in exc.value.messages[0]
    # The API answers 409 with the reason.
    r = client_for(organizer).patch(
        f"/api/v1/campaigns/{live.pk}/reminder-rules/{live.requirements.first().pk}",
        {"overdue_max": 2},
        content_type="application/json",
    )
    assert r.status_code == 409 and "已结束" in r.json()["detail"]


def test_a_page_that_does_not_catch_it_answers_409_not_500(live, organizer, client_for):
    _set(live, S.CLOSED)
    r = client_for(organizer).post(
        f"/reminders/campaigns/{live.pk}/rules/{live.requirements.first().pk}/",
        {
            "enabled": "on",
            "before": "1天",
            "overdue_max": "1",
            "overdue_time": "09:00",
            "escalate_after": "0",
        },
    )
    assert r.status_code == 200 and "已结束" in r.content.decode()  # shown on the form
    from sciweek.campaigns.lifecycle import ClosedMiddleware

    class Req:
        headers: dict = {}
        path = "/x/"

    response = ClosedMiddleware(lambda r: None).process_exception(
        Req(), CampaignClosedError(S.CLOSED, "report", live.title)
    )
    assert response.status_code == 409


def test_closed_report_only_for_a_reopened_unit(live, qxj, organizer, unit):
    from sciweek.reports.services import deadline_exception_grant
    from sciweek.reports.services.entry import check_editable, report_get_or_create

    report = report_get_or_create(campaign=live, unit=unit("县气象局"), actor=qxj)
    _set(live, S.CLOSED)
    report.campaign.refresh_from_db()
    with pytest.raises(CampaignClosedError):
        check_editable(report)
    deadline_exception_grant(  # the organizer reopens this one unit, with a reason, while closed
        actor=organizer,
        campaign=live,
        unit=unit("县气象局"),
        until=dt.datetime.now(dt.UTC) + dt.timedelta(days=2),
        reason="材料遗漏，允许补报",
    )
    report = type(report).objects.get(pk=report.pk)
    check_editable(report)  # reopened for this unit, with a reason (audited)
    assert AuditEvent.objects.filter(action="report.deadline_exception").exists()


def test_existing_pages_show_the_reason_when_the_status_forbids(live, qxj, unit, client_for):
    """A unit's publicity page (materials) once the week is over: the reason, on the page."""
    _set(live, S.REPORTING)
    c = client_for(qxj)
    r = c.post(
        f"/my/publicity/{live.pk}/{unit('县气象局').pk}/", {"headline": "标题", "body": "内容", "version": ""}
    )
    assert r.status_code in (200, 409)
    body = r.content.decode()
    assert "总结上报" in body and "不能报送宣传内容" in body
