"""Assignment of items to judges as a min-cost flow (OR-Tools ``SimpleMinCostFlow``).

Per group (judges are balanced within their group only), the network is:

    item i  (supply k)  ──cap 1, cost 0 if the judge's expertise covers the item's discipline, else 1──▶
    judge j (demand ⌊k·n/J⌋)  ──cap 1──▶  overflow (demand k·n − J·⌊k·n/J⌋)

A pair with a conflict has no arc, so no flow can ever put a judge on an item they must avoid. Every
item sends exactly k units (coverage), every judge takes ⌊k·n/J⌋ or one more (loads differ by at most
one; when conflicts make that impossible — two judges of a 4-judge panel at schools with many entries —
the window is widened step by step and the spread reported), and the minimum cost is the largest number of expertise matches any such assignment has. The
flow is integral (network simplex), so this is exact — no heuristic — and takes well under a second for
thousands of items. When no assignment exists (too many conflicts, too few judges) the solver says
which items of which group it could not cover.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
from django.utils.translation import gettext as _
from ortools.graph.python import min_cost_flow

MISMATCH_COST = 1


@dataclass(frozen=True)
class ItemIn:
    id: int
    group: str
    discipline: str = ""
    label: str = ""  # for messages only


@dataclass(frozen=True)
class JudgeIn:
    id: int
    group: str
    expertise: frozenset[str] = frozenset()


@dataclass
class Solution:
    pairs: list[tuple[int, int]] = field(default_factory=list)  # (judge id, item id)
    matches: int = 0  # pairs whose judge's expertise covers the item's discipline
    spread: dict[str, int] = field(default_factory=dict)  # per group: largest minus smallest load


class Infeasible(ValueError):
    def __init__(self, group: str, message: str) -> None:
        super().__init__(message)
        self.group = group
        self.message = message


def solve(
    items: Iterable[ItemIn], judges: Iterable[JudgeIn], *, k: int, conflicts: set[tuple[int, int]]
) -> Solution:
    """Assign every item to exactly ``k`` judges of its group; ``conflicts`` holds (judge, item) pairs."""
    by_group_items: dict[str, list[ItemIn]] = defaultdict(list)
    by_group_judges: dict[str, list[JudgeIn]] = defaultdict(list)
    for it in items:
        by_group_items[it.group].append(it)
    for jd in judges:
        by_group_judges[jd.group].append(jd)
    solution = Solution()
    for group, group_items in sorted(by_group_items.items()):
        _solve_group(group, group_items, by_group_judges.get(group, []), k, conflicts, solution)
    return solution


def _solve_group(
    group: str,
    items: list[ItemIn],
    judges: list[JudgeIn],
    k: int,
    conflicts: set[tuple[int, int]],
    out: Solution,
) -> None:
    n, m = len(items), len(judges)
    if m < k:
        raise Infeasible(
            group,
            _(
                "评审组「%(group)s」只有 %(judges)s 位评委，每件作品需要 %(per_item)s 位，请增加评委或减少每件评委数。"
            )
            % {"group": group, "judges": m, "per_item": k},
        )
    total = n * k
    floor = total // m
    starts, ends, costs = [], [], []
    for ii, it in enumerate(items):
        for jj, jd in enumerate(judges):
            if (jd.id, it.id) in conflicts:
                continue
            starts.append(m + ii)
            ends.append(jj)
            costs.append(0 if it.discipline and it.discipline in jd.expertise else MISMATCH_COST)
    # Loads within [floor, floor + 1] when the conflicts allow it; otherwise the window is widened one
    # step each side at a time until it is feasible, and the spread is reported (never silently).
    widen = 0
    while True:
        low, high = max(0, floor - widen), min(n, floor + 1 + widen)
        flows = _flow(starts, ends, costs, n=n, m=m, k=k, low=low, high=high)
        if flows is not None:
            break
        if low == 0 and high == n:
            raise Infeasible(group, _explain(group, items, judges, k, conflicts))
        widen += 1
    chosen = np.nonzero(flows)[0]
    tails = np.array(starts, dtype=np.int64)[chosen] - m
    heads = np.array(ends, dtype=np.int64)[chosen]
    chosen_costs = np.array(costs, dtype=np.int64)[chosen]
    for ii, jj in zip(tails.tolist(), heads.tolist(), strict=True):
        out.pairs.append((judges[jj].id, items[ii].id))
    out.matches += int((chosen_costs == 0).sum())
    loads = np.bincount(heads, minlength=m)
    out.spread[group] = int(loads.max() - loads.min()) if m else 0


def _flow(
    starts: list[int], ends: list[int], costs: list[int], *, n: int, m: int, k: int, low: int, high: int
) -> np.ndarray | None:
    """The flow on the pair arcs with every judge's load in [low, high], or None when none exists."""
    overflow = m + n  # node numbers: judges 0..m-1, items m..m+n-1, overflow m+n
    pair_arcs = len(starts)
    flow = min_cost_flow.SimpleMinCostFlow()
    arcs = flow.add_arcs_with_capacity_and_unit_cost(
        np.array([*starts, *range(m)], dtype=np.int32),
        np.array([*ends, *([overflow] * m)], dtype=np.int32),
        np.array([1] * pair_arcs + [high - low] * m, dtype=np.int64),
        np.array([*costs, *([0] * m)], dtype=np.int64),
    )
    supplies = np.zeros(m + n + 1, dtype=np.int64)
    supplies[:m] = -low
    supplies[m : m + n] = k
    supplies[overflow] = -(n * k - low * m)
    if supplies[overflow] > 0:
        return None
    flow.set_nodes_supplies(np.arange(m + n + 1, dtype=np.int32), supplies)
    if flow.solve() != flow.OPTIMAL:
        return None
    return flow.flows(arcs[:pair_arcs])


def _explain(group: str, items: list[ItemIn], judges: list[JudgeIn], k: int, conflicts: set) -> str:
    short = [it for it in items if sum((jd.id, it.id) not in conflicts for jd in judges) < k]
    if short:
        names = "、".join(f"「{it.label or it.id}」" for it in short[:5]) + (" 等" if len(short) > 5 else "")
        return f"评审组「{group}」中作品{names}回避后剩余的评委不足 {k} 位，请增加该组评委。"
    return (
        f"评审组「{group}」在回避关系下无法使每件作品有 {k} 位评委且各评委任务量相差不超过 1，"
        "请增加评委或调整回避。"
    )


def check(
    pairs: list[tuple[int, int]],
    items: list[ItemIn],
    judges: list[JudgeIn],
    *,
    k: int,
    conflicts: set[tuple[int, int]],
) -> list[str]:
    """What is wrong with an assignment (empty when it meets every rule): used by tests and after
    manual changes."""
    problems = []
    group_of_judge = {j.id: j.group for j in judges}
    per_item: dict[int, int] = defaultdict(int)
    per_judge: dict[int, int] = defaultdict(int)
    for judge_id, item_id in pairs:
        if (judge_id, item_id) in conflicts:
            problems.append(f"conflict {judge_id}-{item_id}")
        per_item[item_id] += 1
        per_judge[judge_id] += 1
    for it in items:
        if per_item[it.id] < k:
            problems.append(f"item {it.id} has {per_item[it.id]}")
    groups: dict[str, list[int]] = defaultdict(list)
    for j in judges:
        groups[group_of_judge[j.id]].append(per_judge[j.id])
    for g, loads in groups.items():
        if loads and any(it.group == g for it in items) and max(loads) - min(loads) > 1:
            problems.append(f"group {g} loads {min(loads)}..{max(loads)}")
    return problems
