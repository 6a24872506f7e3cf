"""A judge's own declarations in the contest: a school they are tied to, or one assigned entry."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from sciweek.judging.models import Assignment, ConflictKind, Judge, Score
from sciweek.judging.services import conflict_declare

from .models import Contest
from .setup import ITEM


@transaction.atomic
def judge_declare_school(*, contest: Contest, judge: Judge, school_id: Any, actor: Any) -> int:
    """同校/同单位: every entry of that school (the judge never needs to see who is in them)."""
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
