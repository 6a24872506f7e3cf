"""A judge's own declarations in the contest: a school they are tied to, or one assigned entry."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from sciweek.judging.models import Assignment, ConflictKind, Judge
from sciweek.judging.services import conflict_declare

from .models import Contest
from .setup import ITEM


@transaction.atomic
def judge_declare_school(*, contest: Contest, judge: Judge, school_id: Any, actor: Any) -> int:
    """同校/同单位: every entry of that school (the judge never needs to see who is in them)."""
    try:
        school_id = int(school_id)
    except (TypeError, ValueError):
        raise ValidationError({"school": "请选择学校。"})
    entries = list(contest.entries.filter(school_id=school_id).values_list("pk", flat=True))
    if not entries:
        raise ValidationError({"school": "该学校没有参赛作品。"})
    for pk in entries:
        conflict_declare(judge=judge, item_kind=ITEM, object_id=pk, kind=ConflictKind.SAME_UNIT, actor=actor)
    return len(entries)


def judge_declare_item(
    *, contest: Contest, judge: Judge, assignment: Assignment, kind: str, note: str, actor: Any
):
    return conflict_declare(
        judge=judge, item_kind=ITEM, object_id=assignment.item.object_id, kind=kind, note=note, actor=actor
    )
