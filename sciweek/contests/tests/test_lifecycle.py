"""The contest's writes follow the campaign's life cycle (campaigns.lifecycle, action "setup"; the choice is
written in contests/judge_services.py): a closed campaign refuses new entries, the organizer's set-up,
assignment, scoring and results, with 409 on the API and the reason on the page; before the week (the
contest's stages start about 40 days ahead) and after it, until the campaign closes, they go on."""

from __future__ import annotations

import pytest

from sciweek.campaigns.lifecycle import CampaignClosedError
from sciweek.campaigns.models import Campaign
from sciweek.contests.entries import EntryIn, StudentIn, entry_create, entry_qualify, entry_veto
from sciweek.contests.judge_services import contest_assign, contest_judge_pledge, contest_score_save
from sciweek.contests.models import Objection, StageCode
from sciweek.contests.results import award_adjust, shortlist
from sciweek.contests.setup import contest_create, contest_judge_create, contest_settings_save, judging_of
from sciweek.judging.models import Assignment, Score
from sciweek.judging.selectors import judge_queue
from sciweek.orgs.models import OrgUnit

from .test_entries import project_files

pytestmark = pytest.mark.django_db
API = "/api/v1/contests"
CLOSED_TEXT = "已结束的活动周只能查看"


def _status(campaign, status) -> None:
    Campaign.objects.filter(pk=campaign.pk).update(status=status)
    campaign.refresh_from_db()


def _open_assignment(contest, judge_user) -> Assignment:
    judge = judge_user.judge_seats.get()
    for a in judge_queue(judging_of(contest, StageCode.FINAL), judge):
        if not Score.objects.filter(assignment=a, status="submitted").exists():
            return a
    raise AssertionError("no open assignment")


def _values(a: Assignment) -> dict[str, float]:
    crit = a.judging.criteria.filter(group=a.item.criteria_group)
    return {str(x.pk): float(x.max_score) / 2 for x in crit}


def test_a_closed_campaign_refuses_every_contest_write_in_the_services(contest, organizer, judge_user):
    campaign = contest.campaign
    _status(campaign, Campaign.Status.CLOSED)
    entry = contest.entries.order_by("id").first()
    judge = judge_user.judge_seats.get()
    a = _open_assignment(contest, judge_user)
    cat = contest.categories.get(code="junior")
    school = entry.school
    writes = {
        "entry": lambda: entry_create(
            contest=contest,
            school=school,
            data=EntryIn(
                category=cat,
                title="新作品",
                discipline="物理学",
                students=[StudentIn("新同学", "八年级", "junior")],
            ),
            files=project_files("report", "form", "novelty"),
            actor=organizer,
        ),  # fmt: skip
        "contest": lambda: contest_create(
            campaign=campaign, org_unit=contest.org_unit, title="又一届", actor=organizer
        ),
        "settings": lambda: contest_settings_save(
            contest=contest,
            version=contest.version,
            shares=[10, 20, 30, 20],
            blind=True,
            judges_per_entry=3,
            publicity_days=5,
            final_weight_preliminary=50,
            actor=organizer,
        ),  # fmt: skip
        "judge": lambda: contest_judge_create(
            contest=contest,
            username="late-judge",
            name="迟到评委",
            group=cat.group,
            expertise=[],
            actor=organizer,
        ),
        "veto": lambda: entry_veto(entry=entry, reason="抄袭", actor=organizer),
        "qualify": lambda: entry_qualify(entry=entry, actor=organizer),
        "assign": lambda: contest_assign(contest=contest, stage=StageCode.FINAL, actor=organizer),
        "shortlist": lambda: shortlist(contest=contest, share=30, actor=organizer),
        "award": lambda: award_adjust(
            entry=entry, award="一等奖", reason="复核", version=entry.version, actor=organizer
        ),  # fmt: skip
        "pledge": lambda: contest_judge_pledge(contest=contest, judge=judge, actor=judge_user),
        "score": lambda: contest_score_save(
            contest=contest,
            assignment=a,
            judge=judge,
            values=_values(a),
            submit=True,
            version=getattr(Score.objects.filter(assignment=a).first(), "version", None),
            actor=judge_user,
        ),  # fmt: skip
    }
    refused = {}
    for name, write in writes.items():
        with pytest.raises(CampaignClosedError) as exc:
            write()
        refused[name] = exc.value.message
    assert all(CLOSED_TEXT in m for m in refused.values()), refused
    entry.refresh_from_db()
    assert entry.status != "vetoed" and not entry.award_override
    assert not contest.entries.filter(title="新作品").exists()


