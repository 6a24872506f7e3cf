"""最美's section in the generated 活动总结: the figures equal the data, the winners one line each."""

from __future__ import annotations

import pytest

from sciweek.orgs.models import OrgUnit
from sciweek.selections.models import Nomination, Vote
from sciweek.selections.services.voting import vote_code_request, votes_cast, votes_void
from sciweek.summary.services import summary_generate

from .factory import last_code, make_selection, shortlist

pytestmark = pytest.mark.django_db


def test_the_summary_draft_quotes_nominations_votes_and_winners(demo, organizer, unit, settings):
    settings.SCIWEEK_VOTE_CAPTCHA_AFTER = "1000/3600"
    selection = make_selection(organizer, demo.campaign, vote=True)
    town1, town2 = (OrgUnit.objects.get(name=n) for n in ("示例镇一", "示例镇二"))
    li, wang = shortlist(selection, town1, ["李华", "王芳"])
    (zhao,) = shortlist(selection, town2, ["赵强"])
    draft = Nomination.objects.create(
        selection=selection, unit=town2, name="草稿人", gender="男", birth_date=li.birth_date,
        work_unit="某单位", mobile="13900000000", summary="-", deeds="-",
    )  # fmt: skip
    for i, picks in enumerate([[li.pk, wang.pk], [li.pk], [zhao.pk, li.pk]]):
        phone = f"1381234567{i}"
        vote_code_request(selection=selection, phone=phone, ip=f"10.0.0.{i}")
        votes_cast(selection=selection, phone=phone, code=last_code(phone), candidate_ids=picks)
    votes_void(
        actor=organizer,
        selection=selection,
        vote_ids=[Vote.objects.filter(candidate=zhao).get().pk],
        reason="刷票",
    )
    Nomination.objects.filter(pk=li.pk).update(
        status=Nomination.Status.WINNER, summary="扎根基层二十年，\n推广小麦绿色高产技术。"
    )

    result = summary_generate(campaign=demo.campaign, node=demo.campaign.org_unit, actor=organizer)
    texts = [b["text"] for b in result.blocks]
    assert any(t.endswith("最美科技工作者评选") for t in texts)
    body = "\n".join(texts)
    sent = Nomination.objects.filter(selection=selection).exclude(pk=draft.pk).count()
    valid = Vote.objects.filter(selection=selection, voided=False).count()
    voided = Vote.objects.filter(selection=selection, voided=True).count()
    assert (sent, valid, voided) == (3, 4, 1)
    assert f"2个推荐单位推荐的人选{sent}人（示例镇一2人、示例镇二1人），确定候选人3人" in body
    assert f"网络投票有效票{valid}票，作废{voided}票" in body
    assert "评选产生1名当选者" in body
    assert f"李华（{li.work_unit}）：扎根基层二十年， 推广小麦绿色高产技术。" in texts  # one line
    assert "13900000000" not in body and li.mobile not in body  # never a mobile
    [section] = [s for s in result.figures["sections"] if s["key"] == "selection"]
    assert section["figures"]["推荐人选"][0] == str(sent) and section["figures"]["网络投票作废票"][0] == str(
        voided
    )
