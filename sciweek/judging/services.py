"""Writes of the judging component: rounds, criteria, items, judges, pledges, conflicts, assignment.

Scores have their own module (``scoring.py``). Every write is audited; multi-row writes run in one
transaction. The owner domain decides who may call what (scope), these services check the rules.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from sciweek.core import clock
from sciweek.core.audit import audit_log

from . import solver
from .models import Assignment, Conflict, ConflictKind, Criterion, Item, Judge, Judging


@dataclass(frozen=True)
class CriterionSpec:
    name: str
    weight: int
    max_score: Decimal | None = None  # default: the weight (the criterion's points of 100)


@dataclass(frozen=True)
class ItemSpec:
    kind: str
    object_id: int
    group: str
    discipline: str
    label: str
    conflict_units: tuple[int, ...] = ()
    excluded: bool = False
    criteria_group: str = ""


@transaction.atomic
def judging_create(
    *,
    owner_kind: str,
    owner_id: int,
    stage: str,
    title: str,
    judges_per_item: int = 3,
    blind: bool = True,
    criteria: dict[str, list[CriterionSpec]],
    actor: Any,
) -> Judging:
    """A round with its criteria per group ({group: [criteria]}, "" for every group)."""
    if judges_per_item < 1:
        raise ValidationError({"judges_per_item": _("每件作品评委数至少为 1。")})
    judging = Judging.objects.create(
        owner_kind=owner_kind,
        owner_id=owner_id,
        stage=stage,
        title=title,
        judges_per_item=judges_per_item,
        blind=blind,
    )
    criteria_set(judging=judging, criteria=criteria, actor=actor)
    audit_log(actor=actor, action="judging.create", obj=judging, after={"title": title, "stage": stage})
    return judging


@transaction.atomic
def criteria_set(*, judging: Judging, criteria: dict[str, list[CriterionSpec]], actor: Any) -> None:
    for group, specs in criteria.items():
        if sum(s.weight for s in specs) != 100:
            raise ValidationError(
                {"criteria": _("「%(group)s」各评分项权重之和应为 100。") % {"group": group or _("全部")}}
            )
    judging.criteria.filter(group__in=list(criteria)).delete()
    Criterion.objects.bulk_create(
        Criterion(
            judging=judging,
            group=group,
            name=s.name,
            weight=s.weight,
            max_score=s.max_score if s.max_score is not None else Decimal(s.weight),
            order=i,
        )
        for group, specs in criteria.items()
        for i, s in enumerate(specs)
    )
    audit_log(
        actor=actor,
        action="judging.criteria",
        obj=judging,
        after={g: [(s.name, s.weight) for s in specs] for g, specs in criteria.items()},
    )


def criteria_for(judging: Judging, group: str) -> list[Criterion]:
    """The criteria group's own criteria (an item's ``criteria_group or group``), else the general ones."""
    every = list(judging.criteria.all())
    own = [c for c in every if c.group == group]
    return own or [c for c in every if c.group == ""]


@transaction.atomic
def items_sync(*, judging: Judging, specs: Iterable[ItemSpec], actor: Any) -> list[Item]:
    """Create or update the round's items from the owner's objects (labels, groups, exclusions)."""
    specs = list(specs)
    existing = {(i.kind, i.object_id): i for i in judging.items.all()}
    out = []
    for s in specs:
        item = existing.get((s.kind, s.object_id)) or Item(
            judging=judging, kind=s.kind, object_id=s.object_id
        )
        item.group, item.discipline, item.label = s.group, s.discipline, s.label[:200]
        item.criteria_group = s.criteria_group
        item.conflict_units, item.excluded = list(s.conflict_units), s.excluded
        item.save()
        out.append(item)
    audit_log(actor=actor, action="judging.items", obj=judging, after={"count": len(out)})
    return out


@transaction.atomic
def judge_add(
    *,
    owner_kind: str,
    owner_id: int,
    user: Any,
    name: str,
    group: str,
    expertise: list[str],
    unit: Any = None,
    unit_text: str = "",
    actor: Any,
) -> Judge:
    if Judge.objects.filter(user=user).exclude(owner_kind=owner_kind, owner_id=owner_id).exists():
        # The judge role is limited to one contest or selection.
        raise ValidationError(
            {"user": _("账号「%(username)s」已是其他评审活动的评委。") % {"username": user.username}}
        )
    judge, _created = Judge.objects.update_or_create(
        owner_kind=owner_kind,
        owner_id=owner_id,
        user=user,
        defaults={"name": name, "group": group, "expertise": expertise, "unit": unit, "unit_text": unit_text},
    )
    audit_log(actor=actor, action="judge.add", obj=judge, after={"name": name, "group": group})
    return judge


@transaction.atomic
def judge_pledge(*, judge: Judge, actor: Any) -> Judge:
    judge.pledge_accepted_at = clock.now()
    judge.save(update_fields=["pledge_accepted_at"])
    audit_log(actor=actor, action="judge.pledge", obj=judge)
    return judge


@transaction.atomic
def conflict_declare(
    *, judge: Judge, item_kind: str, object_id: int, kind: str, note: str = "", actor: Any
) -> Conflict:
    if kind not in ConflictKind.values:
        raise ValidationError({"kind": _("请选择回避类型。")})
    if kind == ConflictKind.OTHER and not note.strip():
        raise ValidationError({"note": _("选择“其他利益相关”时请填写说明。")})
    conflict, _created = Conflict.objects.get_or_create(
        judge=judge,
        item_kind=item_kind,
        object_id=object_id,
        kind=kind,
        defaults={"note": note.strip()[:200]},
    )
    # A conflict declared after assignment takes the judge off the item at once (unless scored).
    Assignment.objects.filter(
        judge=judge, item__kind=item_kind, item__object_id=object_id, score__isnull=True
    ).delete()
    audit_log(actor=actor, action="conflict.declare", obj=judge, after={"object": object_id, "kind": kind})
    return conflict


def automatic_conflicts(judges: Iterable[Judge], items: Iterable[Item]) -> list[tuple[Judge, Item]]:
    """A judge of a unit (a school, a 单位) conflicts with every item of that unit."""
    by_unit: dict[int, list[Judge]] = {}
    for j in judges:
        if j.unit_id:
            by_unit.setdefault(j.unit_id, []).append(j)
    return [(j, it) for it in items for u in it.conflict_units for j in by_unit.get(u, [])]


@transaction.atomic
def conflicts_refresh(*, judging: Judging, actor: Any) -> int:
    """Store the automatic (same unit) conflicts of a round's items, so they are listed and kept."""
    judges = list(Judge.objects.filter(owner_kind=judging.owner_kind, owner_id=judging.owner_id))
    found = automatic_conflicts(judges, judging.items.all())
    have = set(
        Conflict.objects.filter(judge__in=judges, automatic=True).values_list(
            "judge_id", "item_kind", "object_id"
        )
    )
    new = [
        Conflict(
            judge=j, kind=ConflictKind.SAME_UNIT, item_kind=it.kind, object_id=it.object_id, automatic=True
        )
        for j, it in found
        if (j.pk, it.kind, it.object_id) not in have
    ]
    Conflict.objects.bulk_create(new, ignore_conflicts=True)
    if new:
        audit_log(actor=actor, action="conflict.auto", obj=judging, after={"count": len(new)})
    return len(new)


