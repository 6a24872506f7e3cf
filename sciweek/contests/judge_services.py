"""The contest's writes on its judging rounds: the organizer's assignment, a judge's pledge, declarations
(a school they are tied to, or one assigned entry) and scores.

The shared ``judging`` component knows no campaign, so the contest checks its campaign's life cycle here
before handing over. Every write uses the "setup" action (open from draft to 总结上报, refused once the
campaign is closed): the contest's stages run from about 40 days before the week to 20 days after it, so
the campaign's own statuses say nothing finer than "not closed yet". Scoring follows the same rule and
not the 初评/终评 stage dates: the dates are the schedule judges are reminded of (judge_reminders.py),
a late judge's score is still wanted, and the organizer ends a round by closing it (judging refuses a
score in a closed round).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from sciweek.campaigns.lifecycle import check_open
from sciweek.judging.models import Assignment, ConflictKind, Item, Judge, Score
from sciweek.judging.scoring import score_save
from sciweek.judging.services import (
    AssignReport,
    assignment_add,
    assignment_remove,
    assignment_run,
    conflict_declare,
    judge_pledge,
)

from .models import Contest
from .setup import ITEM, judging_of, rounds_sync


@transaction.atomic
def contest_assign(*, contest: Contest, stage: str, k: int | None = None, actor: Any) -> AssignReport:
    """The organizer's automatic assignment of one round (its items brought up to date first)."""
    check_open(contest.campaign, "setup")
    rounds_sync(contest=contest, actor=actor)
    return assignment_run(judging=judging_of(contest, stage), k=k, actor=actor)


def contest_assignment_add(
    *, contest: Contest, stage: str, judge: Judge, item: Item, actor: Any
) -> Assignment:
    """A manual assignment (judging re-checks conflicts)."""
    check_open(contest.campaign, "setup")
    return assignment_add(judging=judging_of(contest, stage), judge=judge, item=item, actor=actor)


def contest_assignment_remove(*, contest: Contest, assignment: Assignment, actor: Any) -> None:
    check_open(contest.campaign, "setup")
    assignment_remove(assignment=assignment, actor=actor)


def contest_judge_pledge(*, contest: Contest, judge: Judge, actor: Any) -> Judge:
    check_open(contest.campaign, "setup")
    return judge_pledge(judge=judge, actor=actor)


def contest_score_save(
    *,
    contest: Contest,
    assignment: Assignment,
    judge: Judge,
    values: dict[str, Any],
    comment: str = "",
    submit: bool = False,
    version: int | None,
    actor: Any,
) -> Score:
    """A judge's draft or submitted score (judging checks bounds, ownership, the round and the version)."""
    check_open(contest.campaign, "setup")
    return score_save(
        assignment=assignment,
        values=values,
        comment=comment,
        submit=submit,
        version=version,
        judge=judge,
        actor=actor,
    )


@transaction.atomic
def judge_declare_school(*, contest: Contest, judge: Judge, school_id: Any, actor: Any) -> int:
    """同校/同单位: every entry of that school (the judge never needs to see who is in them)."""
    check_open(contest.campaign, "setup")
    try:
        school_id = int(school_id)
    except (TypeError, ValueError):
        raise ValidationError({"school": _("请选择学校。")})
    entries = list(contest.entries.filter(school_id=school_id).values_list("pk", flat=True))
    if not entries:
        raise ValidationError({"school": _("该学校没有参赛作品。")})
    for pk in entries:
        conflict_declare(judge=judge, item_kind=ITEM, object_id=pk, kind=ConflictKind.SAME_UNIT, actor=actor)
    return len(entries)


def judge_declare_item(
    *, contest: Contest, judge: Judge, assignment: Assignment, kind: str, note: str, actor: Any
):
    check_open(contest.campaign, "setup")
    return conflict_declare(
        judge=judge, item_kind=ITEM, object_id=assignment.item.object_id, kind=kind, note=note, actor=actor
    )


def peer_totals(assignment: Assignment) -> list[float] | None:
    """The other judges' submitted totals of this entry in this round, lowest first and without names, for
    the judge of ``assignment`` — only when the round allows it (the contest's setting "judges see other
    judges' scores after submitting their own") and only once their own score is submitted; else None."""
    if not assignment.judging.show_others_after_submit:
        return None
    own = Score.objects.filter(assignment=assignment).first()
    if own is None or own.status != Score.Status.SUBMITTED:
        return None
    return sorted(
        float(t)
        for t in Score.objects.filter(assignment__item=assignment.item, status=Score.Status.SUBMITTED)
        .exclude(assignment=assignment)
        .values_list("total", flat=True)
    )
