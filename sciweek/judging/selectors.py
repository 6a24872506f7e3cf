"""Reads of the judging component: a judge's queue, progress, and a round's results."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q

from .aggregate import ItemResult, ScoreIn, aggregate
from .models import Assignment, Judge, Judging, Score
from .services import criteria_for


@dataclass
class Progress:
    judge: Judge
    assigned: int
    submitted: int
    drafts: int

    @property
    def percent(self) -> int:
        return round(100 * self.submitted / self.assigned) if self.assigned else 0


def judge_queue(judging: Judging, judge: Judge) -> list[Assignment]:
    """The judge's assigned items: not yet submitted first, in a stable order."""
    rows = list(
        Assignment.objects.filter(judging=judging, judge=judge, item__excluded=False)
        .select_related("item", "score")
        .order_by("item__group", "item_id")
    )
    rows.sort(key=lambda a: _submitted(a))
    return rows


def _submitted(a: Assignment) -> bool:
    score = getattr(a, "score", None) if _has_score(a) else None
    return bool(score and score.status == Score.Status.SUBMITTED)


def score_status(a: Assignment) -> str:
    """The assignment's score status, "" before anything is saved."""
    return a.score.status if _has_score(a) else ""


@dataclass(frozen=True)
class QueueProgress:
    """A judge's own progress over their queue, as the scoring pages show it."""

    done: int
    total: int

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0

    def as_context(self) -> dict[str, int]:
        return {"done": self.done, "total": self.total, "percent": self.percent}


def queue_progress(queue: list[Assignment]) -> QueueProgress:
    return QueueProgress(sum(1 for a in queue if score_status(a) == Score.Status.SUBMITTED), len(queue))


def criterion_rows(
    criteria: list[Any], values: dict[str, Any], errors: dict[str, list[str]]
) -> list[dict[str, Any]]:
    """One row per criterion for the shared scoring fields (templates/judging/_criteria_fields.html): the
    criterion, the value typed or saved, its errors, and the slider's step."""
    return [
        {"c": c, "value": values.get(str(c.pk)), "errors": errors.get(f"c{c.pk}", []), "step": "0.5"}
        for c in criteria
    ]


def _has_score(a: Assignment) -> bool:
    try:
        a.score  # noqa: B018
    except Score.DoesNotExist:
        return False
    return True


def next_open(judging: Judging, judge: Judge, after_item_id: int) -> Assignment | None:
    """The next assignment after ``after_item_id`` not yet submitted (wrapping round), for "save & next"."""
    open_ = [a for a in judge_queue(judging, judge) if not _submitted(a)]
    later = [a for a in open_ if a.item_id > after_item_id]
    pending = later or open_
    return pending[0] if pending else None


def progress(judging: Judging) -> list[Progress]:
    judges = Judge.objects.filter(owner_kind=judging.owner_kind, owner_id=judging.owner_id).annotate(
        n=Count("assignments", filter=Q(assignments__judging=judging, assignments__item__excluded=False)),
        done=Count(
            "assignments",
            filter=Q(
                assignments__judging=judging,
                assignments__item__excluded=False,
                assignments__score__status=Score.Status.SUBMITTED,
            ),
        ),
        draft=Count(
            "assignments",
            filter=Q(assignments__judging=judging, assignments__score__status=Score.Status.DRAFT),
        ),
    )
    return [Progress(j, j.n, j.done, j.draft) for j in judges.order_by("group", "name") if j.n]


def submitted_scores(judging: Judging) -> list[ScoreIn]:
    rows = Score.objects.filter(
        assignment__judging=judging, status=Score.Status.SUBMITTED, assignment__item__excluded=False
    ).values_list(
        "assignment__judge_id",
        "assignment__item_id",
        "assignment__item__criteria_group",
        "assignment__item__group",
        "total",
        "values",
    )
    order: dict[str, list[str]] = {}
    out = []
    for judge_id, item_id, criteria_group, panel, total, values in rows:
        group = criteria_group or panel
        if group not in order:
            order[group] = [str(c.pk) for c in criteria_for(judging, group)]
        crit = tuple(float(values.get(c, 0)) for c in order[group])
        out.append(ScoreIn(judge_id, item_id, float(total), crit))
    return out


def results(
    judging: Judging, *, item_ids: list[int] | None = None, scores: list[ScoreIn] | None = None
) -> list[ItemResult]:
    """Ranked results of the round's items (those of ``item_ids``, e.g. one category, or all).
    ``scores`` lets a caller ranking several categories read the round's scores once."""
    if item_ids is None:
        item_ids = list(judging.items.filter(excluded=False).values_list("pk", flat=True))
    ids = item_ids
    wanted = set(ids)
    scores = [s for s in (submitted_scores(judging) if scores is None else scores) if s.item_id in wanted]
    return aggregate(
        scores, item_ids=ids, method=judging.aggregation, min_items=judging.min_items_for_standardised
    )


def judges_with_enough(judging: Judging) -> set[int]:
    """Judges whose standardised scores count (scored at least the round's minimum)."""
    rows = (
        Score.objects.filter(assignment__judging=judging, status=Score.Status.SUBMITTED)
        .values("assignment__judge_id")
        .annotate(n=Count("id"))
    )
    return {r["assignment__judge_id"] for r in rows if r["n"] >= judging.min_items_for_standardised}


@dataclass(frozen=True)
class Pledge:
    """The ethics pledge a judge signs before the first score (judging/pledge.html draws it): each
    judging domain words its own opening and clauses."""

    title: str
    opening: str
    clauses: tuple[str, ...]
