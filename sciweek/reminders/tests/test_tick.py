"""The tick: who is reminded when, on which channels, exactly once; quiet hours; cap; escalation."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail

from sciweek.core.models import Notification, OutboundMessage
from sciweek.reminders.models import Occurrence, Preference, ReminderRule
from sciweek.reminders.sending import tick
from sciweek.reminders.slots import quiet_shift

from .conftest import at

pytestmark = pytest.mark.django_db


def _mine(user, requirement=None):
    qs = Occurrence.objects.filter(user=user)
    return qs.filter(requirement=requirement) if requirement else qs


def test_it_reminds_three_days_before_on_every_channel_once(final_report, reachable):
    qxj, town1, _ = reachable
    result = tick(at=at("2023-05-27 17:31"))
    assert result.claimed > 0
    rows = _mine(qxj, final_report)
    assert sorted(rows.values_list("channel", flat=True)) == ["email", "inapp", "sms"]
    assert set(rows.values_list("slot", flat=True)) == {"b4320"}
    note = Notification.objects.get(user=qxj, title__contains="5月30日17:30")
    assert "/my/" in note.link
    [email] = [m for m in mail.outbox if m.to == ["qxj@example.cn"] and "总结" in m.subject]
    assert "5月30日17:30" in email.subject
    sms = OutboundMessage.objects.get(phone="13800000001", kind="reminder", text__contains="总结")
    assert "2023年泗县科技活动周" in sms.text or "科技活动周" in sms.text
    assert "报送活动总结" in sms.text and "5月30日17:30" in sms.text and "http" in sms.text
    # A second tick at the same moment, or a minute later, sends nothing more.
    outbox = len(mail.outbox)
    again = tick(at=at("2023-05-27 17:31"))
    later = tick(at=at("2023-05-27 17:32"))
    assert again.claimed == later.claimed == 0
    assert len(mail.outbox) == outbox
    assert Notification.objects.filter(user=qxj, title__contains="5月30日17:30").count() == 1


def test_it_skips_units_that_complied(final_report, reachable, monkeypatch):
    from sciweek.campaigns import compliance

    qxj, town1, _ = reachable
    done = compliance.Compliance(done=True, detail="已提交")
    real = compliance._BATCH.get(final_report.kind)

    def batch(req, units):
        result = real(req, units) if real else {u.pk: compliance.unit_compliance(req, u) for u in units}
        return {
            pk: (done if any(u.pk == pk and u.name == "泗县气象局" for u in units) else c)
            for pk, c in result.items()
        }

    monkeypatch.setitem(compliance._BATCH, final_report.kind, batch)
    tick(at=at("2023-05-29 17:31"))
    assert not _mine(qxj, final_report).exists()
    assert _mine(town1, final_report).exists()


def test_it_sends_only_the_latest_slot_after_an_outage_and_none_before_after_the_deadline(
    final_report, reachable
):
    qxj, *_ = reachable
    tick(at=at("2023-05-30 16:00"))  # 3 days, 1 day and 2 hours before were all missed: one reminder
    assert set(_mine(qxj, final_report).values_list("slot", flat=True)) == {"b120"}
    tick(at=at("2023-05-30 18:00"))  # after the deadline, before the first overdue slot
    assert set(_mine(qxj, final_report).values_list("slot", flat=True)) == {"b120"}


def test_overdue_every_working_day_then_escalation(final_report, reachable):
    qxj, town1, organizer = reachable
    ReminderRule.objects.create(requirement=final_report, overdue_max=3, escalate_after=1)
    tick(at=at("2023-05-31 09:00"))  # Wednesday: 1st overdue
    tick(at=at("2023-06-01 09:00"))  # 2nd: escalated
    tick(at=at("2023-06-03 09:00"))  # Saturday: nothing new (the 2nd is still the latest)
    tick(at=at("2023-06-05 09:00"))  # Monday: 3rd
    tick(at=at("2023-06-06 09:00"))  # at most 3
    tick(at=at("2026-12-07 09:00"))  # years later: the last slot is long past, nothing
    slots = set(_mine(qxj, final_report).filter(channel="inapp").values_list("slot", flat=True))
    assert slots == {"o1", "o2", "o3"}
    told = _mine(organizer, final_report).filter(channel="inapp")
    assert set(told.values_list("slot", flat=True)) == {"o2", "o3"}
    assert told.filter(unit__name="泗县气象局", escalation=True).exists()
    assert Notification.objects.filter(user=organizer, title__contains="泗县气象局仍未完成").exists()
    assert not _mine(organizer, final_report).filter(slot="o1").exists()


def test_quiet_hours_hold_texts_until_eight(final_report, reachable):
    qxj, *_ = reachable
    ReminderRule.objects.create(requirement=final_report, before_minutes=[19 * 60])  # 29日 22:30
    tick(at=at("2023-05-29 22:30"))
    sms = _mine(qxj, final_report).get(channel="sms")
    assert sms.status == "pending"
    assert sms.send_after == at("2023-05-30 08:00")
    assert _mine(qxj, final_report).get(channel="email").status == "sent"
    texts = OutboundMessage.objects.filter(phone="13800000001", text__contains="总结")
    assert not texts.exists()
    tick(at=at("2023-05-30 07:59"))
    assert not texts.exists()
    tick(at=at("2023-05-30 08:00"))
    assert texts.count() == 1
    assert quiet_shift(at("2023-05-30 07:00"), dt.time(22), dt.time(8)) == at("2023-05-30 08:00")
    assert quiet_shift(at("2023-05-30 21:59"), dt.time(22), dt.time(8)) == at("2023-05-30 21:59")


def test_daily_cap_per_person(final_report, reachable):
    qxj, *_ = reachable
    Preference.objects.create(user=qxj, daily_cap=1, sms=True, email=True)
    tick(at=at("2023-05-27 17:31"))
    rows = _mine(qxj, final_report).exclude(channel="inapp")
    assert sorted(rows.values_list("status", flat=True)) == ["sent", "skipped"]
    assert "每日提醒上限" in rows.get(status="skipped").detail
    assert _mine(qxj, final_report).get(channel="inapp").status == "sent"  # in-app is never capped


def test_preferences_turn_channels_off(final_report, reachable):
    qxj, *_ = reachable
    Preference.objects.create(user=qxj, email=False, sms=False)
    tick(at=at("2023-05-27 17:31"))
    assert list(_mine(qxj, final_report).values_list("channel", flat=True)) == ["inapp"]


def test_draft_and_closed_campaigns_send_nothing(final_report, reachable, live):
    qxj, *_ = reachable
    for status in ("draft", "closed"):
        type(live).objects.filter(pk=live.pk).update(status=status)
        tick(at=at("2023-05-27 17:31"))
        assert not _mine(qxj).exists()
