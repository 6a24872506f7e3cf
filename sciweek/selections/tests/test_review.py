"""专家评审 through the shared judging component: criteria as data, experts limited to one selection,
conflicts never assigned, trimmed mean, the combined score with the vote weight; certificates and
their public verification."""

from __future__ import annotations

import io
import json
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from pypdf import PdfReader

from sciweek.accounts.models import Profile
from sciweek.core import clock
from sciweek.core.models import AuditEvent
from sciweek.judging.models import Assignment, Conflict, Score
from sciweek.selections.models import Certificate, Nomination, Objection, Selection, TallyShard
from sciweek.selections.ranking import combine, ranking
from sciweek.selections.services.certificates import certificates_issue
from sciweek.selections.services.publicity import objection_answer, selection_decide
from sciweek.selections.services.review import (
    CriterionIn,
    review_assign,
    review_criteria_set,
    review_judge_create,
    review_open,
    review_round,
    review_score_save,
    same_unit,
)

from .factory import make_selection, shortlist


def _experts(organizer, selection, n: int, prefix: str = "zj", **kw):
    out = []
    for i in range(n):
        judge, _pw = review_judge_create(
            actor=organizer,
            selection=selection,
            username=f"{prefix}{selection.pk}-{i}",
            name=f"专家{i}",
            **kw,
        )
        judge.pledge_accepted_at = clock.now()
        judge.save()
        Profile.objects.filter(user=judge.user).update(must_change_password=False)
        out.append(judge)
    return out


def _score_all(organizer, selection, points: dict[tuple[int, int], list[float]]):
    """points[(judge index, nomination id)] = per-criterion points; submitted."""
    round_ = review_round(selection)
    for a in Assignment.objects.filter(judging=round_).select_related("judge", "item", "judging"):
        key = (a.judge_id, a.item.object_id)
        if key not in points:
            continue
        crit = list(round_.criteria.order_by("order"))
        review_score_save(
            actor=a.judge.user, selection=selection, judge=a.judge, assignment=a,
            values={str(c.pk): v for c, v in zip(crit, points[key], strict=True)}, submit=True, version=None,
        )  # fmt: skip


@pytest.fixture
def reviewed(demo, organizer, unit):
    selection = make_selection(organizer, demo.campaign)
    people = shortlist(selection, unit("县科协"), ["李华", "王芳", "赵强"])
    review_open(actor=organizer, selection=selection)
    return selection, people


def test_the_round_has_default_criteria_editable_as_data_with_a_version(reviewed, organizer):
    selection, _people = reviewed
    round_ = review_round(selection)
    assert [(c.name, c.weight) for c in round_.criteria.all()] == [
        ("先进性", 40),
        ("典型性", 30),
        ("故事性/影响力", 30),
    ]
    assert Selection.objects.get(pk=selection.pk).stage == Selection.Stage.REVIEWING
    with pytest.raises(ValidationError, match="权重之和应为100"):
        review_criteria_set(
            actor=organizer, selection=selection, criteria=[CriterionIn("先进性", 50)], version=round_.version
        )
    review_criteria_set(
        actor=organizer, selection=selection, version=round_.version,
        criteria=[CriterionIn("先进性", 50), CriterionIn("典型性", 25), CriterionIn("影响力", 25)],
    )  # fmt: skip
    assert [c.weight for c in review_round(selection).criteria.all()] == [50, 25, 25]
    with pytest.raises(ValidationError) as stale:  # a second tab on the old version
        review_criteria_set(
            actor=organizer,
            selection=selection,
            criteria=[CriterionIn("先进性", 100)],
            version=round_.version,
        )
    assert stale.value.code == "stale"
    assert AuditEvent.objects.filter(action="judging.criteria").count() == 2


def test_conflicts_are_never_assigned_all_or_k(reviewed, organizer, unit):
    selection, (li, wang, zhao) = reviewed
    Nomination.objects.filter(pk=wang.pk).update(work_unit="泗县气象局")
    # 专家0 works at the nominating unit (县科协): conflicts with all three; 专家1 at 气象局: with 王芳.
    kx = _experts(organizer, selection, 1, prefix="kx", unit=unit("县科协"))
    qx = _experts(organizer, selection, 1, prefix="qx", unit_text="泗县 气象局")
    rest = _experts(organizer, selection, 3, prefix="free")
    review_assign(actor=organizer, selection=selection)
    pairs = set(Assignment.objects.values_list("judge_id", "item__object_id"))
    assert not any(j == kx[0].pk for j, _n in pairs)
    assert (qx[0].pk, wang.pk) not in pairs and (qx[0].pk, li.pk) in pairs
    assert all((j.pk, n.pk) in pairs for j in rest for n in (li, wang, zhao))  # everyone else scores all
    assert Conflict.objects.filter(judge=qx[0], object_id=wang.pk, automatic=True).exists()
    review_assign(actor=organizer, selection=selection, k=2)  # the solver: 2 per candidate, same rule
    pairs = list(Assignment.objects.values_list("judge_id", "item__object_id"))
    assert len(pairs) == 6 and not any(j == kx[0].pk for j, _n in pairs) and (qx[0].pk, wang.pk) not in pairs


