"""Import uploads left at the preview are removed once stale (files and rows), by `sciweek cleanup_uploads`
and whenever a new import starts; anything recent, committed or still needed by a job stays."""

from __future__ import annotations

import datetime as dt
import io
import os
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.utils import timezone

from sciweek.campaigns.models import Campaign, NoticeImport
from sciweek.core.models import AuditEvent, Job
from sciweek.notices.importing.services import notice_import_discard, notice_import_start
from sciweek.notices.tests.notice_import_pages import seed_bytes
from sciweek.orgs.tests.xlsx_factory import GOOD_ROWS, filled_import_xlsx
from sciweek.reports.tests.test_exchange_bad_files import reformatted_table

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DAY_AND_A_BIT = 25 * 3600


def media() -> Path:
    return Path(settings.MEDIA_ROOT)


def files_under(folder: str) -> set[str]:
    root = media() / folder
    return {str(p.relative_to(media())) for p in root.rglob("*") if p.is_file()} if root.exists() else set()


def age(path: Path, seconds: int = DAY_AND_A_BIT) -> None:
    """Make a real file (or every file of a folder) look last written `seconds` ago."""
    then = time.time() - seconds
    for p in [path, *path.rglob("*")] if path.is_dir() else [path]:
        os.utime(p, (then, then))


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("cleanup_uploads", *args, stdout=out)
    return out.getvalue()


def units_upload(client) -> str:
    """A unit list uploaded and left at the preview (each client has its own session, so its own file)."""
    data = filled_import_xlsx(GOOD_ROWS)
    r = client.post("/manage/units/import/", {"file": SimpleUploadedFile("名单.xlsx", data, XLSX)})
    assert r.status_code == 302, r.content.decode()[:500]
    return client.session["orgs_import"]["name"]


def stat_upload(client, campaign) -> str:
    """Statistics tables uploaded and read into a preview; the folder they wait in."""
    table = reformatted_table("单位（盖章）：泗县气象局", events=3)
    before = set(client.session.get("stat_imports", {}))
    r = client.post(f"/reports/{campaign.pk}/import/", {"files": [SimpleUploadedFile("气象局.xlsx", table)]})
    assert r.status_code == 302
    (token,) = set(client.session["stat_imports"]) - before
    return f"stat-imports/{token}"


def notice_upload(organizer, unit) -> NoticeImport:
    return notice_import_start(
        actor=organizer,
        region=unit("泗县"),
        upload=SimpleUploadedFile("通知.txt", seed_bytes()),
        close_of_business=dt.time(17, 30),
    )


def test_it_removes_stale_unit_list_uploads_and_keeps_recent_and_busy_ones(client_for, organizer):
    stale, busy, recent = (units_upload(client_for(organizer)) for _ in range(3))
    age(media() / stale)
    age(media() / busy)  # old, but its commit is queued: the job owns it now
    Job.objects.create(kind="orgs.units_import", params={"name": busy}, status=Job.Status.QUEUED)

    out = run()
    assert files_under("imports/orgs") == {recent, busy}
    assert f"单位名单导入 {stale}" in out and "共删除 1 项" in out


def test_it_removes_a_stale_statistics_preview_with_its_folder(client_for, organizer, demo):
    client = client_for(organizer)
    stale, recent = stat_upload(client, demo.campaign), stat_upload(client, demo.campaign)
    assert len(files_under(stale)) == 3  # the table, the manifest and the preview
    age(media() / stale)
    run("--older-than", "24")
    assert not (media() / stale).exists()
    assert len(files_under(recent)) == 3
    # The preview's page says so instead of failing.
    page = client.get(f"/reports/{demo.campaign.pk}/import/{stale.split('/')[1]}/")
    assert page.status_code == 404


