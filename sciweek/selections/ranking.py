"""The committee's ranking: the expert score combined with the public vote at the selection's weight.

- **Expert score** (0–100): the judging round's aggregate of submitted totals — the trimmed mean
  (highest and lowest dropped) when a candidate has 5 or more scores, the plain mean otherwise.
- **Vote score** (0–100): the candidate's valid (not voided) votes ÷ the most valid votes any candidate
  got × 100; 0 for everyone when nobody has a vote.
- **Combined** = expert × (1 − w) + vote × w, where w is the selection's public weight, capped by
  ``SCIWEEK_MAX_PUBLIC_VOTE_WEIGHT`` (30 %), and 0 when the selection holds no vote.
- A candidate without an expert score has no combined score and ranks last. Equal combined scores are
  ordered by the expert score; still equal, they share the rank.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sciweek.judging.selectors import results

from .models import Nomination, Selection
from .services.review import ITEM, REVIEWED, review_round, weight_of
from .services.voting import tally


@dataclass
class RankRow:
    nomination: Nomination
    expert: float | None  # 0–100
    expert_count: int
    trimmed: bool
    votes: int
    vote_score: float  # 0–100
    combined: float | None
    rank: int = 0


def combine(expert: float | None, vote_score: float, weight: Decimal) -> float | None:
    if expert is None:
        return None
    w = float(weight)
    return round(expert * (1 - w) + vote_score * w, 2)


def ranking(selection: Selection) -> tuple[list[RankRow], Decimal]:
    """The candidates in combined order, and the weight used."""
    weight = weight_of(selection)
    nominations = list(Nomination.objects.filter(selection=selection, status__in=REVIEWED).order_by("pk"))
    counts = {t["candidate_id"]: t["votes"] for t in tally(selection)} if selection.vote_enabled else {}
    top = max((counts.get(n.pk, 0) for n in nominations), default=0)
    expert: dict[int, tuple[float | None, int]] = {}
    round_ = review_round(selection)
    if round_ is not None:
        items = dict(round_.items.filter(kind=ITEM, excluded=False).values_list("pk", "object_id"))
        for result in results(round_, item_ids=list(items)):
            expert[items[result.item_id]] = (result.score, result.count)
    rows = []
    for n in nominations:
        score, count = expert.get(n.pk, (None, 0))
        votes = counts.get(n.pk, 0)
        vote_score = round(100 * votes / top, 2) if top else 0.0
        e = round(score, 2) if score is not None else None
        rows.append(
            RankRow(
                nomination=n,
                expert=e,
                expert_count=count,
                trimmed=count >= 5,
                votes=votes,
                vote_score=vote_score,
                combined=combine(e, vote_score, weight),
            )
        )
    rows.sort(key=lambda r: (r.combined is None, -(r.combined or 0), -(r.expert or 0), r.nomination.pk))
    for i, r in enumerate(rows, start=1):
        prev = rows[i - 2] if i > 1 else None
        tied = (
            prev is not None
            and r.combined is not None
            and (prev.combined, prev.expert) == (r.combined, r.expert)
        )
        r.rank = prev.rank if tied and prev else i
    return rows, weight
