"""On a phone: an expert signs the pledge, scores a candidate with the sliders, submits and moves on."""

from __future__ import annotations

import pytest
from django.test import Client
from playwright.sync_api import expect

from sciweek.accounts.models import Profile
from sciweek.judging.models import Score
from sciweek.selections.services.review import review_assign, review_judge_create, review_open

from .factory import make_selection, shortlist

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_expert_scores_on_a_phone(page, live_server, demo, organizer, unit, shot):
    selection = make_selection(organizer, demo.campaign)
    li, wang = shortlist(selection, unit("县科协"), ["李华", "王芳"])
    review_open(actor=organizer, selection=selection)
    judge, _pw = review_judge_create(actor=organizer, selection=selection, username="zj-phone", name="高专家")
    Profile.objects.filter(user=judge.user).update(must_change_password=False)
    review_assign(actor=organizer, selection=selection)
    c = Client()
    c.force_login(judge.user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": c.cookies["sessionid"].value, "url": live_server.url}]
    )
    page.goto(f"{live_server.url}/selections/{selection.pk}/judge/")
    expect(page.locator("h1")).to_contain_text("评审承诺书")
    page.click("button[name=accept]")
    expect(page.locator(".list-group-item")).to_have_count(2)
    shot(page, "selections-judge-home-phone")
    page.locator(".list-group-item", has_text="李华").click()
    boxes = page.locator("input[type=number][data-weight]")
    expect(boxes).to_have_count(3)
    boxes.nth(0).fill("36")
    boxes.nth(1).fill("27")
    page.locator("input[type=range]").nth(2).fill("25.5")  # the slider fills its number box
    expect(boxes.nth(2)).to_have_value("25.5")
    expect(page.locator("#total")).to_have_text("88.5")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the score page scrolls sideways on a phone ({width}px)"
    shot(page, "selections-judge-score-phone")
    page.click("button[value=next]")
    expect(page.locator("h1")).to_contain_text("王芳")  # on to the next candidate
    score = Score.objects.get(assignment__item__object_id=li.pk)
    assert score.status == Score.Status.SUBMITTED and float(score.total) == 88.5
    assert not Score.objects.filter(assignment__item__object_id=wang.pk).exists()
    # The bureau's review page and the committee's ranking on a desktop.
    desk = page.context.browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    c.force_login(organizer)
    desk.add_cookies([{"name": "sessionid", "value": c.cookies["sessionid"].value, "url": live_server.url}])
    pg = desk.new_page()
    pg.goto(f"{live_server.url}/manage/selections/{selection.pk}/expert-review/")
    expect(pg.locator("body")).to_contain_text("高专家")
    shot(pg, "selections-expert-review-desktop")
    pg.goto(f"{live_server.url}/manage/selections/{selection.pk}/decide/")
    expect(pg.locator("#ranking")).to_contain_text("88.50")
    shot(pg, "selections-committee-desktop")
    desk.close()
