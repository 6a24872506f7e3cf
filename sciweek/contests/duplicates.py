"""Duplicate and plagiarism signals at 资格审查: similar titles / abstracts across this contest's
entries and earlier years' contests, found with rapidfuzz (no hand-rolled similarity)."""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz import fuzz, process

from .models import Contest, Entry

TITLE_THRESHOLD = 85
ABSTRACT_THRESHOLD = 85


@dataclass(frozen=True)
class Pair:
    entry: Entry
    other: Entry
    title_score: float
    abstract_score: float

    @property
    def earlier_year(self) -> bool:
        return self.other.contest_id != self.entry.contest_id


def _norm(text: str) -> str:
    return "".join(ch for ch in text.lower() if ch.isalnum())


def similar_pairs(contest: Contest) -> list[Pair]:
    """Pairs whose titles or abstracts are alike; earlier years' entries (same campaign region) too."""
    mine = list(contest.entries.select_related("school", "category", "contest").order_by("id"))
    earlier = list(
        Entry.objects.filter(
            contest__campaign__org_unit=contest.campaign.org_unit, contest__year__lt=contest.year
        ).select_related("school", "category", "contest")
    )
    pool = mine + earlier
    titles = [_norm(e.title) for e in pool]
    abstracts = [_norm(e.abstract) for e in pool]
    t_matrix = process.cdist(titles[: len(mine)], titles, scorer=fuzz.ratio, score_cutoff=TITLE_THRESHOLD)
    # Chinese has no spaces between words, so token-based scorers would compare whole texts anyway.
    a_matrix = process.cdist(
        abstracts[: len(mine)], abstracts, scorer=fuzz.ratio, score_cutoff=ABSTRACT_THRESHOLD
    )
    pairs = []
    for i, entry in enumerate(mine):
        for j, other in enumerate(pool):
            if j <= i:
                continue
            t, a = float(t_matrix[i][j]), float(a_matrix[i][j]) if abstracts[i] and abstracts[j] else 0.0
            if t or a:
                pairs.append(Pair(entry, other, t, a))
    pairs.sort(key=lambda p: -max(p.title_score, p.abstract_score))
    return pairs
