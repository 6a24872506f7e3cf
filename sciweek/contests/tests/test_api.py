"""/api/v1/contests: the integrators' fields, blind responses for judges, scope, assignment, scores."""

from __future__ import annotations

import json

import pytest

from sciweek.contests.models import StageCode
from sciweek.contests.setup import judging_of
from sciweek.judging.models import Assignment, Conflict, Score
from sciweek.judging.services import conflict_pairs

pytestmark = pytest.mark.django_db
API = "/api/v1/contests"


def test_staff_see_contests_entries_with_names_conflicts_and_ranking(contest, client_for, organizer):
    c = client_for(organizer)
    [row] = c.get(f"{API}/").json()
    assert row == row | {"id": contest.pk, "campaign_id": contest.campaign_id, "title": contest.title}
    entries = c.get(f"{API}/{contest.pk}/entries").json()
    assert len(entries) == 36
    named = [e for e in entries if e["students"]]
    assert named and {"id", "category", "title"} <= set(named[0]) and named[0]["students"][0]["name"]
    conflicts = c.get(f"{API}/{contest.pk}/conflicts").json()
    assert {"judge_id", "entry_id", "kind"} <= set(conflicts[0])
    assert {x["kind"] for x in conflicts} >= {"same_unit", "kin", "tutored"}
    ranking = c.get(f"{API}/{contest.pk}/ranking").json()
    assert {"entry_id", "rank", "score", "award"} <= set(ranking[0])
    assert any(r["award"] == "二等奖" for r in ranking)
    for cat in {r["category"] for r in ranking}:
        rows = [r for r in ranking if r["category"] == cat]
        for name, share in contest.award_tiers:  # never more than the tier's share of the category
            assert sum(r["award"] == name for r in rows) <= int(share * len(rows) + 1e-9)
    assignments = c.get(f"{API}/{contest.pk}/assignments?stage=preliminary").json()
    assert {"judge_id", "entry_id", "stage"} <= set(assignments[0])
    assert len(assignments) == 36 * 3


def test_a_judge_gets_only_assigned_entries_and_no_names_in_blind_mode(contest, client_for, judge_user):
    c = client_for(judge_user)
    entries = c.get(f"{API}/{contest.pk}/entries").json()
    judge = judge_user.judge_seats.get()
    mine = set(Assignment.objects.filter(judge=judge).values_list("item__object_id", flat=True))
    assert {e["id"] for e in entries} == mine
    body = json.dumps(entries, ensure_ascii=False)
    assert all("students" not in e and "school" not in e and "tutors" not in e for e in entries)
    for entry in contest.entries.filter(pk__in=mine):
        assert entry.school.name not in body
        assert not any(s.name in body for s in entry.students.all())
    assert c.get(f"{API}/{contest.pk}/ranking").status_code == 403
    assert c.post(f"{API}/{contest.pk}/assign", {}, content_type="application/json").status_code == 403
    own = c.get(f"{API}/{contest.pk}/assignments").json()
    assert {a["judge_id"] for a in own} == {judge.pk}


def test_outsiders_get_404(contest, client_for, town1):
    c = client_for(town1)
    assert c.get(f"{API}/").json() == []
    assert c.get(f"{API}/{contest.pk}/entries").status_code == 404


def test_assign_via_api_respects_conflicts_and_a_stale_score_answers_409(
    contest, client_for, organizer, judge_user
):
    final = judging_of(contest, StageCode.FINAL)
    Score.objects.filter(assignment__judging=final).delete()
    c = client_for(organizer)
    r = c.post(f"{API}/{contest.pk}/assign", {"stage": "final", "k": 3}, content_type="application/json")
    assert r.status_code == 200, r.content
    out = r.json()
    assert out["pairs"] == final.items.filter(excluded=False).count() * 3
    assert 0 <= out["expertise_share"] <= 1
    pairs = set(Assignment.objects.filter(judging=final).values_list("judge_id", "item_id"))
    assert not pairs & conflict_pairs(final)
    bad = c.post(f"{API}/{contest.pk}/assign", {"stage": "公示"}, content_type="application/json")
    assert bad.status_code == 400 and "stage" in bad.json()["detail"]
    # Scores through the API: the judge's own assignment, bounds by criterion, version check.
    j = client_for(judge_user)
    a = Assignment.objects.filter(judging=final, judge__user=judge_user).select_related("item").first()
    crit = final.criteria.filter(group=a.item.criteria_group)
    values = {str(x.pk): float(x.max_score) / 2 for x in crit}
    url = f"{API}/{contest.pk}/assignments/{a.pk}/score"
    r = j.put(url, {"values": values, "submit": True}, content_type="application/json")
    assert r.status_code == 200 and r.json()["status"] == "submitted" and r.json()["total"] == 50
    r = j.put(url, {"values": values, "submit": True, "version": 0}, content_type="application/json")
    assert r.status_code == 409 and "version" in r.json()["detail"]
    too_much = {k: 999 for k in values}
    r = j.put(url, {"values": too_much, "submit": True, "version": 1}, content_type="application/json")
    assert r.status_code == 400 and any("应在 0 到" in m[0] for m in r.json()["detail"].values())
    other = Assignment.objects.filter(judging=final).exclude(judge__user=judge_user).first()
    assert (
        j.put(
            f"{API}/{contest.pk}/assignments/{other.pk}/score",
            {"values": values},
            content_type="application/json",
        ).status_code
        == 404
    )
    assert Conflict.objects.exists()


def test_manual_assignment_is_rechecked_for_conflicts(contest, client_for, organizer):
    c = client_for(organizer)
    conflict = Conflict.objects.filter(automatic=True).first()
    url = f"{API}/{contest.pk}/assignments"
    r = c.post(
        url,
        {"judge_id": conflict.judge_id, "entry_id": conflict.object_id, "stage": "preliminary"},
        content_type="application/json",
    )
    assert r.status_code == 400 and "回避" in json.dumps(r.json(), ensure_ascii=False)
    prelim = judging_of(contest, StageCode.PRELIMINARY)
    item = prelim.items.first()
    taken = set(Assignment.objects.filter(item=item).values_list("judge_id", flat=True))
    blocked = {j for j, i in conflict_pairs(prelim) if i == item.pk}
    free = [
        j
        for j in Assignment.objects.filter(judging=prelim, item__group=item.group)
        .values_list("judge_id", flat=True)
        .distinct()
        if j not in taken | blocked
    ]
    assert free, "a free judge of the panel"
    r = c.post(
        url,
        {"judge_id": free[0], "entry_id": item.object_id, "stage": "preliminary"},
        content_type="application/json",
    )
    assert r.status_code == 201, r.content
    new = r.json()["id"]
    assert c.delete(f"{url}/{new}").status_code == 204
    scored = Assignment.objects.filter(judging=prelim, score__isnull=False).first()
    assert c.delete(f"{url}/{scored.pk}").status_code == 400
