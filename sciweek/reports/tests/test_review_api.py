"""/api/v1/reports review actions: the same rules as the pages (reason required, version checked, scope)."""

from __future__ import annotations

import pytest
from django.test import Client

from sciweek.accounts.services import token_create
from sciweek.core.models import Notification
from sciweek.reports.models import Report

from .report_files import complete, deadline_in, open_mine, report_of, submit

pytestmark = pytest.mark.django_db


def api(user) -> Client:
    _, raw = token_create(actor=user, user=user, name="测试")
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


def post(client, path, body):
    return client.post(f"/api/v1/reports/{path}", body, content_type="application/json")


@pytest.fixture
def submitted(demo, qxj, unit, client_for):
    deadline_in(demo.campaign, days=1)
    c = client_for(qxj)
    open_mine(c, demo.campaign)
    report = report_of(demo.campaign, unit("县气象局"))
    complete(c, report)
    submit(c, report)
    report.refresh_from_db()
    return report


def test_it_lists_the_queue_for_the_bureau_only(submitted, organizer, qxj, demo):
    rows = api(organizer).get(f"/api/v1/reports/campaigns/{demo.campaign.pk}/queue").json()
    assert rows[0]["unit_name"] == "泗县气象局" and rows[0]["state"] == "submitted"
    assert {r["state"] for r in rows[1:]} == {"missing"}
    only = api(organizer).get(f"/api/v1/reports/campaigns/{demo.campaign.pk}/queue?status=submitted").json()
    assert [r["report_id"] for r in only] == [submitted.pk]
    assert api(qxj).get(f"/api/v1/reports/campaigns/{demo.campaign.pk}/queue").status_code == 403


def test_it_returns_approves_and_reopens(submitted, organizer, xcb, qxj):
    org = api(organizer)
    r = post(org, f"{submitted.pk}/return", {"version": submitted.version, "reason": " "})
    assert r.status_code == 400 and r.json()["detail"] == {"reason": ["请填写退回原因"]}
    r = post(org, f"{submitted.pk}/return", {"version": submitted.version, "reason": "请补充活动照片"})
    assert r.status_code == 200 and r.json()["status"] == "returned"
    assert r.json()["return_reason"] == "请补充活动照片"
    assert Notification.objects.filter(unit=submitted.unit, body="退回原因：请补充活动照片").exists()

    unit = api(qxj)
    r = post(unit, f"{submitted.pk}/submit", {"version": r.json()["version"]})
    assert r.status_code == 200 and r.json()["status"] == "submitted"
    stale = r.json()["version"]
    r = post(org, f"{submitted.pk}/approve", {"version": stale})
    assert r.status_code == 200 and r.json()["status"] == "approved"
    r = post(org, f"{submitted.pk}/approve", {"version": stale})
    assert r.status_code == 409 and "状态：已通过" in r.json()["detail"]["version"][0]

    version = r.json()["current_version"]
    assert post(api(xcb), f"{submitted.pk}/reopen", {"version": version, "reason": "x"}).status_code == 403
    assert post(unit, f"{submitted.pk}/approve", {"version": version}).status_code == 403
    r = post(org, f"{submitted.pk}/reopen", {"version": version, "reason": "补充线上数据"})
    assert r.status_code == 200 and r.json()["status"] == "returned"
    assert [rev.action for rev in Report.objects.get(pk=submitted.pk).revisions.all()] == [
        "submit",
        "return",
        "submit",
        "approve",
        "reopen",
    ]


def test_it_refuses_review_actions_in_the_wrong_state(submitted, organizer):
    org = api(organizer)
    r = post(org, f"{submitted.pk}/reopen", {"version": submitted.version, "reason": "x"})
    assert r.status_code == 400 and "统计表当前状态为「已提交」，不能重新打开" in str(r.json())
