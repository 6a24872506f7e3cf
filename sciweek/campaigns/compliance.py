"""Whether a unit has met a requirement: computed from what the system recorded, never typed in.

Each app registers a checker for the requirement kinds it can judge (the events app counts
approved themed events, the reports app looks at the unit's report, ...). A kind may also have a
batch checker judging many units in a few queries (reminder ticks over thousands of units); without
one, `batch_compliance` asks the per-unit checker unit by unit.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.db.models import Count

from sciweek.core import clock
from sciweek.orgs.models import OrgUnit, StaffContact

from .models import Requirement


@dataclass(frozen=True)
class Compliance:
    done: bool
    detail: str
    late: bool = False


Checker = Callable[[Requirement, OrgUnit], Compliance]
BatchChecker = Callable[[Requirement, Sequence[OrgUnit]], dict[int, Compliance]]
_CHECKERS: dict[str, Checker] = {}
_BATCH: dict[str, BatchChecker] = {}


def register_checker(kind: str) -> Callable[[Checker], Checker]:
    def decorate(fn: Checker) -> Checker:
        _CHECKERS[kind] = fn
        return fn

    return decorate


def register_batch_checker(kind: str) -> Callable[[BatchChecker], BatchChecker]:
    def decorate(fn: BatchChecker) -> BatchChecker:
        _BATCH[kind] = fn
        return fn

    return decorate


def batch_compliance(requirement: Requirement, units: Sequence[OrgUnit]) -> dict[int, Compliance]:
    """Every unit's compliance by unit id: the kind's batch checker, else the per-unit one."""
    batch = _BATCH.get(requirement.kind)
    if batch is not None:
        return batch(requirement, units)
    return {u.pk: unit_compliance(requirement, u) for u in units}


def unit_compliance(requirement: Requirement, unit: OrgUnit) -> Compliance:
    checker = _CHECKERS.get(requirement.kind)
    if checker is None:
        return Compliance(done=False, detail="尚未完成")
    return checker(requirement, unit)


@register_checker(Requirement.Kind.STAFF)
def _staff_named(requirement: Requirement, unit: OrgUnit) -> Compliance:
    return _staff_result(unit.staff.count())


@register_batch_checker(Requirement.Kind.STAFF)
def _staff_named_batch(requirement: Requirement, units: Sequence[OrgUnit]) -> dict[int, Compliance]:
    ids = [u.pk for u in units]
    counts = dict(
        StaffContact.objects.filter(unit_id__in=ids)
        .values("unit_id")
        .annotate(n=Count("id"))
        .values_list("unit_id", "n")
    )
    return {pk: _staff_result(counts.get(pk, 0)) for pk in ids}


def _staff_result(count: int) -> Compliance:
    return Compliance(done=count > 0, detail=f"已登记{count}名联系人" if count else "尚未登记联系人")


def countdown(requirement: Requirement) -> str:
    delta = requirement.due_at - clock.now()
    if delta.total_seconds() <= 0:
        return "已截止"
    days, rem = divmod(int(delta.total_seconds()), 86400)
    hours = rem // 3600
    return f"剩余{days}天{hours}小时" if days else f"剩余{hours}小时{(rem % 3600) // 60}分"
