from __future__ import annotations

import io

from pypdf import PdfReader

from sciweek.materials.models import MediaOutlet, PublicitySubmission
from sciweek.orgs.models import StaffContact

from .helpers import approved_content


def test_it_edits_submits_and_reviews_publicity_through_the_api(
    client_for, qxj, town1, organizer, demo, unit
):
    qx = unit("县气象局")
    StaffContact.objects.create(unit=qx, name="王芳", mobile="13800001234")
    c, boss, other = client_for(qxj), client_for(organizer), client_for(town1)
    base = f"/api/v1/publicity/{demo.campaign.pk}/units/{qx.pk}"
    r = c.put(base, {"headline": "气象科普", "body": "正文"}, content_type="application/json")
    assert r.status_code == 200 and r.json()["status"] == "draft"
    v = r.json()["version"]
    assert (
        c.put(
            base, {"version": v - 1, "headline": "x", "body": "y"}, content_type="application/json"
        ).status_code
        == 409
    )
    assert (
        c.put(
            base, {"version": v, "headline": "x", "body": "<b>y</b>"}, content_type="application/json"
        ).status_code
        == 400
    )
    assert other.get(base).status_code == 404  # another unit's draft
    r = c.post(f"{base}/submit", {"version": v}, content_type="application/json")
    assert r.status_code == 400 and "images" in r.json()["detail"]
    assert c.get(base).json()["staff"][0]["mobile"] == "13800001234"

    sub = approved_content(demo.campaign, unit("县科协"), qxj, organizer)
    item = boss.get(f"/api/v1/publicity/items/{sub.pk}").json()
    assert item["status"] == "approved"
    sub_id = PublicitySubmission.objects.get(unit=qx).pk
    assert boss.get(f"/api/v1/publicity/items/{sub_id}").status_code == 404  # still a draft
    pdf = boss.get(f"/api/v1/publicity/items/{sub.pk}/board.pdf?size=xstand")
    page = PdfReader(io.BytesIO(b"".join(pdf.streaming_content))).pages[0]
    assert "县科协" in page.extract_text() or "科学技术协会" in page.extract_text()
    r = c.post(
        f"/api/v1/publicity/items/{sub.pk}/review",
        {"version": item["version"], "action": "return", "reason": "x"},
        content_type="application/json",
    )
    assert r.status_code in (403, 404)
    job = boss.post(
        f"/api/v1/publicity/{demo.campaign.pk}/boards", {"size": "rollup"}, content_type="application/json"
    ).json()
    assert job["status"] == "done"


def test_it_masks_staff_phones_for_a_co_organizer_without_need(client_for, xcb, qxj, organizer, demo, unit):
    sub = approved_content(demo.campaign, unit("县气象局"), qxj, organizer)
    r = client_for(xcb).get(f"/api/v1/publicity/items/{sub.pk}")
    assert r.status_code == 200 and r.json()["staff"][0]["mobile"] == "138****1234"
    assert (
        client_for(organizer).get(f"/api/v1/publicity/items/{sub.pk}").json()["staff"][0]["mobile"]
        == "13800001234"
    )


def test_it_runs_media_reports_through_the_api(client_for, qxj, town1, organizer, demo, unit):
    c, boss = client_for(qxj), client_for(organizer)
    cid = demo.campaign.pk
    o = c.post(
        f"/api/v1/media/{cid}/outlets",
        {"name": "泗县发布", "kind": "wechat"},
        content_type="application/json",
    ).json()
    body = {
        "outlet_id": o["id"],
        "title": "启动仪式",
        "published_on": "2023-05-20",
        "url": "https://a.example/1?utm_source=q",
    }
    r = c.post(f"/api/v1/media/{cid}/reports", body, content_type="application/json")
    assert r.status_code == 200
    rid, v = r.json()["id"], r.json()["version"]
    dup = c.post(
        f"/api/v1/media/{cid}/reports",
        body | {"url": "https://A.example/1/"},
        content_type="application/json",
    )
    assert dup.status_code == 400 and "已由" in str(dup.json()["detail"])
    assert client_for(town1).put(
        f"/api/v1/media/reports/{rid}", body, content_type="application/json"
    ).status_code in (403, 404)
    assert client_for(town1).get(f"/api/v1/media/{cid}/reports").json() == []
    assert (
        c.post(
            f"/api/v1/media/reports/{rid}/confirm", {"version": v}, content_type="application/json"
        ).status_code
        == 403
    )
    r = boss.post(f"/api/v1/media/reports/{rid}/confirm", {"version": v}, content_type="application/json")
    assert r.json()["status"] == "confirmed"
    assert c.delete(f"/api/v1/media/reports/{rid}?version={r.json()['version']}").status_code == 400
    assert MediaOutlet.objects.count() == 1
    n = c.get(f"/api/v1/campaigns/{cid}/notice").json()
    assert n["table_xlsx_url"].endswith("table.xlsx")
