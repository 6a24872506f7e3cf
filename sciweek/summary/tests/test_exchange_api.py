"""Importing filled tables through the API: upload → preview job → preview → confirm → commit job."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from sciweek.reports.models import ReportValue
from sciweek.reports.tests.test_exchange_roundtrip import fill

from .test_summary_api import token_client


@pytest.fixture
def sync_jobs(settings):
    settings.SCIWEEK_JOBS_SYNC = True


def test_it_imports_a_filled_table_by_script(sync_jobs, demo, unit, organizer):
    c = demo.campaign
    api = token_client("sx-kjj")
    browser = Client()  # the unit's blank template, as the organizer downloads it from the page
    browser.force_login(organizer)
    blank = browser.get(f"/reports/{c.pk}/exchange/units/{unit('县水利局').pk}.xlsx?template=blank")
    data = fill(b"".join(blank.streaming_content), {"events_held": 7, "fund_fiscal": 1.5})
    r = api.post(
        f"/api/v1/exchange/campaigns/{c.pk}/imports", {"files": [SimpleUploadedFile("水利局.xlsx", data)]}
    )
    assert r.status_code == 202, r.content
    token, job = r.json()["token"], r.json()["job"]
    assert api.get(f"/api/v1/summary/jobs/{job['id']}").json()["status"] == "done"
    preview = api.get(f"/api/v1/exchange/campaigns/{c.pk}/imports/{token}").json()
    assert preview["ready"] and preview["sheets"][0]["unit_name"] == "泗县水利局"
    changes = {ch["code"]: ch["after"] for ch in preview["sheets"][0]["changes"]}
    assert changes["events_held"] == "7次"
    assert not ReportValue.objects.filter(report__unit=unit("县水利局")).exists()  # nothing written yet
    # someone else's token: the upload is not theirs
    assert token_client("sz-kjj").get(f"/api/v1/exchange/campaigns/{c.pk}/imports/{token}").status_code == 404
    assert token_client("sx-qxj").post(
        f"/api/v1/exchange/campaigns/{c.pk}/imports", {"files": [SimpleUploadedFile("x.xlsx", data)]}
    ).status_code in (403, 404)
    r = api.post(
        f"/api/v1/exchange/campaigns/{c.pk}/imports/{token}/confirm",
        {"fingerprint": preview["fingerprint"]},
        content_type="application/json",
    )
    assert r.status_code == 202, r.content
    assert api.get(f"/api/v1/summary/jobs/{r.json()['id']}").json()["status"] == "done"
    stored = dict(ReportValue.objects.filter(report__unit=unit("县水利局")).values_list("row_code", "value"))
    assert stored["events_held"] == Decimal(7) and stored["fund_fiscal"] == Decimal("1.5")


def test_a_bad_file_is_refused_with_a_chinese_message(sync_jobs, demo):
    api = token_client("sx-kjj")
    r = api.post(
        f"/api/v1/exchange/campaigns/{demo.campaign.pk}/imports",
        {"files": [SimpleUploadedFile("表.xlsx", io.BytesIO(b"not a spreadsheet").getvalue())]},
    )
    if r.status_code == 202:  # refused while reading: the preview says which file and why
        preview = api.get(f"/api/v1/exchange/campaigns/{demo.campaign.pk}/imports/{r.json()['token']}").json()
        assert not preview["ready"] and preview["errors"]
    else:
        assert r.status_code == 400 and r.json()["detail"]["files"]