def test_a_declared_conflict_takes_the_expert_off_the_candidate(reviewed, organizer, client_for):
    selection, (li, _wang, _zhao) = reviewed
    (j,) = _experts(organizer, selection, 1)
    review_assign(actor=organizer, selection=selection)
    a = Assignment.objects.get(judge=j, item__object_id=li.pk)
    c = client_for(j.user)
    r = c.post(f"/selections/{selection.pk}/judge/{a.pk}/", {"action": "conflict", "kind": "kin"})
    assert r.status_code == 302 and r["Location"] == f"/selections/{selection.pk}/judge/", r["Location"]
    assert not Assignment.objects.filter(judge=j, item__object_id=li.pk).exists()
    review_assign(actor=organizer, selection=selection)  # re-run: still not assigned
    assert not Assignment.objects.filter(judge=j, item__object_id=li.pk).exists()


def test_trimmed_mean_from_five_scores_and_the_combined_score_with_the_vote_weight(reviewed, organizer):
    selection, (li, wang, zhao) = reviewed
    judges = _experts(organizer, selection, 5)
    review_assign(actor=organizer, selection=selection)
    # 李华: totals 90, 80, 80, 80, 20 → trimmed (80+80+80)/3 = 80 (plain mean would be 70).
    li_points = [[36, 27, 27], [32, 24, 24], [32, 24, 24], [32, 24, 24], [8, 6, 6]]
    points = {(j.pk, li.pk): p for j, p in zip(judges, li_points, strict=True)}
    points |= {(j.pk, wang.pk): [30, 22.5, 22.5] for j in judges}  # 75 each
    points |= {(j.pk, zhao.pk): [28, 21, 21] for j in judges[:4]}  # 70, only four scores: plain mean
    _score_all(organizer, selection, points)
    rows, weight = ranking(selection)
    by = {r.nomination.pk: r for r in rows}
    assert weight == 0 and by[li.pk].expert == 80.0 and by[li.pk].trimmed
    assert by[zhao.pk].expert == 70.0 and not by[zhao.pk].trimmed and by[zhao.pk].expert_count == 4
    assert [r.nomination.pk for r in rows] == [li.pk, wang.pk, zhao.pk]
    assert by[li.pk].combined == 80.0  # the vote off: combined is the expert score

    # The vote on at 30 %: 王芳 has the most valid votes (100 points), 李华 half, 赵强 none.
    Selection.objects.filter(pk=selection.pk).update(vote_enabled=True, public_weight=Decimal("0.30"))
    TallyShard.objects.filter(candidate=wang, shard=0).update(votes=40, voided=7)
    TallyShard.objects.filter(candidate=li, shard=0).update(votes=20)
    selection.refresh_from_db()
    rows, weight = ranking(selection)
    by = {r.nomination.pk: r for r in rows}
    assert weight == Decimal("0.30")
    assert by[wang.pk].vote_score == 100.0 and by[li.pk].vote_score == 50.0
    assert by[wang.pk].combined == pytest.approx(75 * 0.7 + 100 * 0.3)  # 82.5
    assert by[li.pk].combined == pytest.approx(80 * 0.7 + 50 * 0.3)  # 71.0
    assert [r.nomination.pk for r in rows] == [wang.pk, li.pk, zhao.pk]
    # A weight above the cap counts at the cap.
    Selection.objects.filter(pk=selection.pk).update(public_weight=Decimal("0.90"))
    selection.refresh_from_db()
    assert ranking(selection)[1] == Decimal("0.30")
    assert combine(None, 100, Decimal("0.3")) is None

    # The committee uses that ranking: passing over 王芳 needs the reasons written.
    selection.places = 1
    with pytest.raises(ValidationError, match="王芳"):
        selection_decide(actor=organizer, selection=selection, winner_ids=[li.pk])
    selection_decide(actor=organizer, selection=selection, winner_ids=[li.pk], note="事迹更具典型性")
    selection_decide(actor=organizer, selection=selection, winner_ids=[wang.pk])  # decided again
    assert list(Nomination.objects.filter(status=Nomination.Status.WINNER)) == [wang]
    event = AuditEvent.objects.filter(action="selection.decide").order_by("-pk").first()
    assert event is not None and "王芳" in json.dumps(event.after, ensure_ascii=False)


