"""Judging at a province's scale: assignment by min-cost flow and ranking (issue 15).

    python bench/bench_judging.py [--entries 3000] [--judges 200] [--k 3] [--conflicts 0.05]

Assignment: 3,000 entries to 200 judges, k = 3, 5 % of (judge, entry) pairs in a conflict at random,
judges in five panels (小学, 初中 ×2, 高中, 科幻画/辅导员) with one to three disciplines of expertise;
target < 10 s. Printed: the solver's time, the share of assignments whose judge's expertise covers the
entry's discipline, the largest load spread per panel, a check that no conflict was assigned, and the
ratio to a baseline measured in the same run — a round-robin that deals each entry to the next k
judges of its panel (no conflicts, balance or expertise considered: the least any assignment does).
The same in one panel of 200 judges (600,000 candidate pairs) shows the worst case.

Ranking: 9,000 submitted scores of 3,000 entries → trimmed means, standardised scores, tie-break
ranks and award tiers per category; target < 1 s; baseline: sorting the 3,000 plain means.
No database is needed.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sciweek.judging.aggregate import ScoreIn, aggregate, awards_within_shares  # noqa: E402
from sciweek.judging.solver import ItemIn, JudgeIn, check, solve  # noqa: E402

PANELS = {
    "小学": (["物质科学", "生命科学", "地球与空间科学", "技术与设计", "行为与社会科学"], 0.25),
    "初中A": (["数学", "计算机科学", "物理学", "工程学", "化学", "生物化学"], 0.2),
    "初中B": (
        ["地球与空间科学", "动物学", "植物学", "微生物学", "医药与健康学", "环境科学", "行为与社会科学"],
        0.2,
    ),
    "高中": (["数学", "计算机科学", "物理学", "工程学", "化学", "环境科学", "医药与健康学"], 0.25),
    "科幻画/辅导员": (["科幻画", "科教制作类", "科教方案类"], 0.1),
}
TIERS = [("一等奖", 0.1), ("二等奖", 0.2), ("三等奖", 0.3), ("优秀奖", 0.2)]


def instance(n: int, m: int, density: float, rng: random.Random, *, one_panel: bool = False):
    items, judges = [], []
    names = list(PANELS)
    for p in names:
        disciplines, share = PANELS[p]
        group = "全部" if one_panel else p
        for _ in range(round(n * share)):
            items.append(ItemIn(len(items) + 1, group, rng.choice(disciplines)))
        for _ in range(round(m * share)):
            judges.append(
                JudgeIn(100_000 + len(judges), group, frozenset(rng.sample(disciplines, rng.randint(1, 3))))
            )
    by_group = defaultdict(list)
    for j in judges:
        by_group[j.group].append(j.id)
    conflicts = set()
    for it in items:
        pool = by_group[it.group]
        for jid in rng.sample(pool, max(0, round(density * len(pool)))):
            conflicts.add((jid, it.id))
    return items, judges, conflicts


def round_robin(items, judges, k):
    by_group = defaultdict(list)
    for j in judges:
        by_group[j.group].append(j.id)
    pairs, turn = [], defaultdict(int)
    for it in items:
        pool = by_group[it.group]
        for _ in range(k):
            pairs.append((pool[turn[it.group] % len(pool)], it.id))
            turn[it.group] += 1
    return pairs


def bench_assignment(n: int, m: int, k: int, density: float, *, one_panel: bool) -> float:
    rng = random.Random(15)
    items, judges, conflicts = instance(n, m, density, rng, one_panel=one_panel)
    start = time.perf_counter()
    round_robin(items, judges, k)
    base = time.perf_counter() - start
    start = time.perf_counter()
    sol = solve(items, judges, k=k, conflicts=conflicts)
    took = time.perf_counter() - start
    problems = [
        p for p in check(sol.pairs, items, judges, k=k, conflicts=conflicts) if not p.startswith("group")
    ]
    label = "one panel of all judges" if one_panel else f"{len({j.group for j in judges})} panels"
    print(f"assignment ({label}): {n} entries, {m} judges, k={k}, {len(conflicts)} conflicts ({density:.0%})")
    print(f"  solver time {took:.2f} s  (target < 10 s: {'met' if took < 10 else 'MISSED'})")
    print(f"  expertise matches {sol.matches / len(sol.pairs):.1%} of {len(sol.pairs)} assignments")
    print(f"  load spread per panel {sol.spread}  conflicts assigned / items short: {len(problems)}")
    print(f"  baseline round-robin {base * 1000:.1f} ms  → ratio {took / base:.0f}×")
    assert not problems, problems[:5]
    return took


def bench_ranking(n: int, k: int) -> float:
    rng = random.Random(3)
    cats = {i: f"c{i % 13}" for i in range(1, n + 1)}
    judges = list(range(200))
    scores = [
        ScoreIn(rng.choice(judges), i, rng.uniform(40, 98), tuple(rng.uniform(10, 30) for _ in range(4)))
        for i in range(1, n + 1)
        for _ in range(k)
    ]
    start = time.perf_counter()
    sorted((statistics.fmean(v) for v in _group(scores).values()), reverse=True)
    base = time.perf_counter() - start
    times = []
    for _ in range(5):
        start = time.perf_counter()
        awarded = 0
        # One pass over all scores (standardised scores need every judge's scores), then per category.
        every = aggregate(scores, item_ids=list(cats), min_items=5)
        per_cat = defaultdict(list)
        for r in every:
            per_cat[cats[r.item_id]].append(r)
        for rows in per_cat.values():
            awarded += len(awards_within_shares(rows, TIERS))
        times.append(time.perf_counter() - start)
    took = statistics.median(times)
    print(f"ranking: {n} entries, {len(scores)} scores, 13 categories, {awarded} awards")
    print(
        f"  {took * 1000:.0f} ms  (target < 1 s: {'met' if took < 1 else 'MISSED'});"
        f" baseline sort of plain means {base * 1000:.1f} ms → ratio {took / base:.0f}×"
    )
    return took


def _group(scores):
    out = defaultdict(list)
    for s in scores:
        out[s.item_id].append(s.total)
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=3000)
    parser.add_argument("--judges", type=int, default=200)
    parser.add_argument("--k", type=int, default=3)
    parser.add_argument("--conflicts", type=float, default=0.05)
    args = parser.parse_args(argv)
    bench_assignment(args.entries, args.judges, args.k, args.conflicts, one_panel=False)
    bench_assignment(args.entries, args.judges, args.k, args.conflicts, one_panel=True)
    bench_ranking(args.entries, args.k)


if __name__ == "__main__":
    main()
