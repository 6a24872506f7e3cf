"""The demo's 最美 selection follows the demo clock: the vote shows the votes cast by the phase's moment, the
experts' scores are in once their days (5月22日–26日) have passed; forward and back, a second jump changing
nothing, a visitor's vote and an expert's own score left alone."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from sciweek.core import clock
from sciweek.demo import phases
from sciweek.demo.loader import load_demo
from sciweek.judging.models import Assignment, Score
from sciweek.selections.demo import DEMO_UA
from sciweek.selections.models import Selection, Vote
from sciweek.selections.ranking import ranking
from sciweek.selections.services.review import review_round, review_score_save
from sciweek.selections.services.voting import tally, vote_code_request, votes_cast

from .factory import last_code

pytestmark = pytest.mark.django_db


@pytest.fixture
def selection_demo(settings):
    settings.DEMO_MODE = True
    phases.start_if_unset()  # 筹备, then the data
    loaded = load_demo(only={"最美科技工作者评选", "最美科技工作者专家评审"})
    yield loaded
    clock.forget()


def _votes(selection) -> set[int]:
    return set(Vote.objects.filter(selection=selection).values_list("pk", flat=True))


def _demo_votes(selection) -> set[tuple]:
    """The demo's votes by what they are (ids change when one is taken away and put back)."""
    return set(
        Vote.objects.filter(selection=selection, user_agent=DEMO_UA).values_list(
            "candidate_id", "phone_key", "at", "voided"
        )
    )


def _latest(selection) -> str:
    last = Vote.objects.filter(selection=selection, user_agent=DEMO_UA).order_by("-at").first()
    return timezone.localtime(last.at).strftime("%m-%d %H:%M")


def _counted(selection) -> int:
    return sum(t["votes"] + t["voided"] for t in tally(selection))


def _scores(selection) -> dict[int, tuple[str, str]]:
    return {
        pk: (status, timezone.localtime(at).strftime("%m-%d %H:%M"))
        for pk, status, at in Score.objects.filter(assignment__judging=review_round(selection)).values_list(
            "pk", "status", "submitted_at"
        )
    }


def test_the_vote_and_the_review_follow_the_phase(selection_demo, client_for):
    organizer = get_user_model().objects.get(username="sx-kjj")
    selection = Selection.objects.get(campaign=selection_demo.campaign)
    # 筹备 (5月19日 10:00): the vote's first days, the two bursts voided; no expert has scored yet.
    at_start, demo_at_start = _votes(selection), _demo_votes(selection)
    assert _latest(selection) <= "05-19 10:00" and _counted(selection) == len(at_start)
    assert Vote.objects.filter(selection=selection, voided=True).count() == 65
    assert _scores(selection) == {}
    assert all(r.expert_count == 0 for r in ranking(selection)[0])
    # A visitor votes, and the demo expert sx-zj1 scores one candidate, both live at 筹备: their own.
    vote_code_request(selection=selection, phone="13812345678", ip="10.0.0.1")
    first = ranking(selection)[0][0].nomination
    votes_cast(
        selection=selection, phone="13812345678", code=last_code("13812345678"), candidate_ids=[first.pk]
    )
    mine = Vote.objects.get(selection=selection, candidate=first, user_agent="")
    a = Assignment.objects.select_related("judge", "judging", "item").get(
        judging=review_round(selection), judge__user__username="sx-zj1", item__object_id=first.pk
    )
    own = review_score_save(
        actor=a.judge.user,
        selection=selection,
        judge=a.judge,
        assignment=a,
        values={str(c.pk): float(c.max_score) for c in a.judging.criteria.all()},
        submit=True,
        version=None,
    )

    phases.jump("week", actor=organizer)  # 5月20日 09:10: the votes of the morning; the review not begun
    assert "05-19 10:00" < _latest(selection) <= "05-20 09:10"
    assert set(_scores(selection)) == {own.pk}

    phases.jump("report", actor=organizer)  # 5月30日 15:00: all the experts have scored, the vote still open
    assert "05-30 08:00" <= _latest(selection) <= "05-30 15:00"
    assert _counted(selection) == len(_votes(selection))
    scores = _scores(selection)
    assert len(scores) == 55 and {s for s, _at in scores.values()} == {"submitted"}
    assert {at[:5] for _s, at in scores.values()} == {"05-22", "05-23", "05-24", "05-25", "05-26"} | {
        scores[own.pk][1][:5]
    }
    rows = ranking(selection)[0]
    assert all(r.expert_count == 5 and r.combined is not None for r in rows)
    page = client_for(organizer).get(f"/manage/selections/{selection.pk}/decide/").content.decode()
    assert f"{rows[0].combined:.2f}" in page
    votes = _votes(selection)
    phases.jump("report", actor=organizer)  # again: nothing changes
    assert _votes(selection) == votes and _scores(selection) == scores

    phases.jump("prepare", actor=organizer)
    phases.jump("prepare", actor=organizer)
    assert _demo_votes(selection) == demo_at_start
    assert Vote.objects.filter(pk=mine.pk).exists() and _counted(selection) == len(at_start) + 1
    assert set(_scores(selection)) == {own.pk}

    phases.jump("after", actor=organizer)  # 6月2日: the vote closed on 5月31日 18:00
    assert "05-31 08:00" <= _latest(selection) < "05-31 18:00"
    assert len(_scores(selection)) == 55


