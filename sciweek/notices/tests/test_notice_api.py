"""Notice import through the API: upload, read the fields, apply — updating the region's campaign of that
year or creating a separate one; nobody outside the region's organizers may."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import conftest
from sciweek.campaigns.models import Campaign
from sciweek.summary.tests.test_summary_api import token_client

from .notice_import_pages import seed_bytes


@pytest.fixture(autouse=True)
def _seed_path(monkeypatch):
    if not Path(conftest.SEED).exists():
        monkeypatch.setattr(conftest, "SEED", Path("/work/shared/seeds") / Path(conftest.SEED).name)


def test_it_imports_a_notice_by_script(demo):
    region = demo.campaign.org_unit
    Campaign.objects.filter(pk=demo.campaign.pk).update(theme="旧主题")
    api = token_client("sx-kjj")
    r = api.post("/api/v1/notices/imports", {"region_id": region.pk, "text": seed_bytes().decode()})
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["fields"]["title"] == "2023年泗县科技活动周" and body["fields"]["start_date"] == "2023-05-20"
    same = body["same_year"]
    assert [s["campaign_id"] for s in same] == [demo.campaign.pk]
    assert ["活动主题", "旧主题", "热爱科学 崇尚科学"] in same[0]["diff"]
    url = f"/api/v1/notices/imports/{body['token']}/apply"
    r = api.post(url, json.dumps({}), content_type="application/json")
    assert r.status_code == 400 and "请选择更新现有活动周" in json.dumps(r.json(), ensure_ascii=False)
    r = api.post(url, json.dumps({"identity": same[0]["identity"]}), content_type="application/json")
    assert r.status_code == 400 and "请核对将要更新的内容" in json.dumps(r.json(), ensure_ascii=False)
    assert same[0]["update"]["fields"] and same[0]["confirm"]
    r = api.post(
        url,
        json.dumps({"identity": same[0]["identity"], "confirm": same[0]["confirm"]}),
        content_type="application/json",
    )
    assert r.status_code == 200, r.content
    assert r.json()["campaign_id"] == demo.campaign.pk
    assert Campaign.objects.get(pk=demo.campaign.pk).theme == "热爱科学 崇尚科学"

    token = api.post(
        "/api/v1/notices/imports", {"region_id": region.pk, "text": seed_bytes().decode()}
    ).json()["token"]
    r = api.post(
        f"/api/v1/notices/imports/{token}/apply",
        json.dumps({"identity": "separate", "fields": {"title": "2023年泗县科技活动周（第二批）"}}),
        content_type="application/json",
    )
    assert r.status_code == 200, r.content
    assert Campaign.objects.filter(org_unit=region, year=2023).count() == 2
    assert (
        token_client("sx-qxj")
        .post("/api/v1/notices/imports", {"region_id": region.pk, "text": "x"})
        .status_code
        == 403
    )
    assert token_client("sz-kjj").get(f"/api/v1/notices/imports/{token}").status_code == 200  # the city above
