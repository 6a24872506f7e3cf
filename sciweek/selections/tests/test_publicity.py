"""The committee's list, 公示 counted in working days, real-name objections answered, then 公布."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from sciweek.core import clock
from sciweek.core.models import AuditEvent
from sciweek.core.workdays import add_workdays
from sciweek.selections.models import Nomination, Objection, Selection
from sciweek.selections.services.publicity import (
    objection_answer,
    objection_submit,
    publicity_start,
    selection_decide,
    selection_publish,
)

from .factory import make_selection, shortlist


@pytest.fixture
def decided(demo, organizer, unit):
    selection = make_selection(organizer, demo.campaign)
    selection.places = 2
    selection.save()
    people = shortlist(selection, unit("县科协"), ["李华", "王芳", "赵强"])
    selection_decide(
        actor=organizer, selection=selection, winner_ids=[people[0].pk, people[1].pk], note="差额选出"
    )
    return selection, people


def test_the_committee_chooses_no_more_than_the_places(demo, organizer, unit):
    selection = make_selection(organizer, demo.campaign)
    selection.places = 1
    selection.save()
    a, b = shortlist(selection, unit("县科协"), ["李华", "王芳"])
    with pytest.raises(ValidationError, match="超过评选名额"):
        selection_decide(actor=organizer, selection=selection, winner_ids=[a.pk, b.pk])
    selection_decide(actor=organizer, selection=selection, winner_ids=[a.pk])
    assert Nomination.objects.get(pk=a.pk).status == Nomination.Status.WINNER
    assert Nomination.objects.get(pk=b.pk).status == Nomination.Status.SHORTLISTED


def test_publicity_runs_for_working_days_and_takes_real_name_objections(decided, organizer):
    selection, (li, wang, zhao) = decided
    today = clock.localdate()
    selection = publicity_start(actor=organizer, selection=selection, start=today, days=5)
    assert selection.publicize_until == add_workdays(today, 5)
    client = Client()
    page = client.get(f"/selections/{selection.pk}/publicity/").content.decode()
    assert "李华" in page and "王芳" in page and "赵强" not in page and "匿名异议不予受理" in page
    r = client.post(
        f"/selections/{selection.pk}/publicity/", {"nomination": li.pk, "content": "论文系他人代写，有证据。"}
    )
    body = r.content.decode()
    assert (
        r.status_code == 200 and "不受理匿名异议：请填写真实姓名" in body and not Objection.objects.exists()
    )
    r = client.post(
        f"/selections/{selection.pk}/publicity/",
        {
            "nomination": li.pk,
            "name": "王某",
            "phone": "13812345678",
            "is_unit": "on",
            "unit_name": "某单位",
            "content": "论文系他人代写，有证据。",
        },
    )
    assert "须上传加盖公章的扫描件" in r.content.decode() and not Objection.objects.exists()
    r = client.post(
        f"/selections/{selection.pk}/publicity/",
        {"nomination": li.pk, "name": "王某", "phone": "13812345678", "content": "论文系他人代写，有证据。"},
    )
    assert r.status_code == 302 and Objection.objects.get().name == "王某"
    # Confidential: nothing of it on the public page.
    assert "王某" not in client.get(f"/selections/{selection.pk}/publicity/").content.decode()


def test_objections_are_answered_and_an_upheld_one_takes_the_title_away(decided, organizer):
    selection, (li, _wang, _zhao) = decided
    selection = publicity_start(actor=organizer, selection=selection, start=clock.localdate(), days=5)
    objection = objection_submit(
        selection=selection,
        nomination_id=li.pk,
        name="王某",
        phone="13812345678",
        content="论文系他人代写，有证据。",
    )
    with pytest.raises(ValidationError, match="请填写答复内容"):
        objection_answer(actor=organizer, objection=objection, outcome="upheld", answer="")
    objection_answer(
        actor=organizer, objection=objection, outcome="upheld", answer="经核查，论文确系他人代写。"
    )
    assert Nomination.objects.get(pk=li.pk).status == Nomination.Status.DISQUALIFIED
    assert AuditEvent.objects.filter(action="objection.answer").exists()
    with pytest.raises(ValidationError, match="已办结"):
        objection_answer(actor=organizer, objection=objection, outcome="unfounded", answer="再答一次。")


def test_publication_waits_for_the_period_and_open_objections(decided, organizer):
    selection, (li, wang, _zhao) = decided
    selection = publicity_start(actor=organizer, selection=selection, start=clock.localdate(), days=5)
    with pytest.raises(ValidationError, match="期满后才能公布"):
        selection_publish(actor=organizer, selection=selection)
    objection = objection_submit(
        selection=selection,
        nomination_id=wang.pk,
        name="赵某",
        phone="0557-7022310",
        content="事迹中的获奖时间有误。",
    )
    Selection.objects.filter(pk=selection.pk).update(publicize_until=clock.localdate() - dt.timedelta(days=1))
    selection.refresh_from_db()
    with pytest.raises(ValidationError, match="未办结的异议"):
        selection_publish(actor=organizer, selection=selection)
    objection_answer(
        actor=organizer, objection=objection, outcome="partly", answer="获奖时间笔误，已更正，不影响当选。"
    )
    selection_publish(actor=organizer, selection=selection)
    page = Client().get(f"/selections/{selection.pk}/winners/").content.decode()
    assert "李华" in page and "王芳" in page and "13812345678" not in page
    # The portal links the 公示 (kept as the record) and, once published, the 公布, as it does a contest's.
    portal = Client().get(f"/c/{selection.campaign_id}/").content.decode()
    assert (
        f"/selections/{selection.pk}/publicity/" in portal
        and f"/selections/{selection.pk}/winners/" in portal
    )
