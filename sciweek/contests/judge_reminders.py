"""Reminders to late judges: the reminder engine's minute tick (reminders/personal.py) runs ``judges_tick``.

A judge with assigned, not yet submitted scores in a judging stage (初评, 终评) is reminded
``contest.judge_reminder_days`` days before the stage's last day ends, in-app always, by e-mail and text as
their reminder preferences allow. Each (judge, stage, channel, slot) row is claimed by inserting it under a
unique key before anything is sent, so two ticks never remind twice. A text that falls in the judge's quiet
hours is not claimed yet: a later tick within the slot's day claims and sends it after the quiet hours.
The organizer's 催办 (``judge_nudge``) uses the same rows, with one slot per day.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from sciweek.accounts.models import Profile
from sciweek.campaigns.lifecycle import check_open
from sciweek.core import clock
from sciweek.core.audit import audit_log
from sciweek.core.cache import bump_generation
from sciweek.core.models import Notification
from sciweek.core.sms import Outgoing, sms_queue
from sciweek.judging.models import Judge, Score
from sciweek.reminders.models import Channel, Preference, ReminderRule
from sciweek.reminders.personal import register_personal_tick
from sciweek.reminders.planning import LIVE, public_url
from sciweek.reminders.slots import current_slot, deadline_text, quiet_shift

from .models import Contest, JudgeReminder, Stage, StageCode
from .setup import OWNER, judging_of

log = logging.getLogger("sciweek.reminders")
JUDGING_STAGES = (StageCode.PRELIMINARY, StageCode.FINAL)
REMIND_AT = dt.timedelta(hours=9)


@dataclass(frozen=True)
class LateJudge:
    judge: Judge
    assigned: int
    submitted: int

    @property
    def pending(self) -> int:
        return self.assigned - self.submitted


def stage_due_at(stage: Stage) -> dt.datetime:
    """A stage runs to the end of its last day."""
    return timezone.make_aware(dt.datetime.combine(stage.ends_on + dt.timedelta(days=1), dt.time.min))


def late_judges(contest: Contest, stage: str) -> list[LateJudge]:
    """Active judges of the stage's round with assigned scores not yet submitted, most behind first."""
    judging = judging_of(contest, stage)
    rows = (
        Judge.objects.filter(owner_kind=OWNER, owner_id=contest.pk, active=True)
        .annotate(
            n=Count("assignments", filter=Q(assignments__judging=judging, assignments__item__excluded=False)),
            done=Count(
                "assignments",
                filter=Q(
                    assignments__judging=judging,
                    assignments__item__excluded=False,
                    assignments__score__status=Score.Status.SUBMITTED,
                ),
            ),
        )
        .select_related("user")
    )
    late = [LateJudge(j, j.n, j.done) for j in rows if j.n > j.done]
    return sorted(late, key=lambda x: (-x.pending, x.judge.name))


def _texts(contest: Contest, stage: str, late: LateJudge, due_at: dt.datetime | None) -> tuple[str, str, str]:
    link = reverse("contests:judge", args=[contest.pk])
    params = {
        "contest": contest.title,
        "stage": StageCode(stage).label,
        "n": late.pending,
        "deadline": deadline_text(due_at - dt.timedelta(minutes=1)) if due_at else "",
        "url": public_url(link),
    }
    if due_at:
        subject = _("评审提醒：%(stage)s还有%(n)s件作品未提交评分") % params
        text = (
            _(
                "%(contest)s%(stage)s：您还有%(n)s件作品的评分未提交，评审将于%(deadline)s截止，请及时完成：%(url)s"
            )
            % params
        )
    else:
        subject = _("催办：请尽快完成%(stage)s评分") % params
        text = (
            _("%(contest)s%(stage)s：您还有%(n)s件作品的评分未提交，组织单位请您尽快完成：%(url)s") % params
        )
    return subject, text, link


