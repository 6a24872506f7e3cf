"""Import uploads nobody committed are removed after a while.

Each import keeps its upload between the preview and the commit: the unit list in imports/orgs/,
the statistics tables in stat-imports/<token>/, a notice as a NoticeImport row and its file. A
preview left alone (the browser closed, the organizer gave up) would otherwise stay in media for
good. Each of those stores says what in it is stale (untouched for the given time, and nothing a
queued or running job still needs) and removes it; this module runs them all, from
`sciweek cleanup_uploads` and, cheaply, whenever a new import preview starts.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import os

from django.core.files.storage import Storage
from django.utils import timezone
from django.utils.module_loading import import_string

log = logging.getLogger("sciweek.uploads")

DEFAULT_AGE = dt.timedelta(hours=24)
# Each takes before= (a datetime) and returns what it removed, one line each, for the log.
CLEANERS = (
    "sciweek.orgs.import_files.purge_stale",
    "sciweek.reports.import_store.purge_stale",
    "sciweek.notices.importing.services.purge_stale",
    "sciweek.innovation.import_files.purge_stale",
)


def cleanup_uploads(*, older_than: dt.timedelta = DEFAULT_AGE) -> list[str]:
    before = timezone.now() - older_than
    removed: list[str] = []
    for path in CLEANERS:
        for what in import_string(path)(before=before):
            log.info("removed a stale import upload: %s", what)
            removed.append(what)
    from .jobs import purge_job_results  # result files of finished jobs: their own retention

    for what in purge_job_results():
        log.info("removed an expired job result: %s", what)
        removed.append(what)
    return removed


def cleanup_uploads_quietly() -> None:
    """The same when a new import starts: best effort, never in the way of the upload itself."""
    try:
        cleanup_uploads()
    except Exception:  # a storage hiccup here must not fail the organizer's upload
        log.warning("clean-up of stale import uploads failed", exc_info=True)


def modified_before(storage: Storage, name: str, before: dt.datetime) -> bool:
    try:
        return storage.get_modified_time(name) < before
    except (OSError, NotImplementedError):
        return False


def remove_empty_folder(storage: Storage, folder: str) -> None:
    """Object stores have no folders; on disk, remove the one left empty."""
    with contextlib.suppress(NotImplementedError, OSError):
        os.rmdir(storage.path(folder))


def delete_quietly(storage: Storage, name: str | None) -> None:
    """Delete an upload nobody needs any more; a failure is logged, never raised (it is only disk)."""
    if name:
        try:
            storage.delete(name)
        except OSError:
            log.warning("could not delete import upload %s", name, exc_info=True)


def purge_user_folders(
    *, storage: Storage, folder: str, job_kind: str, label: str, before: dt.datetime
) -> list[str]:
    """An import that keeps each user's waiting uploads in ``<folder>/u<id>/`` (core.files.user_folder):
    remove those untouched since ``before`` that no queued or running ``job_kind`` job still names in its
    ``params["name"]``, then the folders left empty. Returns "<label> <name>" per file removed."""
    from .models import Job

    try:
        folders, files = storage.listdir(folder)
    except (OSError, NotImplementedError):  # nothing uploaded yet
        return []
    names = [f"{folder}/{name}" for name in files]  # uploads kept before the per-user folders
    for sub in folders:
        with contextlib.suppress(OSError, NotImplementedError):
            names += [f"{folder}/{sub}/{name}" for name in storage.listdir(f"{folder}/{sub}")[1]]
    busy = set(
        Job.objects.filter(kind=job_kind, status__in=[Job.Status.QUEUED, Job.Status.RUNNING]).values_list(
            "params__name", flat=True
        )
    )
    removed = []
    for name in names:
        if name not in busy and modified_before(storage, name, before):
            delete_quietly(storage, name)
            removed.append(f"{label} {name}")
    for sub in folders:
        remove_empty_folder(storage, f"{folder}/{sub}")
    return removed
