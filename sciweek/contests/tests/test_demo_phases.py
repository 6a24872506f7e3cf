"""The demo contest follows the demo clock: its scores carry the rounds' dates, 终评 is partly scored until
its last afternoon (5月20日) and complete from 总结上报 on; forward and back, a second jump changing
nothing, a judge's own score left alone."""

from __future__ import annotations

from collections import Counter

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from sciweek.contests.models import Contest, StageCode
from sciweek.contests.publication import awarded_rows
from sciweek.contests.results import ranking
from sciweek.contests.setup import judging_of
from sciweek.core import clock
from sciweek.demo import phases
from sciweek.demo.loader import load_demo
from sciweek.judging.models import Assignment, Score
from sciweek.judging.scoring import score_save

pytestmark = pytest.mark.django_db


@pytest.fixture
def contest_demo(settings):
    settings.DEMO_MODE = True
    phases.start_if_unset()  # 筹备, then the data
    loaded = load_demo(only={"青少年科技创新大赛"})
    yield loaded
    clock.forget()


def _final(contest) -> dict[int, tuple[str, int]]:
    """终评's scores: {assignment: (status, version)}."""
    return dict(
        (a, (s, v))
        for a, s, v in Score.objects.filter(
            assignment__judging=judging_of(contest, StageCode.FINAL)
        ).values_list("assignment_id", "status", "version")
    )


def _submitted(contest) -> set[int]:
    return {a for a, (s, _v) in _final(contest).items() if s == "submitted"}


def test_the_final_round_follows_the_phase(contest_demo, client):
    organizer = get_user_model().objects.get(username="sx-kjj")
    contest = Contest.objects.get(campaign=contest_demo.campaign)
    final = judging_of(contest, StageCode.FINAL)
    everyone = set(Assignment.objects.filter(judging=final).values_list("pk", flat=True))
    # 筹备 (5月19日): 初评 scored by its end (5月12日), 终评 (5月18日–20日) half-way; nothing public yet.
    days = {
        timezone.localtime(t).date().isoformat()
        for t in Score.objects.filter(submitted_at__isnull=False).values_list("submitted_at", flat=True)
    }
    assert days and max(days) <= "2023-05-19"
    prelim_last = max(
        Score.objects.filter(assignment__judging=judging_of(contest, StageCode.PRELIMINARY)).values_list(
            "submitted_at", flat=True
        )
    )
    assert timezone.localtime(prelim_last).date().isoformat() <= "2023-05-12"
    at_start = _final(contest)
    assert 0 < len(_submitted(contest)) < len(everyone)
    assert client.get(f"/contest/{contest.pk}/results/").status_code == 404
    # The demo judge scores the entry left to them, live at 筹备: their own score.
    left = (
        Assignment.objects.filter(judging=final, judge__user__username="sx-judge1")
        .exclude(pk__in=_submitted(contest))
        .select_related("judge__user", "item", "judging")
        .first()
    )
    crits = list(final.criteria.filter(group=left.item.criteria_group))
    own = score_save(
        assignment=left,
        values={str(c.pk): float(c.max_score) for c in crits},
        comment="现场问辩表现突出。",
        submit=True,
        version=at_start[left.pk][1] if left.pk in at_start else None,
        judge=left.judge,
        actor=left.judge.user,
    )

    phases.jump("week", actor=organizer)  # 5月20日 09:10: 终评's last day has begun, the judges still at it
    assert _submitted(contest) < everyone

    phases.jump("report", actor=organizer)  # 5月30日: 终评 complete, results public (公布 from 5月28日)
    assert _submitted(contest) == everyone
    assert Score.objects.get(pk=own.pk).comment == "现场问辩表现突出。"
    # The ranking rests on every 终评 score: each shortlisted entry's 终评 counts all its judges.
    judges = Counter(final.assignments.values_list("item__object_id", flat=True))
    finals = [r for rows in ranking(contest).values() for r in rows if r.entry.shortlisted]
    assert finals and all(r.final.count == judges[r.entry.pk] for r in finals)
    awarded = [r for _c, rows in awarded_rows(contest) for r in rows]
    results = client.get(f"/contest/{contest.pk}/results/")
    assert results.status_code == 200 and awarded[0].entry.title in results.content.decode()
    rows = _final(contest)
    phases.jump("report", actor=organizer)  # again: nothing changes
    assert _final(contest) == rows

    phases.jump("prepare", actor=organizer)
    phases.jump("prepare", actor=organizer)
    back = _final(contest)
    assert _submitted(contest) == {a for a, (s, _v) in at_start.items() if s == "submitted"} | {left.pk}
    assert {a: s for a, (s, _v) in back.items()} == {a: s for a, (s, _v) in at_start.items()} | {
        left.pk: "submitted"
    }

    phases.jump("after", actor=organizer)
    assert _submitted(contest) == everyone