def test_the_api_answers_409_with_the_reason_and_changes_nothing(contest, client_for, organizer, judge_user):
    final = judging_of(contest, StageCode.FINAL)
    before = set(Assignment.objects.filter(judging=final).values_list("pk", flat=True))
    a = _open_assignment(contest, judge_user)
    scored = Score.objects.filter(assignment=a).first()
    _status(contest.campaign, Campaign.Status.CLOSED)
    c = client_for(organizer)
    r = c.post(f"{API}/{contest.pk}/assign", {"stage": "final", "k": 3}, content_type="application/json")
    assert r.status_code == 409 and CLOSED_TEXT in r.json()["detail"], r.content
    item = judging_of(contest, StageCode.FINAL).items.first()
    r = c.post(
        f"{API}/{contest.pk}/assignments",
        {"judge_id": a.judge_id, "entry_id": item.object_id, "stage": "final"},
        content_type="application/json",
    )
    assert r.status_code == 409 and CLOSED_TEXT in r.json()["detail"]
    r = c.delete(f"{API}/{contest.pk}/assignments/{a.pk}")
    assert r.status_code == 409 and CLOSED_TEXT in r.json()["detail"]
    assert set(Assignment.objects.filter(judging=final).values_list("pk", flat=True)) == before
    r = client_for(judge_user).put(
        f"{API}/{contest.pk}/assignments/{a.pk}/score",
        {"values": _values(a), "submit": True, "version": scored.version if scored else None},
        content_type="application/json",
    )
    assert r.status_code == 409 and CLOSED_TEXT in r.json()["detail"]
    assert Score.objects.filter(assignment=a).first() == scored
    if scored is not None:
        assert Score.objects.get(assignment=a).version == scored.version


def test_the_pages_show_the_reason(contest, client_for, organizer, judge_user, school_user):
    a = _open_assignment(contest, judge_user)
    _status(contest.campaign, Campaign.Status.CLOSED)
    org = client_for(organizer)
    r = org.post(f"/contests/{contest.pk}/assign/final/", follow=True)
    assert r.status_code == 200 and CLOSED_TEXT in r.content.decode()
    r = org.post(f"/contests/{contest.pk}/shortlist/", {"share": "30"}, follow=True)
    assert CLOSED_TEXT in r.content.decode()
    # A judge's score form: the reason above the form, nothing saved.
    existing = Score.objects.filter(assignment=a).first()
    crit = a.judging.criteria.filter(group=a.item.criteria_group)
    form = {f"c{x.pk}": "5" for x in crit} | {
        "version": str(existing.version) if existing else "",
        "action": "submit",
    }
    r = client_for(judge_user).post(f"/contests/{contest.pk}/judge/{a.pk}/", form)
    assert r.status_code == 400 and CLOSED_TEXT in r.content.decode()
    assert Score.objects.filter(assignment=a).first() == existing
    # A school's new entry: the reason on top of the form, nothing stored.
    cat = contest.categories.get(code="painting")
    r = client_for(school_user).post(
        f"/contests/{contest.pk}/entries/new/",
        {"category": cat.pk, "title": "未来的城市", "s0_name": "小明", "s0_grade": "三年级", "s0_stage": "primary",
         "s0_age": "9"},
    )  # fmt: skip
    assert r.status_code == 400 and CLOSED_TEXT in r.content.decode()
    assert not contest.entries.filter(title="未来的城市").exists()
    # The organizer's answer to an objection.
    entry = contest.entries.order_by("id").first()
    objection = Objection.objects.create(contest=contest, entry=entry, name="张三", phone="13800001111",
                                         text="该作品与往届作品雷同，请核实。")  # fmt: skip
    r = org.post(
        f"/contests/{contest.pk}/objections/", {"objection": objection.pk, "answer": "已核实。"}, follow=True
    )
    assert CLOSED_TEXT in r.content.decode()
    objection.refresh_from_db()
    assert not objection.answer


def test_before_and_after_the_week_the_contest_goes_on(contest, client_for, organizer, judge_user):
    """Sign-up and judging run weeks before the week (the campaign still a draft or just published);
    results come after it (总结上报): only closing stops them."""
    a = _open_assignment(contest, judge_user)
    existing = Score.objects.filter(assignment=a).first()
    for status in (Campaign.Status.DRAFT, Campaign.Status.PUBLISHED, Campaign.Status.REPORTING):
        _status(contest.campaign, status)
        r = client_for(judge_user).put(
            f"{API}/{contest.pk}/assignments/{a.pk}/score",
            {"values": _values(a), "submit": False, "version": existing.version if existing else None},
            content_type="application/json",
        )
        assert r.status_code == 200, (status, r.content)
        existing = Score.objects.filter(assignment=a).first()
    _status(contest.campaign, Campaign.Status.DRAFT)
    school = OrgUnit.objects.get(pk=contest.entries.order_by("id").first().school_id)
    cat = contest.categories.get(code="junior")
    entry = entry_create(
        contest=contest, school=school,
        data=EntryIn(category=cat, title="草稿期报名", discipline="物理学", students=[StudentIn("早报名", "八年级", "junior")]),
        files=project_files("report", "form", "novelty"), actor=organizer,
    )  # fmt: skip
    assert entry.pk
