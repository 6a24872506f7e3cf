"""The assignment solver over random instances (hypothesis): a conflict is never assigned, every item
gets k judges, loads differ by at most one whenever the conflicts allow it, and expertise is used."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sciweek.judging.solver import Infeasible, ItemIn, JudgeIn, check, solve

DISCIPLINES = ["数学", "物理学", "化学", "工程学"]


@st.composite
def instances(draw):
    groups = draw(st.lists(st.sampled_from(["小学", "初中", "高中"]), min_size=1, max_size=3, unique=True))
    k = draw(st.integers(1, 3))
    items, judges = [], []
    for g in groups:
        for _ in range(draw(st.integers(1, 25))):
            items.append(ItemIn(len(items) + 1, g, draw(st.sampled_from(DISCIPLINES))))
        for _ in range(draw(st.integers(k, k + 6))):
            expertise = frozenset(draw(st.lists(st.sampled_from(DISCIPLINES), max_size=2)))
            judges.append(JudgeIn(1000 + len(judges), g, expertise))
    density = draw(st.sampled_from([0.0, 0.05, 0.15, 0.3]))
    rnd = draw(st.randoms(use_true_random=False))
    conflicts = {
        (j.id, it.id) for j in judges for it in items if j.group == it.group and rnd.random() < density
    }
    return items, judges, k, conflicts


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances())
def test_it_never_assigns_a_conflict_and_covers_every_item(instance):
    items, judges, k, conflicts = instance
    try:
        sol = solve(items, judges, k=k, conflicts=conflicts)
    except Infeasible:
        # Only when some item truly lacks k judges free of conflicts in its group.
        free = {
            it.id: sum(1 for j in judges if j.group == it.group and (j.id, it.id) not in conflicts)
            for it in items
        }
        assert min(free.values()) < k
        return
    problems = check(sol.pairs, items, judges, k=k, conflicts=conflicts)
    assert not [p for p in problems if p.startswith(("conflict", "item"))], problems
    assert len(sol.pairs) == len(set(sol.pairs)) == k * len(items)  # exactly k, no pair twice
    group_of = {j.id: j.group for j in judges}
    item_group = {it.id: it.group for it in items}
    assert all(group_of[j] == item_group[i] for j, i in sol.pairs)
    if not conflicts:
        assert all(s <= 1 for s in sol.spread.values()), sol.spread
    for g, spread in sol.spread.items():
        loads = [sum(1 for j, _ in sol.pairs if j == jd.id) for jd in judges if jd.group == g]
        assert max(loads) - min(loads) == spread


@settings(max_examples=60, deadline=None)
@given(instances())
def test_loads_differ_by_at_most_one_with_light_conflicts_and_enough_judges(instance):
    items, judges, k, _ = instance
    # At most one conflict per judge and k + 2 judges per group: balance is always reachable.
    conflicts = {(j.id, it.id) for j, it in zip(judges, items, strict=False) if j.group == it.group}
    counts = {g: sum(1 for j in judges if j.group == g) for g in {j.group for j in judges}}
    if min(counts.values()) < k + 2:
        return
    sol = solve(items, judges, k=k, conflicts=conflicts)
    assert all(s <= 1 for s in sol.spread.values()), sol.spread
    assert not check(sol.pairs, items, judges, k=k, conflicts=conflicts)


def test_it_prefers_expertise_when_balance_allows():
    items = [ItemIn(i, "初中", "数学" if i <= 3 else "化学") for i in range(1, 7)]
    judges = [JudgeIn(10, "初中", frozenset({"数学"})), JudgeIn(11, "初中", frozenset({"化学"}))]
    sol = solve(items, judges, k=1, conflicts=set())
    assert sol.matches == 6
    assert sorted(i for j, i in sol.pairs if j == 10) == [1, 2, 3]


def test_too_few_judges_is_refused_with_the_group_named():
    with pytest.raises(Infeasible) as exc:
        solve([ItemIn(1, "高中")], [JudgeIn(1, "高中"), JudgeIn(2, "高中")], k=3, conflicts=set())
    assert "高中" in exc.value.message and "3" in exc.value.message


def test_an_item_every_judge_conflicts_with_is_named():
    items = [ItemIn(1, "小学", label="会飞的房子"), ItemIn(2, "小学")]
    judges = [JudgeIn(10, "小学"), JudgeIn(11, "小学")]
    with pytest.raises(Infeasible) as exc:
        solve(items, judges, k=2, conflicts={(10, 1)})
    assert "会飞的房子" in exc.value.message
