"""Late judges are reminded by the reminder engine's tick, once per slot; the organizer's 催办."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from sciweek.campaigns.models import Campaign
from sciweek.contests.judge_reminders import late_judges
from sciweek.contests.models import JudgeReminder, StageCode
from sciweek.core.models import Notification, OutboundMessage
from sciweek.reminders.models import Preference
from sciweek.reminders.sending import tick

pytestmark = pytest.mark.django_db

END = dt.date(2023, 6, 20)  # the 终评's last day in these tests


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


@pytest.fixture
def live(contest):
    Campaign.objects.filter(pk=contest.campaign_id).update(status=Campaign.Status.RUNNING)
    contest.stages.filter(code=StageCode.FINAL).update(starts_on=dt.date(2023, 6, 1), ends_on=END)
    contest.stages.filter(code=StageCode.PRELIMINARY).update(
        starts_on=dt.date(2023, 5, 1), ends_on=dt.date(2023, 5, 20)
    )
    return contest


def test_each_late_judge_gets_one_reminder_per_slot_and_finished_judges_none(live):
    late = late_judges(live, StageCode.FINAL)
    assert late and all(x.pending > 0 for x in late)
    late_users = {x.judge.user_id for x in late if x.judge.user_id}
    # Three days before the stage ends (the end of 6月20日): the "b4320" slot, from 6月18日 09:00.
    first = tick(at=at(END, 10, 5) - dt.timedelta(days=2))
    assert first.personal >= len(late_users) > 0
    rows = JudgeReminder.objects.filter(contest=live, stage=StageCode.FINAL, channel="inapp")
    assert {r.judge.user_id for r in rows if r.judge.user_id} == late_users
    assert {r.slot for r in rows} == {"b4320"}
    notes = Notification.objects.filter(user_id__in=late_users, link=f"/contests/{live.pk}/judge/")
    assert notes.count() == len(late_users)
    assert "未提交" in notes.first().body
    # The same slot again (another tick, a minute later): nothing more.
    again = tick(at=at(END, 10, 6) - dt.timedelta(days=2))
    assert again.personal == 0
    assert notes.count() == len(late_users)
    # The next slot (one day before) reminds again; a 初评 long over reminds nobody.
    tick(at=at(END, 9, 5))
    assert notes.count() == 2 * len(late_users)
    assert not JudgeReminder.objects.filter(stage=StageCode.PRELIMINARY).exists()


def test_a_judge_who_submitted_everything_is_not_reminded(live):
    from sciweek.judging.models import Judge

    late_ids = {x.judge.pk for x in late_judges(live, StageCode.FINAL)}
    done = Judge.objects.filter(owner_id=live.pk).exclude(pk__in=late_ids)
    tick(at=at(END, 10) - dt.timedelta(days=2))
    assert not JudgeReminder.objects.filter(judge__in=done).exists()


def test_email_and_text_follow_the_judges_preference_and_quiet_hours(live, judge_user):
    from sciweek.accounts.models import Profile

    judge = judge_user.judge_seats.get()
    assert judge.pk in {x.judge.pk for x in late_judges(live, StageCode.FINAL)}
    judge_user.email = "judge1@example.com"
    judge_user.save()
    Profile.objects.update_or_create(user=judge_user, defaults={"mobile": "13900001111"})
    Preference.objects.create(user=judge_user, email=True, sms=True)
    # 23:00 is inside the quiet hours: in-app and e-mail now, the text not yet.
    tick(at=at(END - dt.timedelta(days=2), 23, 0))
    mine = JudgeReminder.objects.filter(judge=judge)
    assert set(mine.values_list("channel", flat=True)) == {"inapp", "email"}
    assert [m.to for m in mail.outbox] == [["judge1@example.com"]]
    assert not OutboundMessage.objects.filter(phone="13900001111").exists()
    # 08:30 the next morning, still the same slot: the text goes out, the rest is not repeated.
    tick(at=at(END - dt.timedelta(days=1), 8, 30))
    assert set(mine.values_list("channel", flat=True)) == {"inapp", "email", "sms"}
    assert OutboundMessage.objects.filter(phone="13900001111").count() == 1
    assert len(mail.outbox) == 1


def test_no_email_or_text_when_the_judge_turned_them_off(live, judge_user):
    from sciweek.accounts.models import Profile

    judge_user.email = "judge1@example.com"
    judge_user.save()
    Profile.objects.update_or_create(user=judge_user, defaults={"mobile": "13900001111"})
    Preference.objects.create(user=judge_user, email=False, sms=False)
    tick(at=at(END, 10) - dt.timedelta(days=2))
    judge = judge_user.judge_seats.get()
    assert list(JudgeReminder.objects.filter(judge=judge).values_list("channel", flat=True)) == ["inapp"]
    assert mail.outbox == []


def test_a_closed_campaign_reminds_nobody(live):
    Campaign.objects.filter(pk=live.campaign_id).update(status=Campaign.Status.CLOSED)
    assert tick(at=at(END, 10) - dt.timedelta(days=2)).personal == 0


def test_the_organizer_sees_late_judges_and_nudges_once_a_day(live, client_for, organizer, judge_user):
    judge = judge_user.judge_seats.get()
    c = client_for(organizer)
    page = c.get(f"/contests/{live.pk}/").content.decode()
    assert f'data-nudge="{judge.pk}"' in page
    url = f"/contests/{live.pk}/nudge/{StageCode.FINAL}/{judge.pk}/"
    r = c.post(url, follow=True)
    assert "已向评委催办" in r.content.decode()
    assert Notification.objects.filter(user=judge_user, title__startswith="催办").count() == 1
    row = JudgeReminder.objects.get(judge=judge, channel="inapp")
    assert row.sent_by == organizer and row.slot.startswith("m")
    r = c.post(url, follow=True)
    assert "今天已向该评委催办过" in r.content.decode()
    assert Notification.objects.filter(user=judge_user, title__startswith="催办").count() == 1
    # A judge cannot press it.
    assert client_for(judge_user).post(url).status_code == 403
