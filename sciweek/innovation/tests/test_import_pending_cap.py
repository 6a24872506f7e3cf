"""The enterprise import keeps its waiting workbook per user, under the one per-user cap on uploads waiting
at a preview (core.files.check_pending_cap), and a workbook left at the preview is removed once stale."""

from __future__ import annotations

import datetime as dt
import io
import os

import openpyxl
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from sciweek.core.cleanup import cleanup_uploads
from sciweek.core.files import human_size, pending_cap_bytes

from .conftest import make_code
from .test_import import HEAD

URL = "/innovation/enterprises/import/"


def _padded_xlsx(padding: int = 80_000) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(HEAD)
    ws.append(["泗县新星电子有限公司", make_code(31), "示例镇二", "39", "小型", "", "", ""])
    noise = wb.create_sheet("附注")
    for _ in range(padding // 100):
        noise.append([os.urandom(50).hex()])  # random hex: about half its length once zipped
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _upload(client, data: bytes):
    return client.post(URL, {"file": SimpleUploadedFile("企业名单.xlsx", data)})


def test_a_second_session_over_the_cap_is_refused_and_nothing_is_stored(
    client_for, organizer, town1, settings
):
    settings.SCIWEEK_IMPORT_PENDING_MB = 0.1  # ≈ 102 KB: one ~62 KB workbook fits, two do not
    cap = human_size(pending_cap_bytes())
    first, second = client_for(organizer), client_for(organizer)
    assert _upload(first, _padded_xlsx()).status_code == 302
    kept = first.session["innovation_import"]["name"]
    assert kept.startswith(f"imports/innovation/u{organizer.pk}/")
    # The same session uploading again replaces its own file: it does not count twice.
    assert _upload(first, _padded_xlsx()).status_code == 302
    assert not default_storage.exists(kept)
    kept = first.session["innovation_import"]["name"]
    r = _upload(second, _padded_xlsx())
    assert r.status_code == 200 and cap in r.content.decode() and "未确认的导入" in r.content.decode()
    _dirs, files = default_storage.listdir(f"imports/innovation/u{organizer.pk}")
    assert files == [kept.rsplit("/", 1)[-1]]


def test_a_workbook_left_at_the_preview_is_removed_once_stale(client_for, organizer, town1):
    c = client_for(organizer)
    assert _upload(c, _padded_xlsx(1_000)).status_code == 302
    name = c.session["innovation_import"]["name"]
    removed = cleanup_uploads(older_than=dt.timedelta(0))
    assert any(name in line for line in removed) and not default_storage.exists(name)
    # The file is gone, so the preview sends the user back to the upload.
    r = c.get(URL + "preview/")
    assert r.status_code == 302 and r.url.endswith(URL)
