"""Aggregation: trimmed mean, plain mean, standardised scores, tie-break and award shares."""

from __future__ import annotations

import pytest

from sciweek.judging.aggregate import (
    ItemResult,
    ScoreIn,
    aggregate,
    awards_within_shares,
    rank,
    trimmed_mean,
)


def test_trimmed_mean_drops_highest_and_lowest_from_five_scores():
    assert trimmed_mean([90, 80, 70, 60, 10]) == pytest.approx(70)
    assert trimmed_mean([90, 80, 70, 60]) == pytest.approx(75)  # fewer than five: plain mean
    assert trimmed_mean([]) is None


def test_aggregate_uses_the_rounds_method():
    scores = [ScoreIn(j, 1, v) for j, v in enumerate([95, 80, 80, 80, 20])]
    [trimmed] = aggregate(scores, item_ids=[1], method="trimmed")
    [mean] = aggregate(scores, item_ids=[1], method="mean")
    assert trimmed.score == pytest.approx(80)
    assert mean.score == pytest.approx(71)


def test_standardised_score_only_from_judges_with_enough_items():
    # Judge 1 is harsh (scores everything 20 lower) over 5 items; judge 2 scored only 2.
    scores = [ScoreIn(1, i, 60 + i) for i in range(1, 6)] + [ScoreIn(2, 1, 90), ScoreIn(2, 2, 91)]
    results = {r.item_id: r for r in aggregate(scores, item_ids=[1, 2, 3, 4, 5], min_items=5)}
    assert all(results[i].standardised is not None for i in range(1, 6))
    assert results[5].standardised > results[1].standardised
    none_enough = aggregate(scores, item_ids=[1, 2], min_items=10)
    assert all(r.standardised is None for r in none_enough)


def test_ties_are_broken_by_criteria_in_order_then_shared():
    results = [
        ItemResult(1, 80.0, None, None, None, 3, (25.0, 20.0)),
        ItemResult(2, 80.0, None, None, None, 3, (27.0, 18.0)),  # better 创新性 → first
        ItemResult(3, 80.0, None, None, None, 3, (25.0, 20.0)),  # equal to 1 on everything → shared rank
        ItemResult(4, 90.0, None, None, None, 3, ()),
    ]
    ranked = rank(results)
    assert [(r.item_id, r.rank) for r in ranked] == [(4, 1), (2, 2), (1, 3), (3, 3)]


def test_awards_never_exceed_their_share_even_on_a_tie():
    ranked = rank([ItemResult(i, float(100 - i), None, None, None, 3) for i in range(10)])
    awards = awards_within_shares(ranked, [("一等奖", 0.1), ("二等奖", 0.2), ("三等奖", 0.3)])
    counts = {n: sum(1 for a in awards.values() if a == n) for n in ("一等奖", "二等奖", "三等奖")}
    assert counts == {"一等奖": 1, "二等奖": 2, "三等奖": 3}
    # Items 1 and 2 tied at the 一等奖 limit of one: neither gets it (a share is a maximum).
    tied = rank(
        [ItemResult(1, 90.0, None, None, None, 3), ItemResult(2, 90.0, None, None, None, 3)]
        + [ItemResult(i, 50.0 - i, None, None, None, 3) for i in range(3, 11)]
    )
    awards = awards_within_shares(tied, [("一等奖", 0.1), ("二等奖", 0.2)])
    assert "一等奖" not in awards.values()
    assert awards[1] == awards[2] == "二等奖"
