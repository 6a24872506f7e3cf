"""The organizer's pages and everyone's notification centre and preferences, with their scope checks."""

from __future__ import annotations

import pytest

from sciweek.campaigns.models import Requirement
from sciweek.core.models import AuditEvent, Notification
from sciweek.reminders.models import Confirmation, Occurrence, Preference, ReminderRule
from sciweek.reminders.sending import tick

from .conftest import at

pytestmark = pytest.mark.django_db


def test_organizer_edits_a_rule_and_the_unit_cannot(live, final_report, organizer, qxj, client_for):
    c = client_for(organizer)
    url = f"/reminders/campaigns/{live.pk}/rules/{final_report.pk}/"
    page = c.get(f"/reminders/campaigns/{live.pk}/rules/")
    assert page.status_code == 200 and "3天、1天、2小时" in page.content.decode()
    r = c.post(
        url,
        {
            "enabled": "on",
            "before": "2天、4小时",
            "overdue_max": "3",
            "overdue_time": "10:00",
            "escalate_after": "1",
        },
    )
    assert r.status_code == 302
    rule = ReminderRule.objects.get(requirement=final_report)
    assert rule.before_minutes == [2880, 240] and rule.overdue_max == 3 and rule.escalate_after == 1
    assert AuditEvent.objects.filter(action="reminder_rule.update").exists()
    bad = c.post(
        url,
        {
            "enabled": "on",
            "before": "三天",
            "overdue_max": "3",
            "overdue_time": "10:00",
            "escalate_after": "1",
        },
    )
    assert bad.status_code == 200 and "看不懂" in bad.content.decode()
    assert client_for(qxj).get(url).status_code == 403  # a unit sees the campaign, not its reminder rules


def test_preview_lists_without_sending(live, reachable, organizer, client_for):
    r = client_for(organizer).get(f"/reminders/campaigns/{live.pk}/preview/?at=2023-05-29T09:00")
    body = r.content.decode()
    assert r.status_code == 200 and "泗县气象局" in body and "sx-qxj" in body
    assert not Occurrence.objects.exists()
    bad = client_for(organizer).get(f"/reminders/campaigns/{live.pk}/preview/?at=yesterday")
    assert bad.status_code == 200 and "格式不正确" in bad.content.decode()


def test_unit_log_shows_what_was_sent_and_resends_a_failure(live, reachable, organizer, client_for):
    tick(at=at("2023-05-29 17:31"))
    qxj = reachable[0]
    occ = Occurrence.objects.filter(user=qxj, channel="email").first()
    Occurrence.objects.filter(pk=occ.pk).update(status="failed", detail="邮件服务器拒收")
    c = client_for(organizer)
    page = c.get(f"/reminders/campaigns/{live.pk}/units/{occ.unit_id}/")
    assert "邮件服务器拒收" in page.content.decode() and "重新发送" in page.content.decode()
    assert "泗县气象局" in c.get(f"/reminders/campaigns/{live.pk}/sent/").content.decode()
    r = c.post(f"/reminders/campaigns/{live.pk}/resend/{occ.pk}/")
    assert r.status_code == 302
    occ.refresh_from_db()
    assert occ.status == "sent"
    assert AuditEvent.objects.filter(action="reminder.resend").exists()
    assert client_for(qxj).post(f"/reminders/campaigns/{live.pk}/resend/{occ.pk}/").status_code == 403


def test_other_requirements_are_confirmed_by_the_organizer(live, organizer, unit, client_for):
    from sciweek.campaigns.compliance import unit_compliance
    from sciweek.campaigns.services import requirement_save

    req = requirement_save(
        actor=organizer,
        campaign=live,
        kind=Requirement.Kind.OTHER,
        title="报送活动方案",
        due_at=at("2023-05-15 17:30"),
    )
    qxj_unit = unit("县气象局")
    assert unit_compliance(req, qxj_unit).detail == "待组织单位确认"
    c = client_for(organizer)
    url = f"/reminders/campaigns/{live.pk}/confirm/{req.pk}/"
    assert "待确认" in c.get(url).content.decode()
    assert "请填写确认说明" in c.post(url, {"unit": qxj_unit.pk, "note": ""}, follow=True).content.decode()
    c.post(url, {"unit": qxj_unit.pk, "note": "5月14日已收到纸质方案"})
    assert Confirmation.objects.filter(requirement=req, unit=qxj_unit).exists()
    assert unit_compliance(req, qxj_unit).done
    assert AuditEvent.objects.filter(action="requirement.confirm").exists()


def test_notification_centre_filters_marks_and_opens(live, reachable, client_for):
    qxj = reachable[0]
    tick(at=at("2023-05-29 17:31"))
    Notification.objects.create(user=qxj, title="其他消息", body="无关", link="/my/")
    c = client_for(qxj)
    page = c.get("/notifications/centre/?show=reminders").content.decode()
    assert "报送活动总结" in page and "其他消息" not in page
    assert "其他消息" in c.get("/notifications/centre/?q=其他").content.decode()
    other = Notification.objects.get(title="其他消息")
    r = c.get(f"/notifications/centre/{other.pk}/")
    assert r.status_code == 302 and r["Location"] == "/my/"
    assert qxj in other.read_by.all()
    unread = c.get("/notifications/centre/?show=unread").content.decode()
    assert "其他消息" not in unread and "报送活动总结" in unread
    c.post("/notifications/centre/mark/", {"all": "1"})
    assert "暂无通知" in c.get("/notifications/centre/?show=unread").content.decode()
    # Someone else's notification is not found.
    assert client_for(reachable[1]).get(f"/notifications/centre/{other.pk}/").status_code == 404


def test_preferences_page_saves_and_refuses_bad_input(qxj, client_for):
    c = client_for(qxj)
    assert "提醒设置" in c.get("/reminders/preferences/").content.decode()
    r = c.post(
        "/reminders/preferences/",
        {"email": "on", "quiet_start": "21:00", "quiet_end": "07:30", "daily_cap": "3"},
    )
    assert r.status_code == 302
    pref = Preference.objects.get(user=qxj)
    assert pref.email and not pref.sms and pref.daily_cap == 3 and pref.quiet_start.hour == 21
    bad = c.post("/reminders/preferences/", {"quiet_start": "25:00", "quiet_end": "07:30", "daily_cap": "0"})
    assert bad.status_code == 200 and "daily_cap" in bad.content.decode()


def test_digest_and_status_pages(live, organizer, client_for):
    c = client_for(organizer)
    assert "未来3天截止" in c.get(f"/reminders/campaigns/{live.pk}/digest/").content.decode()
    body = c.get(f"/reminders/campaigns/{live.pk}/status/").content.decode()
    assert "活动签到" in body and "进行中" in body
