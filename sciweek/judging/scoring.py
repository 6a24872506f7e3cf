"""A judge's score for one assigned item: bounds per criterion, draft or submit, version check.

Two saves of the same score (two tabs, a phone that retries) carry the version they were made on; the
row is locked, the version compared, and the loser gets a 409 naming the version to reload — never a
silent overwrite. ``VERSION_CHECK`` exists only so the concurrency test can show that it catches the
race when the check is off.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from sciweek.core import clock
from sciweek.core.audit import audit_log

from .models import Assignment, Criterion, Judge, Score
from .services import criteria_for

VERSION_CHECK = True


class StaleScore(ValidationError):
    """A save made on an older version: named under ``version`` and answered 409 by the API."""

    def __init__(self, message: str) -> None:
        super().__init__({"version": [message]})
        self.code = "stale"


def _points(criterion: Criterion, raw: Any, *, required: bool) -> Decimal | None:
    name = {"criterion": criterion.name}
    if raw is None or str(raw).strip() == "":
        if required:
            raise ValidationError({f"c{criterion.pk}": _("「%(criterion)s」尚未打分。") % name})
        return None
    try:
        value = Decimal(str(raw).strip())
    except InvalidOperation:
        raise ValidationError({f"c{criterion.pk}": _("「%(criterion)s」应为数字。") % name})
    if not value.is_finite() or value < 0 or value > criterion.max_score:
        raise ValidationError(
            {
                f"c{criterion.pk}": _("「%(criterion)s」应在 0 到 %(max)s 分之间。")
                % {**name, "max": f"{criterion.max_score.normalize():f}"}
            }
        )
    if value != value.quantize(Decimal("0.5")):
        raise ValidationError({f"c{criterion.pk}": _("「%(criterion)s」最小单位为 0.5 分。") % name})
    return value


def weighted_total(criteria: list[Criterion], values: dict[str, Any]) -> Decimal:
    total = Decimal(0)
    for c in criteria:
        v = values.get(str(c.pk))
        if v is not None:
            total += Decimal(str(v)) / c.max_score * c.weight
    return total.quantize(Decimal("0.01"))


def score_save(
    *,
    assignment: Assignment,
    values: dict[str, Any],
    comment: str = "",
    submit: bool = False,
    version: int | None,
    judge: Judge,
    actor: Any,
) -> Score:
    """Save (``submit=False``: a draft, criteria may be blank) or submit (every criterion scored).

    ``version`` is the score's version the judge's screen showed (None: there was no score yet)."""
    if assignment.judge_id != judge.pk:
        raise ValidationError({"__all__": _("这不是分配给您的作品。")})
    if assignment.judging.closed:
        raise ValidationError({"__all__": _("本轮评审已结束，不能再修改评分。")})
    item = assignment.item
    criteria = criteria_for(assignment.judging, item.criteria_group or item.group)
    clean: dict[str, float] = {}
    errors: dict[str, list[str]] = {}
    for c in criteria:
        try:
            p = _points(c, values.get(str(c.pk)), required=submit)
        except ValidationError as exc:
            for k, v in exc.message_dict.items():
                errors.setdefault(k, []).extend(v)
            continue
        if p is not None:
            clean[str(c.pk)] = float(p)
    if len(comment) > 2000:
        errors.setdefault("comment", []).append("评语不能超过 2000 字。")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        score, created = Score.objects.select_for_update().get_or_create(assignment=assignment)
        expected = 0 if created else score.version
        if VERSION_CHECK and (version or 0) != expected:
            raise StaleScore(
                _("此评分已在别处保存（当前版本 %(version)s），请刷新后再改。") % {"version": score.version}
            )
        if score.status == Score.Status.SUBMITTED and not submit:
            raise ValidationError({"__all__": _("评分已提交，不能改回草稿；如需修改请再次提交。")})
        before = {"values": score.values, "status": score.status} if not created else None
        score.values = clean
        score.total = weighted_total(criteria, clean)
        score.comment = comment.strip()
        if submit:
            score.status = Score.Status.SUBMITTED
            score.submitted_at = clock.now()
        score.version = 1 if created else score.version + 1
        score.save()
        audit_log(
            actor=actor,
            action="score.submit" if submit else "score.draft",
            obj=score,
            object_repr=f"{judge.name} · {assignment.item.label}",
            before=before,
            after={"values": clean, "total": score.total, "status": score.status},
        )
    return score
