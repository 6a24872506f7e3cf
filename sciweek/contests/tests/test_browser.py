"""In Chromium on a phone-sized screen: a new judge signs the pledge, opens the queue, scores an entry
with a slider and a typed number (the total follows), is refused a score over the bound, submits with
"save & next", and the organizer's overview shows the progress."""

from __future__ import annotations

import pytest
from django.test import Client

from sciweek.contests.models import StageCode
from sciweek.contests.setup import judging_of
from sciweek.judging.models import Score

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _login(page, live_server, user) -> None:
    c = Client()
    c.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": c.cookies["sessionid"].value, "url": live_server.url}]
    )


def test_a_judge_scores_on_a_phone(live_server, page, shot, contest, judge_user, organizer):
    judge = judge_user.judge_seats.get()
    judge.pledge_accepted_at = None
    judge.save()
    _login(page, live_server, judge_user)
    page.goto(f"{live_server.url}/contests/{contest.pk}/judge/")
    assert "评审承诺书" in page.inner_text("main")
    shot(page, "contests-1-pledge")
    page.get_by_role("button", name="我已阅读并签署承诺").click()
    page.wait_for_selector(".list-group-item")
    shot(page, "contests-2-queue")
    final = judging_of(contest, StageCode.FINAL)
    open_item = page.locator("a.list-group-item:has(.badge:text-matches('未评|草稿'))").first
    open_item.click()
    # The slider and total are wired by judging/score.js; a slider moved before it ran moves nothing.
    page.wait_for_selector("#score-form[data-ready='1']")
    numbers = page.locator("#score-form input[type=number]")
    sliders = page.locator("#score-form input[type=range]")
    n = numbers.count()
    assert n >= 3
    # The slider moves the number and the total; typing moves the slider.
    sliders.nth(0).fill("20")
    assert numbers.nth(0).input_value() == "20"
    for i in range(1, n):
        numbers.nth(i).fill("10")
    total = page.inner_text("#total")
    assert float(total) > 0
    numbers.nth(0).fill("999")
    page.get_by_role("button", name="提交", exact=True).click()
    page.wait_for_selector(".text-danger")
    assert "应在 0 到" in page.inner_text("main")
    shot(page, "contests-3-bound")
    page.locator("#score-form input[type=number]").nth(0).fill("18.5")
    page.locator("#comment").fill("选题贴近生活，实验设计可再严谨。")
    shot(page, "contests-4-score")
    title = page.inner_text("h1")
    page.get_by_role("button", name="提交并评下一件").click()
    page.wait_for_load_state()
    assert "评分已提交" in page.inner_text("main")
    assert page.inner_text("h1") != title or "我的评审" in page.inner_text("main")
    shot(page, "contests-5-next")
    scored = Score.objects.filter(
        assignment__judge=judge, assignment__judging=final, comment__contains="选题贴近生活"
    )
    assert scored.get().status == "submitted"
    # The organizer's overview, on the same phone.
    page.context.clear_cookies()
    _login(page, live_server, organizer)
    page.goto(f"{live_server.url}/contests/{contest.pk}/")
    assert "陆文华" in page.inner_text("main")
    shot(page, "contests-6-organizer")


def test_the_organizer_nudges_a_late_judge_who_lands_on_the_judge_page(
    live_server, page, shot, contest, judge_user, organizer
):
    from sciweek.core.models import Notification

    judge = judge_user.judge_seats.get()
    _login(page, live_server, organizer)
    page.goto(f"{live_server.url}/contests/{contest.pk}/", wait_until="domcontentloaded", timeout=120_000)
    button = page.locator(f"button[data-nudge='{judge.pk}']").last
    button.scroll_into_view_if_needed()
    shot(page, "contests-7-late-judges-phone")
    with page.expect_navigation(wait_until="domcontentloaded", timeout=120_000):
        button.click()
    assert "已向评委催办" in page.inner_text("main")
    assert "已提醒" in page.inner_text("main")
    page.set_viewport_size({"width": 1280, "height": 900})
    shot(page, "contests-8-late-judges-desktop")
    assert Notification.objects.filter(user=judge_user, title__startswith="催办").exists()
    # The judge logs in and lands on their own page, not on the no-role page.
    page.context.clear_cookies()
    page.set_viewport_size({"width": 390, "height": 844})
    _login(page, live_server, judge_user)
    page.goto(f"{live_server.url}/home/", wait_until="domcontentloaded", timeout=120_000)
    page.wait_for_load_state()
    assert page.url.endswith(f"/contests/{contest.pk}/judge/")
    shot(page, "contests-9-judge-landing")


def test_the_organizer_can_adjust_an_award_on_a_phone(live_server, page, shot, contest, organizer):
    """The ranking's 调整 column squeezed the award select and the reason into a few pixels on a phone."""
    _login(page, live_server, organizer)
    page.goto(f"{live_server.url}/contests/{contest.pk}/ranking/")
    form = page.locator("tr[data-entry] form").first
    form.scroll_into_view_if_needed()
    assert form.locator('select[name="award"]').bounding_box()["width"] >= 120
    assert form.locator('input[name="reason"]').bounding_box()["width"] >= 120
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 1
    shot(page, "contests-ranking-adjust-phone")


def test_the_contest_figures_fit_a_phone_under_activity_3(live_server, page, shot, contest, organizer):
    activity = contest.campaign.activities.get(number=3)
    _login(page, live_server, organizer)
    page.goto(f"{live_server.url}/manage/campaigns/{contest.campaign_id}/activities/{activity.pk}/view/")
    panel = page.locator(".sw-activity-panel", has_text="青少年科技创新大赛报名情况")
    assert panel.count() == 1
    entries = contest.entries.exclude(status="draft").count()
    assert panel.locator("[data-figure=entries]").inner_text() == str(entries)
    assert panel.locator("[data-group]").count() >= 2
    # The tiles fit the 390 px screen; only the group table may scroll sideways, inside its own box.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    panel.scroll_into_view_if_needed()
    shot(page, "contests-activity-panel-phone")
    panel.get_by_role("link", name="打开大赛").click()
    page.wait_for_url(f"**/contests/{contest.pk}/")