def conflict_pairs(judging: Judging) -> set[tuple[int, int]]:
    """Every (judge id, item id) that may not be assigned: declared and automatic."""
    judges = list(Judge.objects.filter(owner_kind=judging.owner_kind, owner_id=judging.owner_id))
    items = list(judging.items.all())
    by_object = {(it.kind, it.object_id): it.pk for it in items}
    pairs = {(j.pk, it.pk) for j, it in automatic_conflicts(judges, items)}
    for judge_id, kind, oid in Conflict.objects.filter(judge__in=judges).values_list(
        "judge_id", "item_kind", "object_id"
    ):
        if (kind, oid) in by_object:
            pairs.add((judge_id, by_object[(kind, oid)]))
    return pairs


@dataclass
class AssignReport:
    pairs: int
    matches: int
    seconds: float
    spread: dict[str, int]  # per group: largest minus smallest load (≤ 1 unless conflicts forbid it)


@transaction.atomic
def assignment_run(*, judging: Judging, k: int | None = None, actor: Any) -> AssignReport:
    """Replace the round's assignments by the solver's (refused once any score exists)."""
    import time

    judging = Judging.objects.select_for_update().get(pk=judging.pk)
    if k is not None:
        if k < 1:
            raise ValidationError({"k": _("每件作品评委数至少为 1。")})
        judging.judges_per_item = k
        judging.save(update_fields=["judges_per_item"])
    if Assignment.objects.filter(judging=judging, score__isnull=False).exists():
        raise ValidationError({"__all__": _("已有评委开始评分，不能重新自动分配；请逐条手动调整。")})
    conflicts_refresh(judging=judging, actor=actor)
    items = [it for it in judging.items.all() if not it.excluded]
    judges = list(Judge.objects.filter(owner_kind=judging.owner_kind, owner_id=judging.owner_id, active=True))
    started = time.perf_counter()
    try:
        sol = solver.solve(
            [solver.ItemIn(it.pk, it.group, it.discipline, it.label) for it in items],
            [solver.JudgeIn(j.pk, j.group, frozenset(j.expertise)) for j in judges],
            k=judging.judges_per_item,
            conflicts=conflict_pairs(judging),
        )
    except solver.Infeasible as exc:
        raise ValidationError({"__all__": exc.message})
    seconds = time.perf_counter() - started
    Assignment.objects.filter(judging=judging).delete()
    discipline = {it.pk: it.discipline for it in items}
    expertise = {j.pk: set(j.expertise) for j in judges}
    Assignment.objects.bulk_create(
        Assignment(
            judging=judging,
            judge_id=judge_id,
            item_id=item_id,
            expertise_match=discipline[item_id] in expertise[judge_id],
        )
        for judge_id, item_id in sol.pairs
    )
    audit_log(
        actor=actor,
        action="assignment.run",
        obj=judging,
        after={
            "pairs": len(sol.pairs),
            "matches": sol.matches,
            "k": judging.judges_per_item,
            "spread": sol.spread,
        },
    )
    return AssignReport(len(sol.pairs), sol.matches, seconds, sol.spread)


