"""The demo's part (泗县 sent up to the 宿州市 campaign beside two sample counties), and in Chromium on
a phone: the organizer edits the summary (a paragraph, a chart left out, stale version refused) and
downloads the Word file; the city reviews 泗县's send-up and returns it with a reason."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from docx import Document

from sciweek.campaigns.models import Campaign
from sciweek.demo.loader import load_demo
from sciweek.summary.demo import demo_summary
from sciweek.summary.models import SendUp, SummaryDraft


def _demo_with_summary():
    loaded = load_demo(full=False)
    demo_summary(loaded.context)
    return loaded


@pytest.mark.django_db
def test_the_demo_sends_sixian_up_beside_two_sample_counties():
    loaded = _demo_with_summary()
    city = Campaign.objects.get(title="2023年宿州市科技活动周")
    states = {s.region.name: s.status for s in SendUp.objects.filter(target=city)}
    assert states == {"泗县": "sent", "示例·灵璧县": "approved", "示例·砀山县": "sent"}
    assert SummaryDraft.objects.filter(campaign=loaded.campaign, unit=loaded.campaign.org_unit).exists()
    sixian = SendUp.objects.get(target=city, region__name="泗县")
    assert sixian.summary_file and int(sixian.table["events_held"]) > 0
    c = Client()
    c.force_login(get_user_model().objects.get(username="sz-kjj"))
    page = c.get(f"/summary/campaign/{city.pk}/received/").content.decode()
    assert "泗县" in page and "示例·灵璧县" in page and "示例·砀山县" in page


def _login(page, live_server, username: str) -> None:
    c = Client()
    c.force_login(get_user_model().objects.get(username=username))
    page.context.add_cookies(
        [{"name": "sessionid", "value": c.cookies["sessionid"].value, "url": live_server.url}]
    )


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_summary_editor_and_the_citys_review(live_server, page, shot):
    loaded = _demo_with_summary()
    campaign = loaded.campaign
    _login(page, live_server, "sx-kjj")
    page.goto(f"{live_server.url}/summary/campaign/{campaign.pk}/")
    page.wait_for_selector("#summary-form")
    shot(page, "summary-1-editor")
    first = page.locator("#blocks textarea").first
    first.fill("按照通知部署，泗县扎实开展了2023年科技活动周。（浏览器中修改）")
    page.locator("input[name=chart][value=funds]").uncheck()
    page.click("#save")
    page.wait_for_selector(".alert-success, .alert")
    draft = SummaryDraft.objects.get(campaign=campaign, unit=campaign.org_unit)
    assert (
        draft.blocks[0]["text"].endswith("（浏览器中修改）") and "funds" not in draft.charts and draft.edited
    )
    # a second tab with the old version is refused, nothing lost
    SummaryDraft.objects.filter(pk=draft.pk).update(version=draft.version + 1)
    page.locator("#blocks textarea").first.fill("这段不应保存")
    page.click("#save")
    page.wait_for_selector(".alert-danger, .alert-error, .alert-warning")
    assert "已被他人修改" in page.content()
    assert SummaryDraft.objects.get(pk=draft.pk).blocks[0]["text"].endswith("（浏览器中修改）")
    page.goto(f"{live_server.url}/summary/campaign/{campaign.pk}/")
    with page.expect_download() as dl:
        page.click("#dl-docx")
    doc = Document(str(dl.value.path()))
    assert "（浏览器中修改）" in "\n".join(p.text for p in doc.paragraphs)
    # the city
    city = Campaign.objects.get(title="2023年宿州市科技活动周")
    page.context.clear_cookies()
    _login(page, live_server, "sz-kjj")
    page.goto(f"{live_server.url}/summary/campaign/{city.pk}/received/")
    page.wait_for_selector("#queue")
    assert page.locator("[data-region]").count() == 3
    shot(page, "summary-2-city-queue")
    page.locator("[data-region='泗县'] a").click()
    page.wait_for_selector("#review")
    shot(page, "summary-3-city-review")
    page.fill("#reason", "请补充活动照片")
    page.click("#return")
    page.wait_for_selector("#status")
    assert page.inner_text("#status") == "已退回"
    assert SendUp.objects.get(target=city, region__name="泗县").reason == "请补充活动照片"
