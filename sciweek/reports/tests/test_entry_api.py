"""/api/v1/reports: a unit's values with version checks, submit, attachments — with a personal token."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client

from sciweek.accounts.services import token_create
from sciweek.reports.models import Report, ReportAttachment

from .report_files import VALID, deadline_in, docx_bytes, mp4_bytes, pdf_bytes, png_bytes, upload

pytestmark = pytest.mark.django_db


def api(user) -> Client:
    _, raw = token_create(actor=user, user=user, name="测试")
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


def put(client, report_id, version, values):
    return client.put(
        f"/api/v1/reports/{report_id}/values",
        {"version": version, "values": values},
        content_type="application/json",
    )


@pytest.fixture
def unit_api(demo, qxj):
    c = api(qxj)
    r = c.get(f"/api/v1/reports/campaigns/{demo.campaign.pk}/mine")
    assert r.status_code == 200, r.content
    return c, r.json()


def test_it_reads_and_writes_values_with_the_version(unit_api):
    c, report = unit_api
    assert report["unit_name"] == "泗县气象局" and report["version"] == 1 and report["editable"]
    assert [v["code"] for v in report["values"]][:2] == ["events_held", "fund_fiscal"]
    r = put(
        c,
        report["id"],
        1,
        {
            "events_held": {"value": 12},
            "fund_fiscal": {"value": "3.5"},
            "fund_other": {"not_applicable": True},
        },
    )
    assert r.status_code == 200, r.content
    data = r.json()
    assert data["version"] == 2
    cells = {v["code"]: v for v in data["values"]}
    assert cells["events_held"]["value"] == "12" and cells["fund_fiscal"]["value"] == "3.5"
    assert cells["fund_other"]["not_applicable"] and cells["fund_other"]["value"] is None


def test_it_answers_409_with_the_rows_that_changed(unit_api):
    c, report = unit_api
    put(c, report["id"], 1, {"staff_volunteers": {"value": "30"}})
    r = put(c, report["id"], 1, {"events_held": {"value": "5"}})
    assert r.status_code == 409
    assert r.json()["changed"] == ["招募科技志愿者数量"] and r.json()["current_version"] == 2
    assert "统计表已被其他人修改（您打开的是第1版，现在是第2版）" in r.json()["detail"]["version"][0]
    assert not Report.objects.get(pk=report["id"]).values.filter(row_code="events_held").exists()


def test_it_answers_400_per_row_and_saves_nothing(unit_api):
    c, report = unit_api
    r = put(
        c,
        report["id"],
        1,
        {"events_held": {"value": "12"}, "fund_fiscal": {"value": "-1"}, "nonsense": {"value": "1"}},
    )
    assert r.status_code == 400
    detail = r.json()["detail"]
    assert detail["fund_fiscal"] == ["「县级(单位)财政经费投入情况」不能为负数，收到 -1"]
    assert detail["__all__"] == ["统计表中没有代码为「nonsense」的指标"]
    assert not Report.objects.get(pk=report["id"]).values.exists()
    r = put(c, report["id"], "x", {})
    assert r.status_code == 400 and "version" in r.json()["detail"]


def test_it_uploads_checks_and_submits(unit_api, demo, settings):
    c, report = unit_api
    deadline_in(demo.campaign, days=1)
    values = {code: {"value": value} for code, value in VALID.items()}
    assert put(c, report["id"], 1, values).status_code == 200
    url = f"/api/v1/reports/{report['id']}/attachments"
    r = c.post(f"{url}?kind=video", {"file": _file("v.mp4", mp4_bytes(200))})
    assert r.status_code == 400 and "视频时长 3分20秒，超过上限 3分钟" in r.json()["detail"]["video"][0]
    r = c.post(f"{url}?kind=photo", {"file": _file("photo.xlsx", pdf_bytes())})
    assert r.status_code == 400 and "检测到 PDF 内容" in r.json()["detail"]["photo"][0]
    settings.SCIWEEK_REPORT_UPLOAD_MB = {"photo": 1}
    r = c.post(f"{url}?kind=photo", {"file": _file("big.png", png_bytes() + b"\0" * (3 * 1024 * 1024))})
    assert r.status_code == 400 and r.json()["detail"]["photo"] == ["「活动照片」文件过大：超过上限 1 MB"]

    r = c.post(f"/api/v1/reports/{report['id']}/submit", {"version": 2}, content_type="application/json")
    assert r.status_code == 400 and r.json()["detail"]["attachments"] == [
        "请上传「活动总结」、「盖章统计表」后再提交"
    ]
    assert c.post(f"{url}?kind=summary", {"file": _file("总结.docx", docx_bytes())}).status_code == 201
    r = c.post(f"{url}?kind=stamped", {"file": _file("盖章.pdf", pdf_bytes())})
    assert r.status_code == 201 and r.json()["kind_label"] == "盖章统计表"
    video = c.post(f"{url}?kind=video", {"file": _file("v.mp4", mp4_bytes(30))}).json()
    assert video["duration"] == "30秒"
    assert len(c.get(url).json()) == 3
    assert c.get(video["download_url"]).status_code == 200

    r = c.post(f"/api/v1/reports/{report['id']}/submit", {"version": 2}, content_type="application/json")
    assert r.status_code == 200, r.content
    assert r.json()["status"] == "submitted" and not r.json()["editable"] and not r.json()["is_late"]
    r = c.delete(f"{url}/{video['id']}")
    assert r.status_code == 400 and "统计表已提交，不能修改" in str(r.json())
    assert ReportAttachment.objects.count() == 3


def test_it_keeps_each_unit_to_its_own_report(unit_api, town1, organizer):
    _, report = unit_api
    other = api(town1)
    assert other.get(f"/api/v1/reports/{report['id']}").status_code == 404
    assert put(other, report["id"], 1, {"events_held": {"value": "1"}}).status_code == 404
    assert (
        other.post(
            f"/api/v1/reports/{report['id']}/attachments?kind=photo", {"file": _file("p.png", png_bytes())}
        ).status_code
        == 404
    )
    assert put(api(organizer), report["id"], 1, {"events_held": {"value": "1"}}).status_code == 403
    assert api(organizer).get(f"/api/v1/reports/{report['id']}").json()["editable"] is False
    assert Client().get(f"/api/v1/reports/{report['id']}").status_code == 401


def _file(name: str, data: bytes):
    return upload(name, data)


def _attach_required(c, report_id):
    url = f"/api/v1/reports/{report_id}/attachments"
    assert c.post(f"{url}?kind=summary", {"file": _file("总结.docx", docx_bytes())}).status_code == 201
    assert c.post(f"{url}?kind=stamped", {"file": _file("盖章.pdf", pdf_bytes())}).status_code == 201


def submit(client, report_id, version, values=None):
    body = {"version": version} if values is None else {"version": version, "values": values}
    return client.post(f"/api/v1/reports/{report_id}/submit", body, content_type="application/json")


def test_it_saves_the_values_and_submits_them_in_one_call(unit_api, demo):
    from sciweek.core.models import AuditEvent
    from sciweek.reports.models import ReportRevision, ReportValueChange

    c, report = unit_api
    deadline_in(demo.campaign, days=1)
    _attach_required(c, report["id"])
    r = submit(c, report["id"], 1, {code: {"value": value} for code, value in VALID.items()})
    assert r.status_code == 200, r.content
    data = r.json()
    assert data["status"] == "submitted" and data["version"] == 3 and not data["editable"]
    assert {v["code"]: v["value"] for v in data["values"]}["fund_fiscal"] == "3.5"
    stored = Report.objects.get(pk=report["id"])
    assert {v.row_code: v.value for v in stored.values.all()} == {c: Decimal(v) for c, v in VALID.items()}
    assert stored.totals.split("|")[1]  # the roll-up's text written in the same transaction
    # The history is as if the unit had saved and then submitted: change rows, one revision, both audits.
    assert ReportValueChange.objects.filter(report=stored, version=2).count() == len(VALID)
    revision = ReportRevision.objects.get(report=stored)
    assert (revision.number, revision.action, revision.values["fund_fiscal"]["v"]) == (1, "submit", "3.5")
    actions = list(AuditEvent.objects.filter(object_id=str(stored.pk)).values_list("action", flat=True))
    assert "report.values" in actions and "report.submit" in actions


def test_a_refused_submission_with_values_saves_none_of_them(unit_api, demo):
    c, report = unit_api
    deadline_in(demo.campaign, days=1)
    _attach_required(c, report["id"])
    incomplete = {code: {"value": value} for code, value in VALID.items() if code != "events_held"}
    r = submit(c, report["id"], 1, incomplete)
    assert r.status_code == 400 and "events_held" in r.json()["detail"]
    bad = {**incomplete, "events_held": {"value": "-3"}}
    r = submit(c, report["id"], 1, bad)
    assert r.status_code == 400 and "不能为负数" in r.json()["detail"]["events_held"][0]
    stored = Report.objects.get(pk=report["id"])
    assert (stored.status, stored.version, stored.values.count(), stored.totals) == ("draft", 1, 0, "")
    assert not stored.revisions.exists()


def test_a_submission_with_values_meets_the_version_check(unit_api, demo):
    c, report = unit_api
    deadline_in(demo.campaign, days=1)
    _attach_required(c, report["id"])
    assert put(c, report["id"], 1, {"staff_volunteers": {"value": "31"}}).status_code == 200
    r = submit(c, report["id"], 1, {code: {"value": value} for code, value in VALID.items()})
    assert r.status_code == 409 and r.json()["changed"] == ["招募科技志愿者数量"]
    stored = Report.objects.get(pk=report["id"])
    assert stored.status == "draft" and stored.values.get().row_code == "staff_volunteers"
    r = submit(c, report["id"], 2, {code: {"value": value} for code, value in VALID.items()})
    assert r.status_code == 200 and r.json()["status"] == "submitted"
