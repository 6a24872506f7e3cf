"""On a phone: a voter asks for a code and votes; a town's reporter nominates with live character counts."""

from __future__ import annotations

import pytest
from django.test import Client
from playwright.sync_api import expect

from sciweek.selections.models import Nomination, Vote

from .factory import last_code, make_selection, shortlist

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _login(page, live_server, user) -> None:
    c = Client()
    c.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": c.cookies["sessionid"].value, "url": live_server.url}]
    )


def test_a_voter_votes_on_a_phone(page, live_server, demo, organizer, unit, shot):
    selection = make_selection(organizer, demo.campaign, vote=True)
    li, wang = shortlist(selection, unit("县科协"), ["李华", "王芳"])
    page.goto(f"{live_server.url}/selections/{selection.pk}/vote/")
    assert page.locator("h1").inner_text() == selection.title
    page.fill("#vote-phone", "13812345678")
    page.click("#vote-send")
    expect(page.locator("#vote-msg")).to_contain_text("验证码已发送")
    page.check(f"input[name=candidate][value='{li.pk}']")
    page.fill("#vote-code", last_code("13812345678"))
    shot(page, "selections-vote-phone-before")
    page.click("#vote-submit")
    expect(page.locator("#vote-msg")).to_contain_text("投票成功")
    assert page.locator(f"[data-votes='{li.pk}']").inner_text() == "1"
    shot(page, "selections-vote-phone-after")
    page.click("#vote-submit")  # again: the day's rule answers in Chinese, nothing counted twice
    expect(page.locator("#vote-msg")).to_contain_text("今天已为该候选人投过")
    assert Vote.objects.filter(candidate=li).count() == 1 and not Vote.objects.filter(candidate=wang).exists()


def test_a_town_nominates_on_a_phone(page, live_server, demo, organizer, town1, shot):
    selection = make_selection(organizer, demo.campaign)
    _login(page, live_server, town1)
    page.goto(f"{live_server.url}/my/selections/{selection.pk}/new/")
    page.fill("input[name=name]", "张明")
    page.select_option("select[name=gender]", "男")
    page.fill("input[name=birth_date]", "1980-03-02")
    page.fill("input[name=work_unit]", "示例镇一农业技术推广站")
    page.fill("input[name=mobile]", "13905571234")
    page.fill("textarea[name=summary]", "扎根基层二十年。" * 40)  # 320 characters: over the limit
    assert "超出" in page.locator("textarea[name=summary] + .form-text").inner_text()
    page.fill("textarea[name=summary]", "扎根基层二十年，推广小麦绿色高产技术。")
    assert "已写 19 / 300 字" in page.locator("textarea[name=summary] + .form-text").inner_text()
    page.fill("textarea[name=deeds]", "二十年来走遍全镇每个村，推广小麦赤霉病综合防治技术。")
    page.click("button[name=submit]")  # the rules not confirmed: the field is named
    assert "请逐条确认推荐条件" in page.content()
    for box in page.locator("input[name=confirmed_rules]").all():
        box.check()
    shot(page, "selections-nomination-phone")
    page.click("button[name=submit]")
    page.wait_for_url(f"**/my/selections/{selection.pk}/")
    assert "张明" in page.content()
    assert Nomination.objects.get().status == Nomination.Status.SUBMITTED