def test_scores_are_version_checked_and_criteria_frozen_once_scored(reviewed, organizer):
    selection, (li, _wang, _zhao) = reviewed
    (j,) = _experts(organizer, selection, 1)
    review_assign(actor=organizer, selection=selection)
    a = Assignment.objects.get(judge=j, item__object_id=li.pk)
    crit = list(review_round(selection).criteria.all())
    vals = {str(c.pk): 10 for c in crit}
    s = review_score_save(actor=j.user, selection=selection, judge=j, assignment=a, values=vals, version=None)
    review_score_save(
        actor=j.user, selection=selection, judge=j, assignment=a, values=vals, version=s.version
    )
    with pytest.raises(ValidationError) as stale:
        review_score_save(
            actor=j.user, selection=selection, judge=j, assignment=a, values=vals, version=s.version
        )
    assert stale.value.code == "stale"
    with pytest.raises(ValidationError, match="已有专家评分"):
        review_criteria_set(
            actor=organizer, selection=selection, criteria=[CriterionIn("先进性", 100)], version=None
        )


def test_an_expert_reaches_only_their_own_selection(demo, reviewed, organizer, unit, client_for):
    selection, (li, _wang, _zhao) = reviewed
    (j,) = _experts(organizer, selection, 1)
    review_assign(actor=organizer, selection=selection)
    other = make_selection(organizer, demo.campaign)
    shortlist(other, unit("县科协"), ["孙丽"])
    review_open(actor=organizer, selection=other)
    (oj,) = _experts(organizer, other, 1, prefix="other")
    review_assign(actor=organizer, selection=other)
    # The judge role is limited to one selection.
    with pytest.raises(ValidationError, match="已是其他评审活动的评委"):
        review_judge_create(actor=organizer, selection=other, username="", name="再聘", user=j.user)
    mine = Assignment.objects.get(judge=j, item__object_id=li.pk)
    c = client_for(oj.user)
    assert c.get(f"/selections/{selection.pk}/judge/").status_code == 404
    assert c.get(f"/selections/{selection.pk}/judge/{mine.pk}/").status_code == 404
    assert c.get(f"/selections/{other.pk}/judge/{mine.pk}/").status_code == 404  # someone else's task
    assert c.get(f"/api/v1/selections/{selection.pk}/review/tasks").status_code == 404
    r = c.put(
        f"/api/v1/selections/{selection.pk}/review/tasks/{mine.pk}",
        data=json.dumps({"values": {}, "submit": False}),
        content_type="application/json",
    )
    assert r.status_code in (403, 404)
    assert c.get(f"/manage/selections/{selection.pk}/expert-review/").status_code in (403, 404)
    assert c.get(f"/api/v1/selections/{selection.pk}/ranking").status_code in (403, 404)
    assert not Score.objects.exists()
    # The expert's own pages and API work.
    me = client_for(j.user)
    assert me.get(f"/selections/{selection.pk}/judge/{mine.pk}/").status_code == 200
    tasks = me.get(f"/api/v1/selections/{selection.pk}/review/tasks").json()
    assert [t["name"] for t in tasks] == ["李华", "王芳", "赵强"]
    crit = tasks[0]["criteria"]
    body = {"values": {str(c["id"]): c["max_score"] for c in crit}, "submit": True, "version": None}
    r = me.put(
        f"/api/v1/selections/{selection.pk}/review/tasks/{mine.pk}",
        data=json.dumps(body),
        content_type="application/json",
    )
    assert r.status_code == 200 and r.json()["total"] == 100.0
    r = me.put(  # the same version again: 409
        f"/api/v1/selections/{selection.pk}/review/tasks/{mine.pk}",
        data=json.dumps(body),
        content_type="application/json",
    )
    assert r.status_code == 409


def test_the_committee_page_and_api_show_the_combined_score(reviewed, organizer, client_for):
    selection, (li, _wang, _zhao) = reviewed
    judges = _experts(organizer, selection, 2)
    review_assign(actor=organizer, selection=selection)
    _score_all(organizer, selection, {(j.pk, li.pk): [40, 30, 30] for j in judges})
    c = client_for(organizer)
    page = c.get(f"/manage/selections/{selection.pk}/decide/").content.decode()
    assert "综合得分" in page and "100.00" in page
    data = c.get(f"/api/v1/selections/{selection.pk}/ranking").json()
    assert data["rows"][0]["name"] == "李华" and data["rows"][0]["combined"] == 100.0
    assert data["rows"][1]["combined"] is None and data["rows"][1]["rank"] is None
    review = c.get(f"/manage/selections/{selection.pk}/expert-review/").content.decode()
    assert "先进性" in review and "专家0" in review
    assert c.get(f"/api/v1/selections/{selection.pk}/review").json()["submitted"] == 2


def _published(selection, organizer, winners):
    selection_decide(actor=organizer, selection=selection, winner_ids=[w.pk for w in winners], note="决定")
    Selection.objects.filter(pk=selection.pk).update(stage=Selection.Stage.PUBLISHED)
    selection.refresh_from_db()


