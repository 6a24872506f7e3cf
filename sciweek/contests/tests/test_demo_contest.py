"""The demo contest, built through the services: entries, judges with conflicts, rounds scored."""

from __future__ import annotations

from sciweek.contests.models import Entry, StageCode
from sciweek.contests.setup import judging_of
from sciweek.judging.models import Assignment, Conflict, Score
from sciweek.judging.services import conflict_pairs


def test_it_builds_a_contest_with_rounds_and_no_conflicted_assignment(contest):
    assert contest.entries.count() == 36
    prelim = judging_of(contest, StageCode.PRELIMINARY)
    final = judging_of(contest, StageCode.FINAL)
    assert Conflict.objects.filter(automatic=True).exists()
    assert Conflict.objects.filter(automatic=False, kind="kin").exists()
    pairs = set(Assignment.objects.filter(judging=prelim).values_list("judge_id", "item_id"))
    assert pairs and not pairs & conflict_pairs(prelim)
    # Loads within one of each other in each panel, conflicts notwithstanding.
    from collections import Counter

    from sciweek.judging.models import Judge

    loads = Counter(j for j, _ in pairs)
    for group in ("小学组", "中学组"):
        panel = [loads[j.pk] for j in Judge.objects.filter(group=group)]
        assert max(panel) - min(panel) <= 1, (group, panel)
    # 初评 fully submitted; 终评 only partly.
    assert not Assignment.objects.filter(judging=prelim, score__isnull=True).exists()
    assert Score.objects.filter(assignment__judging=prelim, status="draft").count() == 0
    final_total = Assignment.objects.filter(judging=final).count()
    final_submitted = Score.objects.filter(assignment__judging=final, status="submitted").count()
    assert 0 < final_submitted < final_total
    assert Entry.objects.filter(contest=contest, shortlisted=True).count() == final.items.count()


def test_the_demos_planted_near_copy_is_the_duplicate_signal(contest):
    from sciweek.contests.duplicates import similar_pairs

    pairs = similar_pairs(contest)
    assert len(pairs) == 1, [(p.entry.title, p.other.title, p.title_score, p.abstract_score) for p in pairs]
    assert pairs[0].other.title == pairs[0].entry.title + "研究"
