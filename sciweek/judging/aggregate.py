"""From judges' submitted totals to one score per item, a ranking and a tie-break (pure functions).

- **Trimmed mean** (default): with 5 or more scores the highest and the lowest are dropped, then the
  rest averaged; with fewer, the plain mean.
- **Plain mean**: every score counts.
- **Standardised score** (shown beside, never used for the rank): each score as a z-score within its
  judge's own scores, averaged per item, then put back on the scale of all scores (mean + z × sd). A
  judge's scores count there only when the judge scored at least ``min_items`` items; an item judged
  by no such judge has none.
- **Tie-break**: equal scores are ordered by the criteria's averages in the criteria's order (创新性
  first); still equal, they share the rank.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

TIE_BREAK_RULE = "总分相同时，依次比较各评分项（按评分标准顺序）的平均得分，高者在前；仍相同则名次并列。"
TRIM_FROM = 5


def trimmed_mean(values: Sequence[float]) -> float | None:
    if not values:
        return None
    if len(values) >= TRIM_FROM:
        ordered = sorted(values)[1:-1]
        return sum(ordered) / len(ordered)
    return sum(values) / len(values)


def plain_mean(values: Sequence[float]) -> float | None:
    return sum(values) / len(values) if values else None


@dataclass(frozen=True)
class ScoreIn:
    judge_id: int
    item_id: int
    total: float
    criteria: tuple[float, ...] = ()  # per criterion, in the criteria's order (for the tie-break)


@dataclass
class ItemResult:
    item_id: int
    score: float | None
    mean: float | None
    trimmed: float | None
    standardised: float | None
    count: int
    tie_key: tuple[float, ...] = ()
    rank: int = 0
    scores: list[float] = field(default_factory=list)


def standardised_by_item(scores: Iterable[ScoreIn], *, min_items: int) -> dict[int, float]:
    scores = list(scores)
    if not scores:
        return {}
    by_judge: dict[int, list[float]] = defaultdict(list)
    for s in scores:
        by_judge[s.judge_id].append(s.total)
    everyone = [s.total for s in scores]
    grand_mean = statistics.fmean(everyone)
    grand_sd = statistics.pstdev(everyone) if len(everyone) > 1 else 0.0
    params = {}
    for judge_id, totals in by_judge.items():
        if len(totals) >= min_items:
            sd = statistics.pstdev(totals)
            params[judge_id] = (statistics.fmean(totals), sd)
    zs: dict[int, list[float]] = defaultdict(list)
    for s in scores:
        if s.judge_id in params:
            mean, sd = params[s.judge_id]
            zs[s.item_id].append((s.total - mean) / sd if sd else 0.0)
    return {item: grand_mean + statistics.fmean(z) * grand_sd for item, z in zs.items()}


def aggregate(
    scores: Iterable[ScoreIn], *, item_ids: Iterable[int], method: str = "trimmed", min_items: int = 5
) -> list[ItemResult]:
    """One result per item (items without scores too, last), ranked; ``method`` "trimmed" or "mean"."""
    scores = list(scores)
    per_item: dict[int, list[ScoreIn]] = defaultdict(list)
    for s in scores:
        per_item[s.item_id].append(s)
    std = standardised_by_item(scores, min_items=min_items)
    results = []
    for item_id in item_ids:
        got = per_item.get(item_id, [])
        totals = [s.total for s in got]
        trimmed, mean = trimmed_mean(totals), plain_mean(totals)
        width = max((len(s.criteria) for s in got), default=0)
        tie = tuple(statistics.fmean(s.criteria[i] for s in got if len(s.criteria) > i) for i in range(width))
        results.append(
            ItemResult(
                item_id=item_id,
                score=trimmed if method == "trimmed" else mean,
                mean=mean,
                trimmed=trimmed,
                standardised=std.get(item_id),
                count=len(got),
                tie_key=tie,
                scores=sorted(totals, reverse=True),
            )
        )
    return rank(results)


def rank(results: list[ItemResult]) -> list[ItemResult]:
    """Sort by score then tie-break key (both descending); equal on both share a rank (1, 2, 2, 4)."""

    def key(r: ItemResult) -> tuple:
        return (r.score is None, -(r.score or 0.0), tuple(-round(v, 6) for v in r.tie_key), r.item_id)

    results.sort(key=key)
    previous: tuple | None = None
    for position, r in enumerate(results, start=1):
        current = (None if r.score is None else round(r.score, 6), tuple(round(v, 6) for v in r.tie_key))
        r.rank = results[position - 2].rank if previous == current and r.score is not None else position
        previous = current
    return results


def awards_within_shares(ranked: list[ItemResult], tiers: Sequence[tuple[str, float]]) -> dict[int, str]:
    """Award tiers top-down, each to at most ⌊share × n⌋ items of the ranked list (n = items with a
    score); an item tied with one over the limit does not get the tier (the share is a maximum)."""
    scored = [r for r in ranked if r.score is not None]
    n = len(scored)
    awards: dict[int, str] = {}
    position = 0
    for name, share in tiers:
        limit = int(share * n + 1e-9)
        end = position + limit
        if end < n and end > position:
            # A tie across the limit: back off to the tied group's start.
            while end > position and scored[end].rank == scored[end - 1].rank:
                end -= 1
        for r in scored[position:end]:
            awards[r.item_id] = name
        position = max(position, end)
    return awards
