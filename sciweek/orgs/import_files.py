"""Where the unit import's uploaded workbook waits between the preview and the commit.

One file per upload in imports/orgs/u<user id>/ (the folder counts against the user's cap on waiting
uploads, core.files.check_pending_cap), under a random name (core.files.save_upload_streamed); only the
uploader's session knows it. The commit job deletes it when done, a cancel deletes it at once; one
left at the preview is removed once stale (core.cleanup).
"""

from __future__ import annotations

import datetime as dt

from django.core.files.storage import default_storage

from sciweek.core.cleanup import delete_quietly, purge_user_folders

from .jobs import IMPORT_JOB  # the commit, which owns the file once it is queued

IMPORT_FOLDER = "imports/orgs"


def discard(name: str | None) -> None:
    delete_quietly(default_storage, name)


def purge_stale(*, before: dt.datetime) -> list[str]:
    """Uploads not touched since `before` that no queued or running commit still needs."""
    return purge_user_folders(
        storage=default_storage,
        folder=IMPORT_FOLDER,
        job_kind=IMPORT_JOB,
        label="单位名单导入",
        before=before,
    )
