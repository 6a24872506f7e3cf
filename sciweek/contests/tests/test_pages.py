"""The contest's pages: scope (404/403), blind judging, the score form, the organizer's overview."""

from __future__ import annotations

import pytest

from sciweek.contests.models import StageCode
from sciweek.contests.setup import judging_of
from sciweek.judging.models import Assignment, Score
from sciweek.judging.selectors import judge_queue

pytestmark = pytest.mark.django_db


def first_open(contest, judge_user):
    judging = judging_of(contest, StageCode.FINAL)
    judge = judge_user.judge_seats.get()
    for a in judge_queue(judging, judge):
        if not Score.objects.filter(assignment=a, status="submitted").exists():
            return a
    raise AssertionError("no open assignment")


def test_a_judge_sees_only_their_queue_and_no_names_in_blind_mode(contest, judge_user, client_for):
    c = client_for(judge_user)
    home = c.get(f"/contests/{contest.pk}/judge/")
    assert home.status_code == 200
    html = home.content.decode()
    assert "初评" in html and "已提交" in html
    a = first_open(contest, judge_user)
    page = c.get(f"/contests/{contest.pk}/judge/{a.pk}/").content.decode()
    entry = contest.entries.get(pk=a.item.object_id)
    assert entry.title in page
    for s in entry.students.all():
        assert s.name not in page
    assert entry.school.name not in page
    for t in entry.tutors:
        assert t not in page
    # Someone else's assignment: not found.
    other = Assignment.objects.exclude(judge__user=judge_user).first()
    assert c.get(f"/contests/{contest.pk}/judge/{other.pk}/").status_code == 404
    # The organizer's pages are not a judge's.
    assert c.get(f"/contests/{contest.pk}/ranking/").status_code == 403
    assert c.get(f"/contests/{contest.pk}/entries/").status_code == 403


def test_scoring_out_of_bounds_names_the_criterion_and_a_stale_save_answers_409(
    contest, judge_user, client_for
):
    c = client_for(judge_user)
    a = first_open(contest, judge_user)
    url = f"/contests/{contest.pk}/judge/{a.pk}/"
    crit = list(a.judging.criteria.filter(group=a.item.criteria_group))
    existing = Score.objects.filter(assignment=a).first()
    version = str(existing.version) if existing else ""
    bad = {f"c{crit[0].pk}": "99", "version": version, "action": "submit"}
    r = c.post(url, bad)
    assert r.status_code == 400 and f"「{crit[0].name}」应在 0 到" in r.content.decode()
    good = {f"c{x.pk}": str(int(x.max_score) - 2) for x in crit} | {"version": version, "action": "next"}
    r = c.post(url, good)
    assert r.status_code == 302
    assert Score.objects.get(assignment=a).status == "submitted"
    r = c.post(url, good | {"action": "submit"})  # the same stale version again
    assert r.status_code == 409
    body = r.content.decode()
    assert "已在别处保存" in body, body[body.find("<main") :][:3000]


def test_the_organizer_sees_progress_and_ranking_and_a_school_only_its_entries(
    contest, client_for, organizer, school_user
):
    c = client_for(organizer)
    page = c.get(f"/contests/{contest.pk}/").content.decode()
    assert "初评（材料评审）" in page and "progress-bar" in page and "陆文华" in page
    ranking = c.get(f"/contests/{contest.pk}/ranking/").content.decode()
    assert "一等奖" in ranking and "去掉一个最高分" in ranking
    s = client_for(school_user)
    listing = s.get(f"/contests/{contest.pk}/entries/").content.decode()
    mine = contest.entries.filter(school=school_user.school)
    others = contest.entries.exclude(school=school_user.school)
    assert all(e.title in listing for e in mine)
    assert not any(e.title in listing for e in others)
    assert s.get(f"/contests/{contest.pk}/ranking/").status_code == 403
    other_file = others.first().attachments.first()
    assert s.get(f"/contests/{contest.pk}/files/{other_file.pk}/").status_code == 404


def test_a_user_without_a_role_gets_404(contest, client_for, town1):
    assert client_for(town1).get(f"/contests/{contest.pk}/").status_code == 404


def test_a_judges_role_sits_on_the_judges_group_not_on_a_participating_unit(contest, judge_user):
    from sciweek.orgs.access import can_view_unit
    from sciweek.orgs.models import OrgUnit

    [m] = judge_user.memberships.all()
    assert m.role == "judge" and m.unit.kind == "group" and m.unit.get_parent() == contest.org_unit
    assert not can_view_unit(judge_user, contest.org_unit)
    assert not can_view_unit(judge_user, OrgUnit.objects.get(name="泗县"))


def test_the_organizer_sets_award_shares_and_a_stale_form_is_refused(contest, client_for, organizer, xcb):
    c = client_for(organizer)
    url = f"/contests/{contest.pk}/settings/"
    form = {
        "version": contest.version,
        "share0": "5",
        "share1": "15",
        "share2": "30",
        "share3": "20",
        "judges_per_entry": "3",
        "publicity_days": "7",
        "final_weight_preliminary": "50",
        "blind": "1",
    }
    too_much = form | {"share3": "60"}
    c.post(url, too_much)
    contest.refresh_from_db()
    assert contest.award_tiers[0][1] == 0.1  # unchanged
    assert c.post(url, form).status_code == 302
    contest.refresh_from_db()
    assert [s for _n, s in contest.award_tiers] == [0.05, 0.15, 0.3, 0.2] and contest.publicity_days == 7
    c.post(url, form | {"share0": "1"})  # the old version again
    contest.refresh_from_db()
    assert contest.award_tiers[0][1] == 0.05
    assert client_for(xcb).post(url, form | {"version": contest.version}).status_code == 403


def test_the_organizer_adds_a_judge_whose_password_is_shown_once(contest, client_for, organizer):
    from sciweek.judging.models import Judge

    c = client_for(organizer)
    r = c.post(
        f"/contests/{contest.pk}/judges/add/",
        {"username": "sx-judge10", "name": "周教授", "group": "中学组", "expertise": "物理学、工程学"},
        follow=True,
    )
    judge = Judge.objects.get(user__username="sx-judge10")
    assert judge.expertise == ["物理学", "工程学"] and judge.group == "中学组"
    assert "初始密码" in r.content.decode() and judge.user.memberships.get().role == "judge"
    r = c.post(
        f"/contests/{contest.pk}/judges/add/",
        {"username": "sx-judge11", "name": "吴", "group": "不存在的组"},
        follow=True,
    )
    assert "评审组「不存在的组」不存在" in r.content.decode()
