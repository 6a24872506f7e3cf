"""Ranking per category, shortlist 初评 → 终评, awards within the tiers' shares, adjustments.

The score of an entry is its 初评 aggregate (trimmed mean by default); once it is shortlisted and has
终评 scores, it is ``w × 初评 + (1 − w) × 终评`` with w the contest's ``final_weight_preliminary``.
Shortlisted entries rank above the others of their category (they went further). Awards go top-down
within each tier's maximum share of the category's scored entries; the organizer may adjust one with a
reason (audited), shown beside the computed award.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from sciweek.campaigns.lifecycle import check_open
from sciweek.core.audit import audit_log
from sciweek.judging.aggregate import ItemResult, awards_within_shares, rank
from sciweek.judging.scoring import StaleScore
from sciweek.judging.selectors import results, submitted_scores

from .models import Contest, Entry, StageCode
from .setup import ITEM, judging_of, rounds_sync


@dataclass
class RankRow:
    entry: Entry
    rank: int
    score: float | None
    preliminary: ItemResult | None
    final: ItemResult | None
    award_auto: str = ""
    award: str = ""


def _by_entry(stage_results: list[ItemResult], item_to_entry: dict[int, int]) -> dict[int, ItemResult]:
    return {item_to_entry[r.item_id]: r for r in stage_results if r.item_id in item_to_entry}


def _round(contest: Contest, stage: str) -> tuple[dict[int, ItemResult], dict[int, int]]:
    judging = judging_of(contest, stage)
    items = dict(judging.items.filter(kind=ITEM, excluded=False).values_list("pk", "object_id"))
    scores = submitted_scores(judging)
    return _by_entry(results(judging, item_ids=list(items), scores=scores), items), items


def ranking(contest: Contest) -> dict[int, list[RankRow]]:
    """{category id: rows ranked}, awards filled in."""
    prelim, _judging = _round(contest, StageCode.PRELIMINARY)
    final, _ = _round(contest, StageCode.FINAL)
    w = contest.final_weight_preliminary / 100
    entries = contest.entries.exclude(status__in=[Entry.Status.DRAFT, Entry.Status.VETOED]).select_related(
        "category", "school"
    )
    by_cat: dict[int, list[RankRow]] = defaultdict(list)
    for e in entries:
        p, f = prelim.get(e.pk), final.get(e.pk)
        score = p.score if p else None
        if e.shortlisted and f is not None and f.score is not None and score is not None:
            score = w * score + (1 - w) * f.score
        by_cat[e.category_id].append(RankRow(e, 0, score, p, f))
    tiers = [(name, float(share)) for name, share in contest.award_tiers]
    out = {}
    for cat_id, rows in by_cat.items():
        proxies = [
            ItemResult(
                item_id=i,
                # Shortlisted entries first: a large offset keeps them above every other score.
                score=None if r.score is None else r.score + (1000 if r.entry.shortlisted and r.final else 0),
                mean=None,
                trimmed=None,
                standardised=None,
                count=0,
                tie_key=(r.final or r.preliminary).tie_key if (r.final or r.preliminary) else (),
            )
            for i, r in enumerate(rows)
        ]
        ranked = rank(proxies)
        awards = awards_within_shares(ranked, tiers)
        ordered = []
        for proxy in ranked:
            row = rows[proxy.item_id]
            row.rank = proxy.rank
            row.award_auto = awards.get(proxy.item_id, "")
            row.award = row.entry.award_override or row.award_auto
            if row.award == "无":
                row.award = ""
            ordered.append(row)
        out[cat_id] = ordered
    return out


@transaction.atomic
def shortlist(
    *, contest: Contest, share: int | None = None, threshold: float | None = None, actor: Any
) -> int:
    """Send the best of 初评 to 终评: the top ``share`` % of each category, or those ≥ ``threshold``."""
    check_open(contest.campaign, "setup")
    if share is None and threshold is None:
        share = contest.shortlist_share
    if share is not None and not 0 < share <= 100:
        raise ValidationError({"share": _("比例应在 1 到 100 之间。")})
    prelim, _judging = _round(contest, StageCode.PRELIMINARY)
    chosen: set[int] = set()
    by_cat: dict[int, list[tuple[float, int]]] = defaultdict(list)
    for e in contest.entries.exclude(status=Entry.Status.VETOED).only("pk", "category_id"):
        r = prelim.get(e.pk)
        if r is not None and r.score is not None:
            by_cat[e.category_id].append((r.score, e.pk))
    for rows in by_cat.values():
        rows.sort(reverse=True)
        if threshold is not None:
            chosen |= {pk for s, pk in rows if s >= threshold}
        else:
            chosen |= {pk for _, pk in rows[: max(1, round(len(rows) * share / 100))]}
    contest.entries.update(shortlisted=False)
    contest.entries.filter(pk__in=chosen).update(shortlisted=True)
    rounds_sync(contest=contest, actor=actor)
    audit_log(
        actor=actor,
        action="contest.shortlist",
        obj=contest,
        after={"count": len(chosen), "share": share, "threshold": threshold},
    )
    return len(chosen)


@transaction.atomic
def award_adjust(*, entry: Entry, award: str, reason: str, version: int, actor: Any) -> Entry:
    """The organizer's adjustment of one entry's award ("" back to the computed one, "无" for none)."""
    check_open(entry.contest.campaign, "setup")
    entry = Entry.objects.select_for_update().get(pk=entry.pk)
    names = [name for name, _ in entry.contest.award_tiers]
    if award and award not in names and award != "无":
        raise ValidationError({"award": _("奖项应为：%(names)s 或 无。") % {"names": "、".join(names)}})
    if award and not reason.strip():
        raise ValidationError({"reason": _("调整奖项须填写理由。")})
    if entry.version != version:
        raise StaleScore(_("该作品已被他人修改，请刷新后再调整。"))
    before = {"award": entry.award_override, "reason": entry.award_override_reason}
    entry.award_override, entry.award_override_reason = award, reason.strip()[:300]
    entry.version += 1
    entry.save(update_fields=["award_override", "award_override_reason", "version"])
    audit_log(
        actor=actor,
        action="contest.award.adjust",
        obj=entry,
        before=before,
        after={"award": award, "reason": reason},
    )
    return entry