def test_a_preview_touched_recently_or_read_by_a_job_is_kept(client_for, organizer, demo):
    client = client_for(organizer)
    busy, edited = stat_upload(client, demo.campaign), stat_upload(client, demo.campaign)
    age(media() / busy)
    Job.objects.create(
        kind="reports.import_commit", params={"token": busy.split("/")[1]}, status=Job.Status.RUNNING
    )
    age(media() / edited)
    token = edited.split("/")[1]
    client.post(f"/reports/{demo.campaign.pk}/import/{token}/", {"action": "save"})  # re-writes preview.json
    assert "共删除 0 项" in run()
    assert len(files_under(busy)) == 3 and len(files_under(edited)) == 3


def test_it_removes_stale_notice_drafts_and_discarded_imports_with_their_files(
    organizer, unit, demo, django_capture_on_commit_callbacks
):
    draft, dropped, recent, young_draft = (notice_upload(organizer, unit) for _ in range(4))
    notice_import_discard(actor=organizer, notice_import=dropped)
    old = timezone.now() - dt.timedelta(hours=25)
    NoticeImport.objects.filter(pk=dropped.pk).update(created_at=old)
    # a draft is listed for the organizer to come back to: kept a week, whatever --older-than says
    NoticeImport.objects.filter(pk=young_draft.pk).update(created_at=old)
    NoticeImport.objects.filter(pk=draft.pk).update(created_at=timezone.now() - dt.timedelta(days=8))
    orphan = media() / "notices/imports/orphan.txt"  # stored, but its row was never created
    orphan.write_bytes(b"x")
    age(orphan)
    kept_file = media() / recent.source_file.name
    age(kept_file)  # an old file, but its import is recent

    with django_capture_on_commit_callbacks(execute=True):  # files go once the rows' deletion commits
        out = run()
    assert set(NoticeImport.objects.values_list("pk", flat=True)) == {recent.pk, young_draft.pk}
    assert files_under("notices") == {recent.source_file.name, young_draft.source_file.name}
    assert "通知导入" in out and "通知原件 notices/imports/orphan.txt" in out
    events = AuditEvent.objects.filter(action="notice_import.cleanup")
    assert sorted(e.object_id for e in events) == sorted([str(draft.pk), str(dropped.pk)])
    assert {e.actor_name for e in events} == {"系统清理"}


def test_a_campaign_made_from_a_notice_keeps_the_original(organizer, unit, demo, client_for):
    imp = notice_upload(organizer, unit)
    NoticeImport.objects.filter(pk=imp.pk).update(status=NoticeImport.Status.CREATED, campaign=demo.campaign)
    Campaign.objects.filter(pk=demo.campaign.pk).update(notice_file=imp.source_file.name)
    NoticeImport.objects.filter(pk=imp.pk).update(created_at=timezone.now() - dt.timedelta(days=30))
    age(media() / imp.source_file.name, 30 * 86400)
    assert "共删除 0 项" in run()
    assert NoticeImport.objects.filter(pk=imp.pk).exists()
    assert files_under("notices") == {imp.source_file.name}


def test_a_new_import_clears_what_is_stale(
    client_for, organizer, unit, demo, django_capture_on_commit_callbacks
):
    stale_notice = notice_upload(organizer, unit)
    stale_stats = stat_upload(client_for(organizer), demo.campaign)
    notice_import_discard(actor=organizer, notice_import=stale_notice)
    NoticeImport.objects.filter(pk=stale_notice.pk).update(created_at=timezone.now() - dt.timedelta(hours=25))
    age(media() / stale_notice.source_file.name)
    age(media() / stale_stats)

    with django_capture_on_commit_callbacks(execute=True):
        units_upload(client_for(organizer))  # any new import preview runs the same clean-up
    assert not (media() / stale_stats).exists()
    assert not NoticeImport.objects.filter(pk=stale_notice.pk).exists()
    assert files_under("notices") == set()


def test_it_refuses_an_age_that_would_catch_uploads_being_previewed(db):
    with pytest.raises(CommandError, match="至少为 1 小时"):
        run("--older-than", "0")
