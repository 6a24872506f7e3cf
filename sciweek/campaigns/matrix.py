"""The completeness matrix (participating units × requirements), filtered and sorted, for the campaign
page, the 催报 action and the not-done list (xlsx and printable 通报)."""

from __future__ import annotations

from dataclasses import dataclass

from sciweek.core import clock
from sciweek.orgs.models import OrgUnit

from .compliance import Compliance, unit_compliance
from .models import Campaign, Requirement

SHOW = {"all", "todo", "overdue"}
SORT = {"unit", "todo"}


@dataclass
class MatrixRow:
    unit: OrgUnit
    states: list[tuple[Requirement, Compliance | None]]

    def missing(self) -> list[tuple[Requirement, Compliance]]:
        return [(r, s) for r, s in self.states if s is not None and not s.done]

    def overdue(self, now: object) -> list[tuple[Requirement, Compliance]]:
        return [(r, s) for r, s in self.missing() if r.due_at <= now]  # type: ignore[operator]


@dataclass
class Matrix:
    requirements: list[Requirement]
    rows: list[MatrixRow]  # filtered and sorted
    all_rows: list[MatrixRow]
    done: dict[int, int]  # requirement pk → units done (over all rows)
    expected: dict[int, int]
    overdue: dict[int, int]  # requirement pk → units not done after the deadline
    show: str
    sort: str


def build_matrix(campaign: Campaign, *, show: str = "all", sort: str = "unit") -> Matrix:
    show = show if show in SHOW else "all"
    sort = sort if sort in SORT else "unit"
    now = clock.now()
    units = list(campaign.participating_units())
    requirements = list(campaign.requirements.prefetch_related("applies_to").order_by("due_at"))
    rows = [
        MatrixRow(u, [(r, unit_compliance(r, u) if r.applies_to_unit(u) else None) for r in requirements])
        for u in units
    ]
    done = {r.pk: 0 for r in requirements}
    expected = dict(done)
    overdue = dict(done)
    for row in rows:
        for r, s in row.states:
            if s is None:
                continue
            expected[r.pk] += 1
            done[r.pk] += s.done
            overdue[r.pk] += (not s.done) and r.due_at <= now
    shown = rows
    if show == "todo":
        shown = [r for r in rows if r.missing()]
    elif show == "overdue":
        shown = [r for r in rows if r.overdue(now)]
    if sort == "todo":
        shown = sorted(shown, key=lambda r: (-len(r.overdue(now)), -len(r.missing())))
    return Matrix(requirements, shown, rows, done, expected, overdue, show, sort)


def not_done_lines(matrix: Matrix) -> list[tuple[OrgUnit, list[tuple[Requirement, Compliance, bool]]]]:
    """Each unit with something missing: the requirement, its state, and whether it is overdue."""
    now = clock.now()
    out = []
    for row in matrix.all_rows:
        missing = row.missing()
        if missing:
            out.append((row.unit, [(r, s, r.due_at <= now) for r, s in missing]))
    return out
