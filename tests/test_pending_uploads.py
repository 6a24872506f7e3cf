"""One cap per user on uploads waiting at an import preview (SCIWEEK_IMPORT_PENDING_MB), for every
import that keeps a preview: the statistics import (tests/test_security_low.py), the unit import and the
notice import. A user over the cap gets a Chinese message naming it and nothing is stored; another
session of the same user counts, another user does not; a file that yields nothing usable is not kept."""

from __future__ import annotations

import datetime as dt
import io
import os

import openpyxl
import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from sciweek.campaigns.models import NoticeImport
from sciweek.core.cleanup import cleanup_uploads
from sciweek.core.files import UploadLimitHandler, human_size, pending_cap_bytes
from sciweek.orgs.tests.xlsx_factory import GOOD_ROWS, filled_import_xlsx

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CAP_MB = 0.1  # ≈ 102 KB: two padded uploads of ~60 KB pass it


@pytest.fixture
def small_cap(settings):
    settings.SCIWEEK_IMPORT_PENDING_MB = CAP_MB
    return human_size(pending_cap_bytes())


def _units_xlsx(padding: int = 60_000) -> bytes:
    """The unit template, filled in, with a sheet of noise so that it weighs ~``padding`` bytes."""
    wb = openpyxl.load_workbook(io.BytesIO(filled_import_xlsx(GOOD_ROWS)))
    noise = wb.create_sheet("附注")
    for _ in range(padding // 100):
        noise.append([os.urandom(50).hex()])  # hex of random bytes: ~half its length once zipped
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _waiting(folder: str) -> list[str]:
    root = default_storage.path(folder)
    return [os.path.join(d, f) for d, _, files in os.walk(root) for f in files] if os.path.isdir(root) else []


def _upload_units(client, data: bytes):
    return client.post(reverse("orgs:import"), {"file": SimpleUploadedFile("单位名单.xlsx", data, XLSX)})


def test_the_unit_import_counts_every_session_of_a_user_against_the_cap(
    organizer, city, client_for, small_cap
):
    first, second = client_for(organizer), client_for(organizer)  # two sessions, one person
    assert _upload_units(first, _units_xlsx()).status_code == 302
    kept = first.session["orgs_import"]["name"]
    r = _upload_units(second, _units_xlsx())
    html = r.content.decode()
    assert r.status_code == 200 and f"每人上限 {small_cap}" in html and "请先确认或放弃之前的导入" in html
    assert "orgs_import" not in second.session
    assert _waiting("imports/orgs") == [default_storage.path(kept)]  # nothing half-written
    # The same session's new upload replaces its own waiting one, so it does not count twice.
    assert _upload_units(first, _units_xlsx()).status_code == 302
    assert len(_waiting("imports/orgs")) == 1 and not default_storage.exists(kept)
    # Another person's cap is their own.
    assert _upload_units(client_for(city), _units_xlsx()).status_code == 302
    # Once the first preview is committed or cancelled, the second session may upload.
    first.post(reverse("orgs:import_cancel"))
    assert _upload_units(second, _units_xlsx()).status_code == 302


def test_a_unit_workbook_without_rows_is_not_kept(organizer, client_for):
    wb = openpyxl.load_workbook(io.BytesIO(filled_import_xlsx([])))
    out = io.BytesIO()
    wb.save(out)
    client = client_for(organizer)
    html = _upload_units(client, out.getvalue()).content.decode()
    assert "「单位名单」中没有数据行" in html
    assert "orgs_import" not in client.session and _waiting("imports/orgs") == []


def test_stale_unit_uploads_in_a_users_folder_are_cleaned_up(organizer, client_for):
    client = client_for(organizer)
    assert _upload_units(client, filled_import_xlsx(GOOD_ROWS)).status_code == 302
    name = client.session["orgs_import"]["name"]
    old = (timezone.now() - dt.timedelta(days=2)).timestamp()
    os.utime(default_storage.path(name), (old, old))
    cleanup_uploads()
    assert not default_storage.exists(name) and _waiting("imports/orgs") == []


NOTICE = """关于举办2023年泗县科技活动周的通知
各乡镇人民政府，县直各单位：
经研究，定于2023年5月20日至27日举办2023年泗县科技活动周，主题为“热爱科学 崇尚科学”。
请各单位于5月30日前报送活动总结。
"""


def _notice(padding: int = 60_000) -> bytes:
    """A short notice with an appendix that makes it weigh ~``padding`` bytes."""
    return (NOTICE + ("\n附：说明" + "。" * 60) * (padding // 200)).encode()


def _upload_notice(client, data: bytes):
    return client.post(
        "/manage/notices/import/",
        {"file": SimpleUploadedFile("通知.txt", data), "close_of_business": "17:30"},
    )


def test_the_notice_import_counts_a_users_waiting_drafts_against_the_cap(
    organizer, city, client_for, small_cap
):
    client = client_for(organizer)
    assert _upload_notice(client, _notice()).status_code == 302
    assert NoticeImport.objects.count() == 1
    files = _waiting("notices")
    r = _upload_notice(client_for(organizer), _notice())
    html = r.content.decode()
    assert r.status_code == 400 and f"每人上限 {small_cap}" in html
    assert NoticeImport.objects.count() == 1 and _waiting("notices") == files  # nothing half-written
    # Pasted text stores no file and is not refused; another person has their own cap.
    r = client.post("/manage/notices/import/", {"text": NOTICE, "close_of_business": "17:30"})
    assert r.status_code == 302
    assert _upload_notice(client_for(city), _notice()).status_code == 302
    # A discarded draft no longer waits.
    token = NoticeImport.objects.filter(owner=organizer).exclude(source_file="").get().token
    assert client.post(f"/manage/notices/{token}/discard/").status_code == 302
    assert _upload_notice(client, _notice()).status_code == 302


def test_a_notice_without_text_is_not_kept(organizer, client_for):
    r = _upload_notice(client_for(organizer), b"\n  \n")
    assert r.status_code == 400 and "通知内容为空" in r.content.decode()
    assert not NoticeImport.objects.exists() and _waiting("notices") == []


def test_the_upload_limit_handler_lives_in_core_for_every_importer():
    from sciweek.notices.importing import views as notice_views
    from sciweek.reports.services import attachments

    assert notice_views.UploadLimitHandler is UploadLimitHandler is attachments.UploadLimitHandler
    assert UploadLimitHandler.__module__ == "sciweek.core.files.pending"