@transaction.atomic
def assignment_add(*, judging: Judging, judge: Judge, item: Item, actor: Any) -> Assignment:
    """A manual assignment, re-checked for conflicts."""
    if item.judging_id != judging.pk or (judge.owner_kind, judge.owner_id) != (
        judging.owner_kind,
        judging.owner_id,
    ):
        raise ValidationError({"judge": _("评委或作品不属于本轮评审。")})
    if (judge.pk, item.pk) in conflict_pairs(judging):
        raise ValidationError(
            {
                "judge": _("评委「%(judge)s」与「%(item)s」有回避关系，不能分配。")
                % {"judge": judge.name, "item": item.label}
            }
        )
    assignment, _created = Assignment.objects.get_or_create(
        judging=judging,
        judge=judge,
        item=item,
        defaults={"manual": True, "expertise_match": item.discipline in judge.expertise},
    )
    audit_log(actor=actor, action="assignment.add", obj=judging, after={"judge": judge.pk, "item": item.pk})
    return assignment


@transaction.atomic
def assignment_remove(*, assignment: Assignment, actor: Any) -> None:
    if hasattr(assignment, "score"):
        raise ValidationError({"__all__": _("该评委已对此作品评分，不能移除。")})
    audit_log(
        actor=actor,
        action="assignment.remove",
        obj=assignment.judging,
        before={"judge": assignment.judge_id, "item": assignment.item_id},
    )
    assignment.delete()


@transaction.atomic
def assignment_all(*, judging: Judging, actor: Any) -> AssignReport:
    """Every active judge on every item they may judge (a small panel that scores everything): the
    conflicts (declared and automatic) are left out. Kept assignments and their scores stay."""
    import time

    started = time.perf_counter()
    judging = Judging.objects.select_for_update().get(pk=judging.pk)
    conflicts_refresh(judging=judging, actor=actor)
    forbidden = conflict_pairs(judging)
    items = [it for it in judging.items.all() if not it.excluded]
    judges = list(Judge.objects.filter(owner_kind=judging.owner_kind, owner_id=judging.owner_id, active=True))
    wanted = {(j.pk, it.pk) for j in judges for it in items if (j.pk, it.pk) not in forbidden}
    # Pairs no longer wanted (a judge gone, a conflict found) go, unless already scored.
    for a in Assignment.objects.filter(judging=judging, score__isnull=True):
        if (a.judge_id, a.item_id) not in wanted:
            a.delete()
    have = set(Assignment.objects.filter(judging=judging).values_list("judge_id", "item_id"))
    discipline = {it.pk: it.discipline for it in items}
    expertise = {j.pk: set(j.expertise) for j in judges}
    new = sorted(wanted - have)
    Assignment.objects.bulk_create(
        Assignment(judging=judging, judge_id=j, item_id=i, expertise_match=discipline[i] in expertise[j])
        for j, i in new
    )
    loads: dict[str, list[int]] = {}
    for j in judges:
        loads.setdefault(j.group, []).append(sum(1 for jj, _i in wanted if jj == j.pk))
    spread = {g: max(v) - min(v) for g, v in loads.items()}
    matches = sum(1 for j, i in wanted if discipline[i] in expertise[j])
    audit_log(
        actor=actor, action="assignment.all", obj=judging, after={"pairs": len(wanted), "added": len(new)}
    )
    return AssignReport(len(wanted), matches, time.perf_counter() - started, spread)
