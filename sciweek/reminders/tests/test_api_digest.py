"""The API (notifications, reminder rules, the dry run) and the organizer's morning digest."""

from __future__ import annotations

import pytest
from django.core import mail

from sciweek.core.models import Notification
from sciweek.reminders.digest import digest_for
from sciweek.reminders.models import ReminderRule
from sciweek.reminders.scheduler import run_due
from sciweek.reminders.sending import tick

from .conftest import at

pytestmark = pytest.mark.django_db


def test_api_lists_and_marks_my_notifications(live, reachable, client_for):
    qxj, town1, _ = reachable
    tick(at=at("2023-05-29 17:31"))
    c = client_for(qxj)
    mine = c.get("/api/v1/notifications?unread=true").json()
    assert mine and all(not n["read"] for n in mine)
    assert any("5月30日17:30" in n["title"] for n in mine)
    assert c.post(
        "/api/v1/notifications/read", {"ids": [mine[0]["id"]]}, content_type="application/json"
    ).json() == {"marked": 1}
    # Someone else's id marks nothing.
    assert client_for(town1).post(
        "/api/v1/notifications/read", {"ids": [mine[1]["id"]]}, content_type="application/json"
    ).json() == {"marked": 0}
    assert (
        c.post("/api/v1/notifications/read", {}, content_type="application/json").json()["marked"]
        == len(mine) - 1
    )
    assert c.get("/api/v1/notifications?unread=true").json() == []


def test_api_rules_list_edit_with_version_and_scope(live, final_report, organizer, qxj, client_for):
    c = client_for(organizer)
    rules = c.get(f"/api/v1/campaigns/{live.pk}/reminder-rules").json()
    rule = next(r for r in rules if r["requirement_id"] == final_report.pk)
    assert rule["before_minutes"] == [4320, 1440, 120] and rule["version"] == 0 and rule["overdue_max"] == 5
    url = f"/api/v1/campaigns/{live.pk}/reminder-rules/{final_report.pk}"
    r = c.patch(
        url,
        {"version": 0, "before_minutes": [60, 1440], "escalate_after": 1},
        content_type="application/json",
    )
    assert r.status_code == 200 and r.json()["before_minutes"] == [1440, 60] and r.json()["version"] == 2
    stale = c.patch(url, {"version": 1, "overdue_max": 2}, content_type="application/json")
    assert stale.status_code == 409 and "已被他人修改" in str(stale.json())
    bad = c.patch(url, {"version": 2, "before_minutes": [0]}, content_type="application/json")
    assert bad.status_code == 400 and "before_minutes" in bad.json()["detail"]
    assert ReminderRule.objects.get(requirement=final_report).escalate_after == 1
    assert client_for(qxj).patch(url, {"overdue_max": 1}, content_type="application/json").status_code == 403
    assert client_for(qxj).get(f"/api/v1/campaigns/{live.pk}/reminder-rules").status_code == 403


def test_api_dry_run(live, reachable, organizer, client_for):
    rows = (
        client_for(organizer).get(f"/api/v1/campaigns/{live.pk}/reminders/preview?at=2023-05-29T09:00").json()
    )
    assert {"unit_id", "unit_name", "requirement_kind", "channel", "due_at"} <= set(rows[0])
    assert any(r["unit_name"] == "泗县气象局" and r["channel"] == "sms" for r in rows)


def test_the_morning_digest_once_a_day(live, reachable, organizer):
    d = digest_for(live, at=at("2023-05-28 08:30"))
    titles = [x["title"] for x in d.due_soon]
    assert any("总结" in t for t in titles)  # 5月30日 within 3 days
    assert any("宣传" in x["title"] and "泗县气象局" in x["units"] for x in d.late)  # due 5月18日
    assert "未来3天截止" in d.text() and "昨日收到" in d.text()
    run_due(at=at("2023-05-28 07:59"))
    assert not Notification.objects.filter(user=organizer, title__contains="每日概况").exists()
    run_due(at=at("2023-05-28 08:01"))
    run_due(at=at("2023-05-28 09:00"))
    assert Notification.objects.filter(user=organizer, title__contains="每日概况").count() == 1
    assert [m for m in mail.outbox if m.to == ["kjj@example.cn"] and "每日概况" in m.subject]
