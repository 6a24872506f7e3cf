"""Where the enterprise import's workbook waits between the preview and the commit job.

One file per upload in imports/innovation/u<user id>/, so a user's waiting files count against the one
per-user cap on waiting uploads (core.files.check_pending_cap) however many sessions they open; the
commit job deletes it when done, a cancel at once, and one left at the preview is removed once stale
(core.cleanup), unless a queued or running commit still needs it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.files.storage import default_storage

from sciweek.core.cleanup import delete_quietly, purge_user_folders
from sciweek.core.files import (
    StoredUpload,
    check_pending_cap,
    save_upload_streamed,
    user_folder,
    waiting_bytes,
)

from .importer import FIELD_LABEL
from .jobs import IMPORT_JOB

FOLDER = "imports/innovation"
MAX_BYTES = 20 * 1024 * 1024


def discard(name: str | None) -> None:
    delete_quietly(default_storage, name)


def store_upload(*, upload: Any, user_id: int | None, replacing: str | None) -> StoredUpload:
    """Keep the workbook for its preview; refused (UploadRejected) over the per-user cap or the size."""
    folder = user_folder(FOLDER, user_id)
    check_pending_cap(
        pending=waiting_bytes(default_storage, folder, replacing=replacing), incoming=upload.size or 0
    )
    return save_upload_streamed(
        upload,
        storage=default_storage,
        folder=folder,
        max_bytes=MAX_BYTES,
        allowed_kinds={"xlsx"},
        field_label=str(FIELD_LABEL),
    )


def purge_stale(*, before: dt.datetime) -> list[str]:
    """Waiting workbooks not touched since ``before`` that no queued or running commit still needs."""
    return purge_user_folders(
        storage=default_storage, folder=FOLDER, job_kind=IMPORT_JOB, label="企业名单导入", before=before
    )
