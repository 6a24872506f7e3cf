"""Whether a unit has met a requirement: computed from what the system recorded, never typed in.

Each app registers a checker for the requirement kinds it can judge (the events app counts
approved themed events, the reports app looks at the unit's report, ...).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sciweek.core import clock
from sciweek.orgs.models import OrgUnit

from .models import Requirement


@dataclass(frozen=True)
class Compliance:
    done: bool
    detail: str
    late: bool = False


Checker = Callable[[Requirement, OrgUnit], Compliance]
_CHECKERS: dict[str, Checker] = {}


def register_checker(kind: str) -> Callable[[Checker], Checker]:
    def decorate(fn: Checker) -> Checker:
        _CHECKERS[kind] = fn
        return fn

    return decorate


def unit_compliance(requirement: Requirement, unit: OrgUnit) -> Compliance:
    checker = _CHECKERS.get(requirement.kind)
    if checker is None:
        return Compliance(done=False, detail="尚未完成")
    return checker(requirement, unit)


@register_checker(Requirement.Kind.STAFF)
def _staff_named(requirement: Requirement, unit: OrgUnit) -> Compliance:
    count = unit.staff.count()
    return Compliance(done=count > 0, detail=f"已登记{count}名联系人" if count else "尚未登记联系人")


def countdown(requirement: Requirement) -> str:
    delta = requirement.due_at - clock.now()
    if delta.total_seconds() <= 0:
        return "已截止"
    days, rem = divmod(int(delta.total_seconds()), 86400)
    hours = rem // 3600
    return f"剩余{days}天{hours}小时" if days else f"剩余{hours}小时{(rem % 3600) // 60}分"
