"""Where the enterprise import's workbook waits between the preview and the commit job.

One file per upload in imports/innovation/u<user id>/, so a user's waiting files count against the one
per-user cap on waiting uploads (core.files.check_pending_cap) however many sessions they open; the
commit job deletes it when done, a cancel at once, and one left at the preview is removed once stale
(core.cleanup), unless a queued or running commit still needs it.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.core.files.storage import default_storage

from sciweek.core.cleanup import modified_before, remove_empty_folder
from sciweek.core.files import (
    StoredUpload,
    check_pending_cap,
    save_upload_streamed,
    user_folder,
    waiting_bytes,
)
from sciweek.core.models import Job

from .importer import FIELD_LABEL
from .jobs import IMPORT_JOB

logger = logging.getLogger(__name__)
FOLDER = "imports/innovation"
MAX_BYTES = 20 * 1024 * 1024


def discard(name: str | None) -> None:
    if name:
        try:
            default_storage.delete(name)
        except OSError:
            logger.warning("could not delete import upload %s", name, exc_info=True)


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
        field_label=FIELD_LABEL,
    )


def purge_stale(*, before: dt.datetime) -> list[str]:
    """Waiting workbooks not touched since ``before`` that no queued or running commit still needs."""
    try:
        folders, files = default_storage.listdir(FOLDER)
    except (OSError, NotImplementedError):  # nothing uploaded yet
        return []
    names = [f"{FOLDER}/{name}" for name in files]  # kept before the per-user folders
    for folder in folders:
        try:
            names += [
                f"{FOLDER}/{folder}/{name}" for name in default_storage.listdir(f"{FOLDER}/{folder}")[1]
            ]
        except (OSError, NotImplementedError):
            continue
    busy = set(
        Job.objects.filter(kind=IMPORT_JOB, status__in=[Job.Status.QUEUED, Job.Status.RUNNING]).values_list(
            "params__name", flat=True
        )
    )
    removed = []
    for name in names:
        if name not in busy and modified_before(default_storage, name, before):
            discard(name)
            removed.append(f"企业名单导入 {name}")
    for folder in folders:
        remove_empty_folder(default_storage, f"{FOLDER}/{folder}")
    return removed