def _send(
    *,
    contest: Contest,
    stage: str,
    late: LateJudge,
    slot: str,
    at: dt.datetime,
    due_at: dt.datetime | None,
    actor: Any = None,
    prefs: dict[int, Preference] | None = None,
    mobiles: dict[int, str] | None = None,
) -> int:
    """Claim and send this slot's reminder to one judge on each channel allowed now; the count claimed."""
    user = late.judge.user
    if user is None or not user.is_active:
        return 0
    pref = (prefs or {}).get(user.pk) or Preference.objects.filter(user=user).first() or Preference(user=user)
    mobile = (mobiles or {}).get(user.pk, "") if mobiles is not None else _mobile(user.pk)
    subject, text, link = _texts(contest, stage, late, due_at)
    channels: list[tuple[str, str]] = [(Channel.INAPP, "")]
    if pref.email and user.email:
        channels.append((Channel.EMAIL, user.email))
    # Quiet hours: a scheduled text waits for a later tick; the organizer's 催办 sends it when they press it.
    if pref.sms and mobile and (actor is not None or quiet_shift(at, pref.quiet_start, pref.quiet_end) <= at):
        channels.append((Channel.SMS, mobile))
    claimed = 0
    for channel, address in channels:
        try:
            with transaction.atomic():
                row = JudgeReminder.objects.create(
                    contest=contest,
                    judge=late.judge,
                    stage=stage,
                    channel=channel,
                    slot=slot,
                    pending=late.pending,
                    sent_by=actor if getattr(actor, "is_authenticated", False) else None,
                )
                if channel == Channel.INAPP:
                    Notification.objects.create(user=user, title=subject[:200], body=text, link=link)
                elif channel == Channel.SMS:
                    sms_queue(messages=[Outgoing(phone=address, text=text, kind="reminder")])
        except IntegrityError:
            continue  # claimed by another tick (or an earlier 催办 today): never twice
        claimed += 1
        if channel == Channel.EMAIL:
            try:
                EmailMessage(subject, text, settings.DEFAULT_FROM_EMAIL, [address]).send()
            except Exception as exc:  # noqa: BLE001 — a failure is the row's status, not the tick's
                log.warning("judge reminder %s by e-mail failed: %s", row.pk, exc)
                JudgeReminder.objects.filter(pk=row.pk).update(
                    status=JudgeReminder.Status.FAILED, detail=(str(exc) or type(exc).__name__)[:300]
                )
    if claimed:
        bump_generation()
    return claimed


def _mobile(user_id: int) -> str:
    return Profile.objects.filter(user_id=user_id).values_list("mobile", flat=True).first() or ""


@register_personal_tick("contest-judges")
def judges_tick(*, at: dt.datetime) -> int:
    """The minute's reminders to late judges of every contest of a live campaign."""
    claimed = 0
    contests = Contest.objects.filter(campaign__status__in=LIVE).select_related("campaign")
    stages = Stage.objects.filter(contest__in=contests, code__in=JUDGING_STAGES).select_related("contest")
    for stage in stages:
        contest = stage.contest
        due_at = stage_due_at(stage)
        if at >= due_at:
            continue
        days = sorted({int(d) for d in contest.judge_reminder_days or [] if int(d) > 0}, reverse=True)
        rule = ReminderRule(before_minutes=[d * 24 * 60 for d in days], overdue_max=0, escalate_after=0)
        # Slots at 09:00 (not midnight, in everyone's quiet hours): "N days before" is 09:00 of the
        # day N days before the day after the stage's last day (N=1: the last day's morning).
        slot = current_slot(rule, due_at + REMIND_AT, at)
        if slot is None:
            continue
        late = late_judges(contest, stage.code)
        if not late:
            continue
        ids = [x.judge.user_id for x in late if x.judge.user_id]
        prefs = {p.user_id: p for p in Preference.objects.filter(user_id__in=ids)}
        mobiles = dict(Profile.objects.filter(user_id__in=ids).values_list("user_id", "mobile"))
        for x in late:
            claimed += _send(
                contest=contest,
                stage=stage.code,
                late=x,
                slot=slot.key,
                at=at,
                due_at=due_at,
                prefs=prefs,
                mobiles=mobiles,
            )
    return claimed


def judge_nudge(*, contest: Contest, judge_id: Any, stage: str, actor: Any) -> int:
    """The organizer's 催办 to one late judge: once a day per stage; the count of messages sent."""
    check_open(contest.campaign, "setup")
    if stage not in JUDGING_STAGES:
        raise ValidationError({"stage": _("评审阶段应为初评或终评。")})
    late = {str(x.judge.pk): x for x in late_judges(contest, stage)}
    found = late.get(str(judge_id))
    if found is None:
        raise ValidationError({"judge": _("该评委在本阶段没有未提交的评分。")})
    now = clock.now()
    sent = _send(
        contest=contest,
        stage=stage,
        late=found,
        slot=f"m{timezone.localtime(now).date().isoformat()}",
        at=now,
        due_at=None,
        actor=actor,
    )
    if not sent:
        raise ValidationError(_("今天已向该评委催办过，请明天再试。"))
    audit_log(
        actor=actor,
        action="contest.judge.nudge",
        obj=contest,
        after={"judge": found.judge.pk, "stage": stage, "pending": found.pending, "messages": sent},
    )
    return sent


def reminders_sent(contest: Contest, stage: str) -> dict[int, JudgeReminder]:
    """The latest reminder each judge got in the stage (in-app rows: one per slot), for the organizer."""
    out: dict[int, JudgeReminder] = {}
    for r in JudgeReminder.objects.filter(contest=contest, stage=stage, channel=Channel.INAPP):
        out.setdefault(r.judge_id, r)
    return out
