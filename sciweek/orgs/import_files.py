"""Where the unit import's uploaded workbook waits between the preview and the commit.

One file per upload in imports/orgs/u<user id>/ (the folder counts against the user's cap on waiting
uploads, core.files.check_pending_cap), under a random name (core.files.save_upload_streamed); only the
uploader's session knows it. The commit job deletes it when done, a cancel deletes it at once; one
left at the preview is removed once stale (core.cleanup).
"""

from __future__ import annotations

import datetime as dt
import logging

from django.core.files.storage import default_storage

from sciweek.core.cleanup import modified_before, remove_empty_folder
from sciweek.core.models import Job

from .jobs import IMPORT_JOB  # the commit, which owns the file once it is queued

logger = logging.getLogger(__name__)
IMPORT_FOLDER = "imports/orgs"


def discard(name: str | None) -> None:
    if name:
        try:
            default_storage.delete(name)
        except OSError:
            logger.warning("could not delete import upload %s", name, exc_info=True)


def purge_stale(*, before: dt.datetime) -> list[str]:
    """Uploads not touched since `before` that no queued or running commit still needs."""
    try:
        folders, files = default_storage.listdir(IMPORT_FOLDER)
    except (OSError, NotImplementedError):  # no upload yet
        return []
    names = [f"{IMPORT_FOLDER}/{file}" for file in files]  # uploads kept before the per-user folders
    for folder in folders:
        try:
            names += [
                f"{IMPORT_FOLDER}/{folder}/{file}"
                for file in default_storage.listdir(f"{IMPORT_FOLDER}/{folder}")[1]
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
            removed.append(f"单位名单导入 {name}")
    for folder in folders:
        remove_empty_folder(default_storage, f"{IMPORT_FOLDER}/{folder}")
    return removed
