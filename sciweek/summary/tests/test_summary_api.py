"""The API a bureau scripts: roll-up with the page's totals, the summary (draft, edit with version,
render job), send-up and review with scopes, the audit log, and `sciweek api_token`."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from django.test import Client
from docx import Document

from sciweek.orgs.models import Role, UnitKind
from sciweek.reports.rollup import rollup
from sciweek.reports.tests.stats_data import add_unit, campaign_for, user_with
from sciweek.summary.data import num

from .summary_data import fill_county


def token_client(username: str) -> Client:
    out, err = io.StringIO(), io.StringIO()
    call_command("api_token", username, stdout=out, stderr=err)
    raw = out.getvalue().strip()
    assert raw.startswith("sw_") and "只显示这一次" in err.getvalue()
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


@pytest.fixture
def setup(demo, unit, settings):
    settings.SCIWEEK_JOBS_SYNC = True
    type(demo.campaign).objects.filter(pk=demo.campaign.pk).update(status="reporting")  # 总结上报
    demo.campaign.refresh_from_db()
    fill_county(demo.campaign, [unit("县气象局"), unit("县科协")])
    city = demo.campaign.org_unit.get_parent()
    return campaign_for(city, 2023, "2023年宿州市科技活动周")


def test_rollup_summary_and_render_job(setup, demo, organizer):
    api = token_client("sx-kjj")
    c = demo.campaign
    r = api.get(f"/api/v1/summary/campaigns/{c.pk}/rollup?approved_only=true")
    assert r.status_code == 200
    page_totals = rollup(year=2023, root=c.org_unit, approved_only=True, depth=1)[c.org_unit.code]
    assert r.json()["node"]["totals"] == {k: num(v) for k, v in page_totals.items()}
    assert r.json()["node"]["approved"] == 2
    assert api.get(f"/api/v1/summary/campaigns/{c.pk}/summary").status_code == 404
    d = api.post(f"/api/v1/summary/campaigns/{c.pk}/summary/generate").json()
    assert d["version"] == 1 and any("共举办科普活动" in b["text"] for b in d["blocks"])
    body = {
        "version": 1,
        "title": "泗县2023年科技活动周工作总结（定稿）",
        "blocks": [{"style": "p", "text": "改写后的正文。"}],
    }
    r = api.put(
        f"/api/v1/summary/campaigns/{c.pk}/summary", json.dumps(body), content_type="application/json"
    )
    assert r.status_code == 200 and r.json()["version"] == 2 and r.json()["edited"]
    r = api.put(
        f"/api/v1/summary/campaigns/{c.pk}/summary", json.dumps(body), content_type="application/json"
    )
    assert r.status_code == 409  # stale version
    job = api.post(f"/api/v1/summary/campaigns/{c.pk}/summary/render?format=docx").json()
    polled = api.get(f"/api/v1/summary/jobs/{job['id']}").json()
    assert polled["status"] == "done" and polled["download_url"]
    doc = Document(io.BytesIO(b"".join(api.get(polled["download_url"]).streaming_content)))
    assert doc.paragraphs[0].text == "泗县2023年科技活动周工作总结（定稿）"
    assert "改写后的正文。" in [p.text for p in doc.paragraphs]
    exp = api.post(
        f"/api/v1/summary/campaigns/{c.pk}/exports",
        json.dumps({"kind": "workbook"}),
        content_type="application/json",
    ).json()
    assert api.get(f"/api/v1/summary/jobs/{exp['id']}").json()["status"] == "done"


def test_sendup_through_the_api_with_scopes(setup, demo, unit, organizer, qxj, city):
    c = demo.campaign
    assert (
        token_client("sx-qxj")
        .post(f"/api/v1/summary/campaigns/{c.pk}/sendups", "{}", content_type="application/json")
        .status_code
        == 403
    )
    api = token_client("sx-kjj")
    r = api.post(
        f"/api/v1/summary/campaigns/{c.pk}/sendups",
        json.dumps({"note": "请审核"}),
        content_type="application/json",
    )
    assert r.status_code == 201, r.content
    sid = r.json()["id"]
    assert r.json()["table"]["events_held"] == num(6 + 12)
    other = add_unit(setup.org_unit, "灵璧县", "341323", kind=UnitKind.COUNTY)
    user_with("lb-kjj", other, Role.ORGANIZER)
    assert token_client("lb-kjj").get(f"/api/v1/summary/sendups/{sid}").status_code == 404
    assert (
        api.post(
            f"/api/v1/summary/sendups/{sid}/review",
            json.dumps({"action": "approve"}),
            content_type="application/json",
        ).status_code
        == 403
    )
    city_api = token_client("sz-kjj")
    queue = city_api.get(f"/api/v1/summary/campaigns/{setup.pk}/received").json()
    assert [q["region_name"] for q in queue] == ["泗县"]
    r = city_api.post(
        f"/api/v1/summary/sendups/{sid}/review",
        json.dumps({"action": "return", "reason": ""}),
        content_type="application/json",
    )
    assert r.status_code == 400 and "退回原因" in r.json()["detail"]["reason"][0]
    r = city_api.post(
        f"/api/v1/summary/sendups/{sid}/review",
        json.dumps({"action": "return", "reason": "请补充照片"}),
        content_type="application/json",
    )
    assert r.json()["status"] == "returned"
    assert api.get(f"/api/v1/summary/campaigns/{c.pk}/sendups").json()[0]["reason"] == "请补充照片"
    log = api.get("/api/v1/summary/audit?action=sendup").json()
    assert {e["action"] for e in log} >= {"sendup.send", "sendup.return"}
    assert token_client("sx-qxj").get("/api/v1/summary/audit").status_code == 403
