"""/api/v1/selections: the committee's decision (差额, version-checked) and the 公示's objections (public
real-name lodging with the page's rate limit, the bureau's confidential list, the organizer's answer)."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from sciweek.core import clock
from sciweek.core.models import AuditEvent
from sciweek.selections.models import Nomination, Objection, Selection
from sciweek.selections.services.publicity import objection_submit, publicity_start, selection_decide

from .factory import make_selection, shortlist

pytestmark = pytest.mark.django_db
API = "/api/v1/selections"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def three(demo, organizer, unit):
    selection = make_selection(organizer, demo.campaign)
    selection.places = 2
    selection.save()
    return selection, shortlist(selection, unit("县科协"), ["李华", "王芳", "赵强"])


@pytest.fixture
def publicizing(three, organizer):
    selection, people = three
    selection_decide(actor=organizer, selection=selection, winner_ids=[people[0].pk, people[1].pk])
    selection = publicity_start(actor=organizer, selection=selection, start=clock.localdate(), days=5)
    return selection, people


def test_the_committee_decides_through_the_api_with_the_version(three, client_for, organizer):
    selection, (li, wang, zhao) = three
    api = client_for(organizer)
    url = f"{API}/{selection.pk}/decision"
    got = api.get(url).json()
    assert (
        got["places"] == 2
        and got["winner_ids"] == []
        and {r["name"] for r in got["rows"]}
        == {
            "李华",
            "王芳",
            "赵强",
        }
    )
    version = got["version"]
    # 差额: no more winners than places, field named in Chinese; nothing written.
    over = api.post(
        url, {"winner_ids": [li.pk, wang.pk, zhao.pk], "version": version}, content_type="application/json"
    )
    assert over.status_code == 400 and "超过评选名额" in over.json()["detail"]["winner_ids"][0]
    bad = api.post(url, {"winner_ids": ["甲"], "version": version}, content_type="application/json")
    assert bad.status_code == 400 and "整数" in bad.json()["detail"]["winner_ids.0"][0]
    missing = api.post(url, {"winner_ids": [li.pk]}, content_type="application/json")
    assert missing.status_code == 400 and "缺少必填项" in missing.json()["detail"]["version"][0]
    assert not Nomination.objects.filter(selection=selection, status=Nomination.Status.WINNER).exists()
    ok = api.post(
        url,
        {"winner_ids": [li.pk, wang.pk], "note": "差额选出", "version": version},
        content_type="application/json",
    )
    assert ok.status_code == 200, ok.content
    body = ok.json()
    assert sorted(body["winner_ids"]) == sorted([li.pk, wang.pk]) and body["version"] == version + 1
    assert body["stage"] == Selection.Stage.COMMITTEE and body["note"] == "差额选出"
    assert AuditEvent.objects.filter(action="selection.decide", object_id=str(selection.pk)).count() == 1
    # A second screen still showing the old version is refused, and nothing changes.
    stale = api.post(url, {"winner_ids": [zhao.pk], "version": version}, content_type="application/json")
    assert stale.status_code == 409 and "版本" in stale.json()["detail"]["version"][0]
    assert Nomination.objects.get(pk=zhao.pk).status == Nomination.Status.SHORTLISTED
    assert AuditEvent.objects.filter(action="selection.decide", object_id=str(selection.pk)).count() == 1


def test_the_decision_is_for_those_running_the_selection(three, client_for, town1, qxj, client):
    selection, (li, _wang, _zhao) = three
    url = f"{API}/{selection.pk}/decision"
    body = {"winner_ids": [li.pk], "version": selection.version}
    for user in (town1, qxj):
        api = client_for(user)
        assert api.get(url).status_code in (403, 404)
        assert api.post(url, body, content_type="application/json").status_code in (403, 404)
    assert client.get(url).status_code == 401
    assert not Nomination.objects.filter(selection=selection, status=Nomination.Status.WINNER).exists()


def test_the_public_lodges_an_objection_through_the_api(publicizing, client, settings):
    selection, (li, _wang, zhao) = publicizing
    url = f"{API}/{selection.pk}/objections"
    anonymous = client.post(url, {"nomination_id": li.pk, "content": "论文系他人代写，有证据。"})
    assert anonymous.status_code == 400
    detail = anonymous.json()["detail"]
    assert "不受理匿名异议" in detail["name"][0] and "不受理匿名异议" in detail["phone"][0]
    not_listed = client.post(
        url,
        {
            "nomination_id": zhao.pk,
            "name": "王某",
            "phone": "13812345678",
            "content": "论文系他人代写，有证据。",
        },
    )
    assert not_listed.status_code == 400 and "公示名单" in not_listed.json()["detail"]["nomination"][0]
    bad_id = client.post(url, {"nomination_id": "李华", "name": "王某"})
    assert bad_id.status_code == 400 and "整数" in bad_id.json()["detail"]["nomination_id"][0]
    unit_without_scan = {
        "nomination_id": li.pk, "name": "王某", "phone": "13812345678", "is_unit": "true",
        "unit_name": "某单位", "content": "论文系他人代写，有证据。",
    }  # fmt: skip
    r = client.post(url, unit_without_scan)
    assert r.status_code == 400 and "盖公章的扫描件" in r.json()["detail"]["stamped_scan"][0]
    assert not Objection.objects.exists()
    r = client.post(
        url, {**unit_without_scan, "stamped_scan": SimpleUploadedFile("盖章.pdf", PDF, "application/pdf")}
    )
    assert r.status_code == 201, r.content
    o = Objection.objects.get(pk=r.json()["id"])
    assert o.is_unit and o.stamped_scan and o.name == "王某"
    assert AuditEvent.objects.filter(action="objection.submit", object_id=str(o.pk)).exists()
    # The page's per-address limit, shared with the page (a fresh address: the requests above counted).
    settings.SCIWEEK_OBJECTION_RATE = "2/3600"
    person = {
        "nomination_id": li.pk,
        "name": "赵某",
        "phone": "13812345679",
        "content": "获奖时间与事实不符合。",
    }
    assert client.post(url, person, REMOTE_ADDR="10.9.9.9").status_code == 201
    page = {"nomination": li.pk, "name": "钱某", "phone": "13812345670", "content": "获奖时间与事实不符合。"}
    assert (
        client.post(f"/selections/{selection.pk}/publicity/", page, REMOTE_ADDR="10.9.9.9").status_code == 302
    )
    limited = client.post(url, person, REMOTE_ADDR="10.9.9.9")
    assert limited.status_code == 429 and "过于频繁" in limited.json()["detail"]
    assert client.post(url, person, REMOTE_ADDR="10.9.9.10").status_code == 201  # another address is not
    assert Objection.objects.count() == 4


def test_objections_are_not_taken_outside_publicity(three, client):
    selection, (li, _wang, _zhao) = three
    r = client.post(
        f"{API}/{selection.pk}/objections",
        {
            "nomination_id": li.pk,
            "name": "王某",
            "phone": "13812345678",
            "content": "论文系他人代写，有证据。",
        },
    )
    assert r.status_code == 404 and not Objection.objects.exists()


def _lodge(selection, nomination):
    return objection_submit(
        selection=selection, nomination_id=nomination.pk, name="王某", phone="13812345678",
        content="论文系他人代写，有证据。",
    )  # fmt: skip


def test_the_bureau_lists_objections_with_phones_masked_but_for_those_running_it(
    publicizing, client_for, organizer, town1, qxj, client
):
    from sciweek.accounts.models import Profile
    from sciweek.accounts.services import membership_grant, user_create

    selection, (li, _wang, _zhao) = publicizing
    _lodge(selection, li)
    url = f"{API}/{selection.pk}/objections"
    rows = client_for(organizer).get(url).json()
    assert rows[0]["name"] == "王某" and rows[0]["phone"] == "13812345678" and rows[0]["status"] == "open"
    viewer = user_create(
        actor=organizer, username="sx-viewer-o", password="Viewer-pass-2023!", display_name="查看"
    )
    Profile.objects.filter(user=viewer).update(must_change_password=False)  # a returning viewer
    membership_grant(actor=organizer, user=viewer, unit=selection.campaign.org_unit, role="viewer")
    seen = client_for(viewer).get(url)
    assert seen.status_code == 200 and seen.json()[0]["phone"] != "13812345678"
    for user in (town1, qxj):
        assert client_for(user).get(url).status_code in (403, 404)
    assert client.get(url).status_code == 401


def test_the_organizer_answers_an_objection_through_the_api(publicizing, client_for, organizer, town1):
    selection, (li, _wang, _zhao) = publicizing
    objection = _lodge(selection, li)
    url = f"{API}/{selection.pk}/objections/{objection.pk}/answer"
    assert client_for(town1).post(
        url, {"outcome": "upheld", "answer": "经核查属实。"}, content_type="application/json"
    ).status_code in (403, 404)
    api = client_for(organizer)
    bad = api.post(url, {"outcome": "maybe", "answer": "经核查属实。"}, content_type="application/json")
    assert bad.status_code == 400 and "处理结果" in bad.json()["detail"]["outcome"][0]
    short = api.post(url, {"outcome": "upheld", "answer": "属实"}, content_type="application/json")
    assert short.status_code == 400 and "答复内容" in short.json()["detail"]["answer"][0]
    assert Objection.objects.get(pk=objection.pk).status == Objection.Status.OPEN
    ok = api.post(
        url, {"outcome": "upheld", "answer": "经核查，论文确系他人代写。"}, content_type="application/json"
    )
    assert ok.status_code == 200 and ok.json()["status"] == "closed" and ok.json()["outcome"] == "upheld"
    assert Nomination.objects.get(pk=li.pk).status == Nomination.Status.DISQUALIFIED
    assert AuditEvent.objects.filter(action="objection.answer").count() == 1
    again = api.post(url, {"outcome": "unfounded", "answer": "再答一次。"}, content_type="application/json")
    assert again.status_code == 409 and "已办结" in again.json()["detail"]["__all__"][0]
    # An objection of another selection is not reached through this one.
    other = make_selection(organizer, selection.campaign)
    assert (
        api.post(
            f"{API}/{other.pk}/objections/{objection.pk}/answer",
            {"outcome": "unfounded", "answer": "经核查不属实。"},
            content_type="application/json",
        ).status_code
        == 404
    )


def test_the_committee_page_sends_its_version(three, organizer):
    selection, (li, wang, _zhao) = three
    web = Client()
    web.force_login(organizer)
    page = web.get(f"/manage/selections/{selection.pk}/decide/").content.decode()
    shown = selection.version
    assert f'name="version" value="{shown}"' in page
    selection_decide(actor=organizer, selection=selection, winner_ids=[wang.pk], note="先定一人")
    r = web.post(
        f"/manage/selections/{selection.pk}/decide/",
        {"action": "decide", "winner": [li.pk], "note": "改定", "version": shown},
        follow=True,
    )
    assert "已被他人修改" in r.content.decode()
    assert Nomination.objects.get(pk=li.pk).status == Nomination.Status.SHORTLISTED
