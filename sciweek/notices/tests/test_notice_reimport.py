"""Importing the notice again for a region and year that already has a campaign: the organizer updates
the existing one (seeing the diff) or creates a clearly separate one; never a silent second campaign.
Commands then refuse the ambiguous year and list the candidates."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

import conftest
from sciweek.campaigns.models import Campaign

from .notice_import_pages import form_data
from .test_notice_import_flow import review_page


def confirm_code(response) -> str:
    """The digest the preview's 确认更新 button carries."""
    return re.search(r'name="confirm" value="(\w+)"', response.content.decode()).group(1)


@pytest.fixture(autouse=True)
def _seed_path(monkeypatch):
    """In a helper's worktree the seed lies beside the main checkout, not beside the worktree."""
    if not Path(conftest.SEED).exists():
        monkeypatch.setattr(conftest, "SEED", Path("/work/shared/seeds") / Path(conftest.SEED).name)


def test_reimport_offers_update_with_a_diff_or_a_separate_campaign(client_for, organizer, demo, tmp_path):
    Campaign.objects.filter(pk=demo.campaign.pk).update(theme="旧主题", contact_person="张三")
    c = client_for(organizer)
    url, html = review_page(c)
    assert 'id="identity"' in html and "泗县该年度已有活动周" in html
    assert "旧主题" in html and "热爱科学" in html  # the diff: now and after the update
    data = form_data(html)
    r = c.post(url, data)
    assert r.status_code == 400 and "请选择更新现有活动周，或另建一个标题不同的活动周" in r.content.decode()
    assert Campaign.objects.count() == 1
    r = c.post(url, {**data, "identity": "separate"})
    assert r.status_code == 400 and "另建活动周须使用与已有活动周不同的标题" in r.content.decode()
    assert Campaign.objects.count() == 1
    r = c.post(url, {**data, "identity": f"update:{demo.campaign.pk}"})  # the preview first
    assert r.status_code == 200 and 'id="update-preview"' in r.content.decode()
    assert Campaign.objects.get().theme == "旧主题"
    r = c.post(url, {**data, "identity": f"update:{demo.campaign.pk}", "confirm": confirm_code(r)})
    assert r.status_code == 302, r.content.decode()[:2000]
    campaign = Campaign.objects.get()
    assert campaign.theme != "旧主题" and "热爱科学" in campaign.theme and campaign.contact_person == "陈曦"

    url, html = review_page(c)
    data = form_data(html)
    data["title"] = "2023年泗县科技活动周（补充通知）"
    r = c.post(url, {**data, "identity": "separate"})
    assert r.status_code == 302, r.content.decode()[:2000]
    assert set(Campaign.objects.values_list("title", flat=True)) == {
        "2023年泗县科技活动周",
        "2023年泗县科技活动周（补充通知）",
    }
    with pytest.raises(CommandError) as err:
        call_command(
            "export_stats", "--campaign", "2023", "-o", str(tmp_path / "x.xlsx"), stdout=io.StringIO()
        )
    assert "2023年有2个活动周" in str(err.value)
    for pk in Campaign.objects.values_list("pk", flat=True):
        assert f"--campaign id:{pk}" in str(err.value)
    out = io.StringIO()
    call_command(
        "export_stats", "--campaign", f"id:{campaign.pk}", "-o", str(tmp_path / "x.xlsx"), stdout=out
    )
    assert "2023年泗县科技活动周" in out.getvalue()
