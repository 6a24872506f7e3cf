"""Concurrent saves never lose a score (PostgreSQL, threads with a connection each).

Eight saves of one score, all made on the same version (eight tabs, a phone retrying): exactly one
lands and is what is stored; the others get the stale-version refusal. Two judges saving their own
scores of one entry at the same moment both land. To see the first test catch the race, switch the
version check off (a flag only this test reads):
    SCIWEEK_TEST_NO_VERSION_CHECK=1 DATABASE_URL=postgres://… pytest sciweek/contests/tests/test_score_concurrency.py
and it fails: every save "succeeds" and all but the last are silently overwritten.
"""

from __future__ import annotations

import os
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from sciweek.contests.models import StageCode
from sciweek.contests.setup import judging_of
from sciweek.judging import scoring
from sciweek.judging.models import Assignment, Score
from sciweek.judging.services import criteria_for

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locks and real concurrent transactions")


@pytest.fixture
def version_switch(monkeypatch):
    monkeypatch.setattr(scoring, "VERSION_CHECK", os.environ.get("SCIWEEK_TEST_NO_VERSION_CHECK") != "1")


@pytest.fixture
def small_contest(demo):
    from sciweek.contests.demo import build_demo_contest
    from sciweek.orgs.models import OrgUnit

    return build_demo_contest(
        demo.campaign,
        county=OrgUnit.objects.get(name="泗县"),
        lead=OrgUnit.objects.get(short_name="县科协"),
        entries=12,
        final_share=0.0,
    )


def _run(n: int, work) -> list:
    barrier = threading.Barrier(n)
    results: list = []
    lock = threading.Lock()

    def worker(i: int) -> None:
        try:
            barrier.wait()
            out = work(i)
            with lock:
                results.append(out)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return results


def _values(a: Assignment, points: float) -> dict[str, float]:
    return {
        str(c.pk): min(points, float(c.max_score)) for c in criteria_for(a.judging, a.item.criteria_group)
    }


def test_eight_saves_on_one_version_store_exactly_one_and_refuse_the_rest(small_contest, version_switch):
    judging = judging_of(small_contest, StageCode.FINAL)
    a = Assignment.objects.filter(judging=judging).select_related("judge", "item", "judging").first()
    first = scoring.score_save(
        assignment=a, values=_values(a, 1), version=None, judge=a.judge, actor=a.judge.user
    )

    def save(i: int):
        try:
            s = scoring.score_save(
                assignment=a,
                values=_values(a, 10 + i),
                version=first.version,
                judge=a.judge,
                actor=a.judge.user,
            )
            return ("ok", i, s.version)
        except ValidationError as exc:
            return ("stale", i, exc.message_dict)

    results = _run(8, save)
    won = [r for r in results if r[0] == "ok"]
    assert len(won) == 1, f"{len(won)} saves reported success; all but one were silently overwritten"
    stored = Score.objects.get(assignment=a)
    assert stored.values == {k: float(v) for k, v in _values(a, 10 + won[0][1]).items()}
    assert stored.version == first.version + 1
    assert all("version" in r[2] for r in results if r[0] == "stale")


def test_two_judges_saving_the_same_entry_at_once_both_land(small_contest, version_switch):
    judging = judging_of(small_contest, StageCode.FINAL)
    a = Assignment.objects.filter(judging=judging).first()
    pair = list(Assignment.objects.filter(item=a.item).select_related("judge", "item", "judging")[:2])

    def save(i: int):
        x = pair[i]
        return scoring.score_save(
            assignment=x,
            values=_values(x, 20 + i),
            submit=True,
            version=None,
            judge=x.judge,
            actor=x.judge.user,
        ).pk

    assert len(_run(2, save)) == 2
    assert Score.objects.filter(assignment__in=pair, status="submitted").count() == 2