@pytest.fixture
def publicity_demo(settings):
    settings.DEMO_MODE = True
    phases.start_if_unset()
    loaded = load_demo(
        only={"最美科技工作者评选", "最美科技工作者专家评审", "最美科技工作者评审委员会与公示"}
    )
    yield loaded
    clock.forget()


def test_after_the_vote_the_committee_decides_and_the_publicity_opens(publicity_demo, client):
    """At 结束后 the committee's list (the first 10 of 11 by the combined ranking) is in 公示 on the portal
    with the objection form, one objection lodged and answered; a jump back to 总结上报 takes the decision,
    the 公示 and the objections away, and a jump forward brings them back."""
    organizer = get_user_model().objects.get(username="sx-kjj")
    selection = Selection.objects.get(campaign=publicity_demo.campaign)
    url = f"/selections/{selection.pk}/publicity/"
    # 筹备: no decision, no 公示, no link on the portal.
    assert selection.stage == Selection.Stage.REVIEWING and client.get(url).status_code == 404
    assert url not in client.get("/").content.decode()

    phases.jump("after", actor=organizer)
    selection.refresh_from_db()
    rows = ranking(selection)[0]
    assert [r.nomination.status for r in rows] == ["winner"] * 10 + ["shortlisted"]
    assert selection.stage == Selection.Stage.PUBLICIZING
    assert (selection.publicize_from.isoformat(), selection.publicize_until.isoformat()) == (
        "2023-06-01",
        "2023-06-07",
    )
    page = client.get(url).content.decode()
    assert all(r.nomination.name in page for r in rows[:10]) and rows[10].nomination.name not in page
    assert 'name="content"' in page  # the objection form: the 公示 is open on 6月2日
    (demo_objection,) = selection.objections.all()
    assert demo_objection.status == "closed" and demo_objection.outcome == "partly"
    assert url in client.get("/").content.decode()
    assert url in client.get(f"/c/{selection.campaign_id}/").content.decode()
    # A visitor's objection is taken.
    winner = rows[0].nomination
    answer = client.post(
        url,
        {
            "nomination": winner.pk,
            "name": "王某",
            "phone": "13812345678",
            "content": "反映该同志事迹材料中有夸大之处。",
        },
    )
    assert answer.status_code == 302 and selection.objections.count() == 2
    version = Selection.objects.get(pk=selection.pk).version
    phases.jump("after", actor=organizer)  # again: nothing changes
    assert Selection.objects.get(pk=selection.pk).version == version and selection.objections.count() == 2

    phases.jump("report", actor=organizer)
    selection.refresh_from_db()
    assert selection.stage == Selection.Stage.REVIEWING and selection.decision_note == ""
    assert selection.publicize_from is None and not selection.objections.exists()
    assert not selection.nominations.filter(status="winner").exists()
    assert client.get(url).status_code == 404 and url not in client.get("/").content.decode()
    phases.jump("report", actor=organizer)
    assert Selection.objects.get(pk=selection.pk).version == selection.version

    phases.jump("after", actor=organizer)
    assert client.get(url).status_code == 200 and selection.objections.count() == 1