def test_certificates_are_pdfs_with_the_font_embedded_and_a_verification_page(
    reviewed, organizer, client_for
):
    selection, (li, wang, _zhao) = reviewed
    with pytest.raises(ValidationError, match="公布后"):
        certificates_issue(actor=organizer, selection=selection)
    _published(selection, organizer, [li, wang])
    c = client_for(organizer)
    r = c.post(f"/manage/selections/{selection.pk}/certificates/")
    assert r.status_code == 302
    r = c.get(r["Location"])
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(r.content))
    assert len(reader.pages) == 2
    text = reader.pages[0].extract_text()
    assert "李华" in text and "荣誉证书" in text and selection.title in text
    fonts = reader.pages[0]["/Resources"]["/Font"]
    descriptors = [f.get_object().get("/FontDescriptor") for f in fonts.values()]
    assert [d for d in descriptors if d is not None and "/FontFile2" in d.get_object()], "CJK font embedded"
    cert = Certificate.objects.get(nomination=li)
    assert cert.token in text  # the code printed beside the QR
    # A second issue keeps the same tokens (the printed QR codes stay valid).
    certificates_issue(actor=organizer, selection=selection)
    assert Certificate.objects.get(nomination=li).token == cert.token

    public = Client()
    page = public.get(f"/selections/{selection.pk}/verify/{cert.token}/")
    body = page.content.decode()
    assert page.status_code == 200 and "真实有效" in body and "李华" in body and str(cert.year) in body
    assert cert.issuer in body and "13" not in body.split("李华")[1][:40]
    assert public.get(f"/selections/{selection.pk}/verify/nosuchtoken/").status_code == 404
    assert public.get(f"/selections/{selection.pk + 99}/verify/{cert.token}/").status_code == 404
    api = public.get(f"/api/v1/selections/{selection.pk}/verify/{cert.token}").json()
    assert api["valid"] is True and api["name"] == "李华"

    # An upheld objection withdraws the title: the page says so.
    objection = Objection.objects.create(
        selection=selection, nomination=li, name="王某", phone="13900000000", content="材料不实，论文系他人所写。",
        created_at=clock.now(),
    )  # fmt: skip
    objection_answer(
        actor=organizer, objection=objection, outcome=Objection.Outcome.UPHELD, answer="经核查属实"
    )
    body = public.get(f"/selections/{selection.pk}/verify/{cert.token}/").content.decode()
    assert "已撤销" in body and "真实有效" not in body
    assert public.get(f"/api/v1/selections/{selection.pk}/verify/{cert.token}").json()["valid"] is False


def test_same_unit_matching():
    assert same_unit("泗县气象局", "泗县 气象局") and same_unit("气象局", "泗县气象局") is False
    assert same_unit("泗县气象局", "安徽省泗县气象局") and not same_unit("泗县", "泗县水利局")
    assert not same_unit("", "泗县水利局")


def test_the_campaign_closed_makes_the_review_read_only(reviewed, organizer):
    selection, _people = reviewed
    selection.campaign.status = "closed"
    selection.campaign.save(update_fields=["status"])
    with pytest.raises(ValidationError, match="不能"):
        review_assign(actor=organizer, selection=selection)


def test_the_demo_has_five_experts_with_scores_and_the_committee_sees_combined_scores(
    demo, organizer, client_for
):
    from sciweek.campaigns.demo_parts import DemoContext
    from sciweek.orgs.models import OrgUnit, UnitKind
    from sciweek.selections.demo import demo_selection, demo_selection_review

    county = demo.campaign.org_unit
    ctx = DemoContext(
        campaign=demo.campaign,
        county=county,
        city=county.get_parent(),
        province=county.get_parent().get_parent(),
        units={u.short_name: u for u in OrgUnit.objects.exclude(short_name="")},
        towns=list(OrgUnit.objects.filter(kind=UnitKind.TOWN).order_by("path")),
        societies=list(OrgUnit.objects.filter(kind=UnitKind.ASSOCIATION, is_sample=True).order_by("path")),
    )
    demo_selection(ctx)
    demo_selection_review(ctx)
    selection = Selection.objects.get()
    assert [login.username for login in ctx.logins] == ["sx-zj1"]  # one expert account printed
    rows, weight = ranking(selection)
    assert weight == Decimal("0.30") and len(rows) == 11
    assert all(r.expert_count == 5 and r.trimmed and r.combined is not None for r in rows)
    assert Score.objects.filter(status=Score.Status.SUBMITTED).count() == 55
    page = client_for(organizer).get(f"/manage/selections/{selection.pk}/decide/").content.decode()
    assert "综合得分" in page and f"{rows[0].combined:.2f}" in page
