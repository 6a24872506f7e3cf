"""/api/v1/contests: objections (public real-name create, staff list), certificates (download, verify), and
the judges' view of other judges' scores, which the contest's setting allows only after their own submission."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from sciweek.contests.models import Objection, StageCode
from sciweek.contests.publication import awarded_rows
from sciweek.contests.setup import contest_settings_save, judges_see_peers_of, judging_of
from sciweek.core import clock
from sciweek.judging.models import Assignment, Score

pytestmark = pytest.mark.django_db
API = "/api/v1/contests"


def test_the_public_lodges_a_real_name_objection_and_staff_list_it(
    contest, client, client_for, organizer, xcb
):
    contest.stages.filter(code=StageCode.PUBLICITY).update(starts_on=clock.localdate())
    first = awarded_rows(contest)[0][1][0].entry
    url = f"{API}/{contest.pk}/objections"
    bad = client.post(
        url, {"entry_id": first.pk, "name": "", "phone": "1", "text": "短"}, content_type="application/json"
    )
    assert bad.status_code == 400
    assert "请填写真实姓名" in bad.json()["detail"]["name"][0] and not Objection.objects.exists()
    ok = client.post(
        url,
        {
            "entry_id": first.pk,
            "name": "张卫东",
            "phone": "13905571234",
            "text": "该作品与去年外县获奖作品高度相似。",
        },
        content_type="application/json",
    )
    assert ok.status_code == 201
    assert Objection.objects.get(pk=ok.json()["id"]).name == "张卫东"
    # The list is staff's: the organizer sees the number, other bureau members a masked one, the public nothing.
    rows = client_for(organizer).get(url).json()
    assert (
        rows[0]["name"] == "张卫东" and rows[0]["phone"] == "13905571234" and rows[0]["entry_id"] == first.pk
    )
    masked = client_for(xcb).get(url)
    if masked.status_code == 200:
        assert masked.json()[0]["phone"] != "13905571234"
    assert client.get(url).status_code == 401


def test_certificates_download_for_staff_and_verify_publicly(
    contest, client, client_for, organizer, judge_user
):
    response = client_for(organizer).get(f"{API}/{contest.pk}/certificates.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    awarded = [r for _c, rows in awarded_rows(contest) for r in rows]
    assert len(PdfReader(io.BytesIO(response.content)).pages) == len(awarded)
    one = client_for(organizer).get(f"{API}/{contest.pk}/certificates.pdf?entry_id={awarded[0].entry.pk}")
    assert len(PdfReader(io.BytesIO(one.content)).pages) == 1
    assert client_for(judge_user).get(f"{API}/{contest.pk}/certificates.pdf").status_code == 403
    check = client.get(f"{API}/certificates/{awarded[0].entry.cert_code}").json()
    assert check["valid"] and check["award"] == awarded[0].award and check["title"] == awarded[0].entry.title
    unknown = client.get(f"{API}/certificates/not-a-code")
    assert unknown.status_code == 404 and unknown.json() == {"valid": False}


def _submitted_by(judge, contest):
    judging = judging_of(contest, StageCode.PRELIMINARY)
    for a in Assignment.objects.filter(judging=judging, judge=judge):
        if Score.objects.filter(assignment=a, status="submitted").exists():
            return a
    raise AssertionError("no submitted score")


def test_judges_see_peers_scores_only_when_the_contest_allows_and_after_their_own(
    contest, client_for, organizer, judge_user
):
    judge = judge_user.judge_seats.get()
    a = _submitted_by(judge, contest)
    c = client_for(judge_user)
    url = f"{API}/{contest.pk}/assignments/{a.pk}/score"
    # Off by default: no "others" in the API, none on the page.
    assert not judges_see_peers_of(contest)
    body = c.get(url).json()
    assert body["status"] == "submitted" and "others" not in body
    assert "其他评委的总分" not in c.get(f"/contests/{contest.pk}/judge/{a.pk}/").content.decode()
    contest_settings_save(
        contest=contest, version=contest.version, shares=[round(s * 100) for _n, s in contest.award_tiers],
        blind=contest.blind, judges_per_entry=contest.judges_per_entry, publicity_days=contest.publicity_days,
        final_weight_preliminary=contest.final_weight_preliminary, judges_see_peers=True, actor=organizer,
    )  # fmt: skip
    others = sorted(
        float(t)
        for t in Score.objects.filter(assignment__item=a.item, status="submitted")
        .exclude(assignment=a)
        .values_list("total", flat=True)
    )
    assert others and c.get(url).json()["others"] == others
    assert "其他评委的总分" in c.get(f"/contests/{contest.pk}/judge/{a.pk}/").content.decode()
    # Their own score back to a draft: nothing of the others until they submit again.
    Score.objects.filter(assignment=a).update(status="draft")
    assert "others" not in c.get(url).json()
    # Someone else's assignment: not found.
    other = Assignment.objects.exclude(judge=judge).first()
    assert c.get(f"{API}/{contest.pk}/assignments/{other.pk}/score").status_code == 404
