"""Uploads waiting at an import preview: one cap per user (SCIWEEK_IMPORT_PENDING_MB) for every import
kind, and the size limit applied while a request body streams in.

Each import keeps a user's waiting files where it can count them (a folder per user, or rows that name
their file); before it stores a new one it calls ``check_pending_cap`` with what that user already has
waiting, so abandoned previews cannot fill the disk however many sessions or tabs are open.
"""

from __future__ import annotations

import contextlib
from typing import Any, cast

from django.conf import settings
from django.core.files.storage import Storage
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.utils.translation import gettext as _

from .errors import UploadRejected, human_size

MB = 1024 * 1024


def pending_cap_bytes() -> int:
    """Bytes one user may leave waiting at import previews."""
    return int(float(settings.SCIWEEK_IMPORT_PENDING_MB) * MB)


def check_pending_cap(*, pending: int, incoming: int, field: str = "file") -> None:
    """Refuse an upload that would take the user's waiting uploads over the cap (nothing is stored)."""
    cap = pending_cap_bytes()
    if pending + incoming > cap:
        raise UploadRejected(
            _("您还有未确认的导入共 %(pending)s，加上本次将超过每人上限 %(cap)s：请先确认或放弃之前的导入")
            % {"pending": human_size(pending), "cap": human_size(cap)},
            field=field,
            code="too_large",
        )


def user_folder(folder: str, user_id: int | None) -> str:
    """Where one user's waiting uploads of an import kind live (``<folder>/u<id>``)."""
    return f"{folder}/u{user_id or 0}"


def folder_bytes(storage: Storage, folder: str) -> int:
    """Total size of the files directly in ``folder`` (0 when it does not exist)."""
    try:
        _dirs, names = storage.listdir(folder)
    except (OSError, NotImplementedError):
        return 0
    total = 0
    for name in names:
        try:
            total += storage.size(f"{folder}/{name}")
        except OSError:
            continue  # removed meanwhile
    return total


def waiting_bytes(storage: Storage, folder: str, *, replacing: str | None = None) -> int:
    """What a user has waiting in ``folder``, less the file a new upload is about to replace (a re-upload
    in the same session does not count twice)."""
    total = folder_bytes(storage, folder)
    if replacing and replacing.startswith(folder + "/"):
        with contextlib.suppress(OSError):  # already gone
            total -= storage.size(replacing)
    return max(total, 0)


class UploadLimitHandler(FileUploadHandler):
    """First in the chain: counts the bytes of each file as they arrive and skips the file (its bytes
    are read and dropped, its temporary file removed) the moment it passes ``max_bytes``. The refusal
    is left on ``request.sciweek_upload_rejected`` for the form to show."""

    def __init__(self, request: Any, max_bytes: int, field_label: str) -> None:
        super().__init__(request)
        self.max_bytes, self.field_label, self.received = max_bytes, field_label, 0

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.received += len(raw_data)
        if self.received > self.max_bytes:
            cast(Any, self.request).sciweek_upload_rejected = UploadRejected(
                f"「{self.field_label}」文件过大：超过上限 {human_size(self.max_bytes)}",
                field=self.field_label,
                code="too_large",
            )
            raise SkipFile()
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None
