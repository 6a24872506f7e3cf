"""The public vote: codes by text, the rules, a live tally, voiding, the anomaly report."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.test import Client

from sciweek.core.models import AuditEvent
from sciweek.selections.models import Vote, VoteCode
from sciweek.selections.services.voting import votes_void

from .factory import last_code, make_selection, shortlist


@pytest.fixture
def voting(demo, organizer, unit, settings):
    settings.SCIWEEK_VOTE_CAPTCHA_AFTER = "1000/3600"  # the picture check has its own test
    selection = make_selection(organizer, demo.campaign, vote=True)
    candidates = shortlist(selection, unit("县科协"), ["李华", "王芳", "赵强"])
    return selection, candidates


def _post(client, url, body, **extra):
    return client.post(url, json.dumps(body), content_type="application/json", **extra)


def _code(client, selection, phone="13812345678", ip="10.1.2.3"):
    r = _post(client, f"/api/v1/selections/{selection.pk}/vote-codes", {"phone": phone}, REMOTE_ADDR=ip)
    assert r.status_code == 202, r.content
    return last_code(phone)


def test_it_counts_a_verified_vote_and_shows_it_in_the_tally(voting):
    selection, (li, wang, _zhao) = voting
    client = Client()
    code = _code(client, selection)
    r = _post(
        client,
        f"/api/v1/selections/{selection.pk}/votes",
        {"phone": "13812345678", "code": code, "candidate_ids": [li.pk, wang.pk]},
    )
    assert r.status_code == 201 and r.json()["counted"] == [li.pk, wang.pk]
    tally = {
        row["candidate_id"]: row for row in client.get(f"/api/v1/selections/{selection.pk}/tally").json()
    }
    assert tally[li.pk]["votes"] == 1 and tally[wang.pk]["votes"] == 1 and tally[li.pk]["voided"] == 0
    vote = Vote.objects.get(candidate=li)
    assert vote.ip == "127.0.0.1" and "13812345678" not in vote.phone_key and vote.phone_block == "1381234"
    # Only a keyed hash of the number is kept, never the number itself.
    assert not VoteCode.objects.filter(phone_key__contains="13812345678").exists()


def test_it_refuses_a_second_vote_for_the_same_candidate_on_the_same_day(voting):
    selection, (li, _w, _z) = voting
    client = Client()
    code = _code(client, selection)
    body = {"phone": "13812345678", "code": code, "candidate_ids": [li.pk]}
    assert _post(client, f"/api/v1/selections/{selection.pk}/votes", body).status_code == 201
    r = _post(client, f"/api/v1/selections/{selection.pk}/votes", body)
    assert r.status_code == 409 and "今天已为该候选人投过1票" in r.json()["detail"]
    assert Vote.objects.filter(candidate=li).count() == 1


def test_it_limits_the_candidates_per_voter_and_day(voting):
    selection, candidates = voting
    selection.candidates_per_day = 2
    selection.save()
    client = Client()
    code = _code(client, selection)
    r = _post(
        client,
        f"/api/v1/selections/{selection.pk}/votes",
        {"phone": "13812345678", "code": code, "candidate_ids": [c.pk for c in candidates]},
    )
    assert r.status_code == 409 and "最多为2位候选人投票" in r.json()["detail"]
    assert not Vote.objects.exists()  # all or none


def test_it_counts_wrong_codes_and_locks_after_five(voting):
    selection, (li, _w, _z) = voting
    client = Client()
    code = _code(client, selection)
    url = f"/api/v1/selections/{selection.pk}/votes"
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    first = _post(client, url, {"phone": "13812345678", "code": wrong, "candidate_ids": [li.pk]})
    assert first.status_code == 400 and "还可尝试4次" in json.dumps(first.json(), ensure_ascii=False)
    for _ in range(4):
        _post(client, url, {"phone": "13812345678", "code": wrong, "candidate_ids": [li.pk]})
    r = _post(client, url, {"phone": "13812345678", "code": code, "candidate_ids": [li.pk]})
    assert r.status_code == 400 and "次数过多" in json.dumps(r.json(), ensure_ascii=False)
    assert not Vote.objects.exists()


def test_it_expires_codes_after_five_minutes(voting):
    selection, (li, _w, _z) = voting
    client = Client()
    code = _code(client, selection)
    VoteCode.objects.update(expires_at=VoteCode.objects.get().created_at - dt.timedelta(seconds=1))
    r = _post(
        client,
        f"/api/v1/selections/{selection.pk}/votes",
        {"phone": "13812345678", "code": code, "candidate_ids": [li.pk]},
    )
    assert r.status_code == 400 and "已过期" in json.dumps(r.json(), ensure_ascii=False)


def test_it_makes_a_voter_wait_before_a_new_code_and_caps_codes_per_day(voting, settings):
    selection, _candidates = voting
    client = Client()
    _code(client, selection)
    r = _post(client, f"/api/v1/selections/{selection.pk}/vote-codes", {"phone": "13812345678"})
    assert r.status_code == 429 and "秒后再获取" in r.json()["detail"]
    settings.SCIWEEK_VOTE_CODE_IP_RATE = "3/86400"
    for i in range(3):
        assert (
            _post(
                client, f"/api/v1/selections/{selection.pk}/vote-codes", {"phone": f"1390000000{i}"}
            ).status_code
            == 202
        )
    r = _post(client, f"/api/v1/selections/{selection.pk}/vote-codes", {"phone": "13900000009"})
    assert r.status_code == 429 and "上限" in r.json()["detail"]


def test_it_names_the_field_of_a_bad_number_and_refuses_outside_the_window(voting):
    selection, _candidates = voting
    client = Client()
    r = _post(client, f"/api/v1/selections/{selection.pk}/vote-codes", {"phone": "12345"})
    assert r.status_code == 400 and "phone" in r.json()["detail"]
    selection.vote_until = selection.vote_from
    selection.save()
    r = _post(client, f"/api/v1/selections/{selection.pk}/vote-codes", {"phone": "13812345678"})
    assert r.status_code == 409 and r.json()["detail"] == "不在投票时间内。"


def test_the_public_lists_selections_and_candidates_without_numbers(voting):
    selection, candidates = voting
    client = Client()
    listed = client.get("/api/v1/selections/").json()
    assert {
        "id": selection.pk,
        "campaign_id": selection.campaign_id,
        "title": selection.title,
    }.items() <= listed[0].items()
    assert listed[0]["vote_open"] is True
    rows = client.get(f"/api/v1/selections/{selection.pk}/candidates").json()
    assert [r["name"] for r in rows] == ["李华", "王芳", "赵强"]
    assert all(set(r) == {"id", "name", "unit_name", "summary"} for r in rows)  # no number, masked or not


def test_the_organizer_voids_flagged_votes_with_a_reason(voting, organizer, client_for):
    selection, (li, _w, _z) = voting
    client = Client()
    for i in range(6):  # six numbers from one address: the anomaly report flags it
        phone = f"1701234{i:04d}"
        code = _code(client, selection, phone=phone, ip="10.9.9.9")
        _post(
            client,
            f"/api/v1/selections/{selection.pk}/votes",
            {"phone": phone, "code": code, "candidate_ids": [li.pk]},
            REMOTE_ADDR="10.9.9.9",
        )
    staff = client_for(organizer)
    findings = staff.get(f"/api/v1/selections/{selection.pk}/anomalies").json()
    kinds = {f["kind"] for f in findings}
    assert "address" in kinds and "block" in kinds
    flagged = next(f for f in findings if f["kind"] == "address")
    assert flagged["count"] == 6
    r = _post(
        staff,
        f"/api/v1/selections/{selection.pk}/votes/void",
        {"vote_ids": flagged["vote_ids"], "reason": "同一地址多号码刷票"},
    )
    assert r.status_code == 200 and r.json() == {"voided": 6}
    row = next(
        t for t in client.get(f"/api/v1/selections/{selection.pk}/tally").json() if t["candidate_id"] == li.pk
    )
    assert row["votes"] == 0 and row["voided"] == 6
    assert AuditEvent.objects.filter(action="selection.votes_void", note="同一地址多号码刷票").exists()
    with pytest.raises(Exception, match="请填写作废理由"):
        votes_void(actor=organizer, selection=selection, vote_ids=flagged["vote_ids"], reason=" ")


def test_a_unit_cannot_see_the_anomalies_or_void(voting, town1, client_for):
    selection, _candidates = voting
    client = client_for(town1)
    assert client.get(f"/api/v1/selections/{selection.pk}/anomalies").status_code == 403
    r = _post(client, f"/api/v1/selections/{selection.pk}/votes/void", {"vote_ids": [1], "reason": "x"})
    assert r.status_code == 403


def test_a_suspicious_address_must_pass_the_picture_check(voting, settings):
    from django.core.cache import cache

    selection, _candidates = voting
    settings.SCIWEEK_VOTE_CAPTCHA_AFTER = "2/3600"
    client = Client()
    url = f"/api/v1/selections/{selection.pk}/vote-codes"
    for i in range(2):
        assert _post(client, url, {"phone": f"1380000000{i}"}).status_code == 202
    r = _post(client, url, {"phone": "13800000009"})
    body = r.json()
    assert r.status_code == 429 and "图形验证" in body["detail"]
    assert body["captcha"]["image"].startswith("data:image/png;base64,")
    token = body["captcha"]["id"]
    answer = next(
        k
        for k in range(2, 19)
        if cache.get(f"sciweek:captcha:{token}")
        == __import__("sciweek.selections.captcha", fromlist=["_key"])._key(str(k))
    )
    wrong = _post(
        client, url, {"phone": "13800000009", "captcha_id": token, "captcha_answer": str(answer + 1)}
    )
    assert wrong.status_code == 429 and "答案不正确" in wrong.json()["detail"]  # and that picture is spent
    fresh = wrong.json()["captcha"]["id"]
    answer = next(
        k
        for k in range(2, 19)
        if cache.get(f"sciweek:captcha:{fresh}")
        == __import__("sciweek.selections.captcha", fromlist=["_key"])._key(str(k))
    )
    ok = _post(client, url, {"phone": "13800000009", "captcha_id": fresh, "captcha_answer": str(answer)})
    assert ok.status_code == 202
