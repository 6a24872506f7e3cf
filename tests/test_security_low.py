"""The review's low findings: job results re-check scope and expire; abandoned import previews keep no
useless bytes and are capped per user."""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import zipfile

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from sciweek.core.files import UploadRejected
from sciweek.core.jobs import job_start, purge_job_results
from sciweek.core.models import Job
from sciweek.orgs.models import Membership
from sciweek.reports import import_store
from sciweek.reports.tests.stats_data import put_report

pytestmark = pytest.mark.django_db


def _export(c, campaign) -> int:
    r = c.post(f"/reports/{campaign.pk}/exchange/export/", {"kind": "workbook", "scope": "all"}, follow=True)
    return int(re.search(r"/jobs/(\d+)/download/", r.content.decode())[1])


def test_a_result_file_is_refused_once_the_owner_lost_the_role(organizer, demo, unit, client_for):
    put_report(demo.campaign, unit("县气象局"), {"events_held": 3}, status="approved")
    c = client_for(organizer)
    job_id = _export(c, demo.campaign)
    assert c.get(f"/jobs/{job_id}/download/").status_code == 200
    Membership.objects.filter(user=organizer).delete()
    assert c.get(f"/jobs/{job_id}/download/").status_code == 404
    assert c.get(f"/jobs/{job_id}/").status_code == 404


def test_a_result_file_expires(organizer, demo, unit, client_for, settings):
    settings.SCIWEEK_JOB_RESULT_DAYS = 7
    put_report(demo.campaign, unit("县气象局"), {"events_held": 3}, status="approved")
    c = client_for(organizer)
    job_id = _export(c, demo.campaign)
    job = Job.objects.get(pk=job_id)
    path = job.result_file.path
    Job.objects.filter(pk=job_id).update(finished_at=timezone.now() - dt.timedelta(days=8))
    assert c.get(f"/jobs/{job_id}/download/").status_code == 410
    assert any(f"job {job_id}" in line for line in purge_job_results())
    assert not os.path.exists(path) and not Job.objects.get(pk=job_id).result_file


def _noise_zip(size: int) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as zf:
        zf.writestr("说明.txt", os.urandom(size))
    return buf.getvalue()


def test_pending_import_bytes_are_capped_per_user(organizer, xcb, demo, settings):
    settings.SCIWEEK_IMPORT_PENDING_MB = 1
    first = SimpleUploadedFile("a.zip", _noise_zip(600_000))
    import_store.store_uploads(
        token=import_store.new_token(), uploads=[first], owner_id=organizer.pk, campaign_id=demo.campaign.pk
    )
    assert import_store.pending_bytes(organizer.pk) > 600_000
    with pytest.raises(UploadRejected) as exc:
        import_store.store_uploads(
            token=import_store.new_token(),
            uploads=[SimpleUploadedFile("b.zip", _noise_zip(600_000))],
            owner_id=organizer.pk,
            campaign_id=demo.campaign.pk,
        )
    assert "未确认的导入" in exc.value.message
    # Someone else's quota is their own.
    import_store.store_uploads(
        token=import_store.new_token(),
        uploads=[SimpleUploadedFile("c.zip", _noise_zip(600_000))],
        owner_id=xcb.pk,
        campaign_id=demo.campaign.pk,
    )


def test_an_upload_that_yields_nothing_usable_is_not_kept(organizer, demo):
    token = import_store.new_token()
    manifest = import_store.store_uploads(
        token=token,
        uploads=[SimpleUploadedFile("无表格.zip", _noise_zip(10_000))],
        owner_id=organizer.pk,
        campaign_id=demo.campaign.pk,
    )
    stored = manifest["files"][0]["stored"]
    assert default_storage.exists(stored)
    job = job_start(
        kind=import_store.IMPORT_PREVIEW,
        params={"campaign_id": demo.campaign.pk, "token": token},
        owner=organizer,
    )
    job.refresh_from_db()
    assert job.status == Job.Status.DONE, job.message
    assert not default_storage.exists(stored)
    preview = import_store.read_json(token, "preview.json")
    assert preview["files"] and preview["files"][0]["sheets"] == []  # the reason stays on the preview
    assert import_store.pending_bytes(organizer.pk) == 0
