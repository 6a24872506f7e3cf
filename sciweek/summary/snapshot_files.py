"""The photos and videos of a send-up, copied into storage the snapshot owns.

A send-up is the official record, so it must not depend on the units' uploads, which a reopened report
may delete or replace. When a region sends up, each chosen file is read from storage, hashed while
copied, and stored once under a name made only of its SHA-256 and the extension of its detected kind
(never the uploader's file name nor the original path). The snapshot lists the hashes; the city is
served the copy. A second send of the same bytes reuses the stored copy.
"""

from __future__ import annotations

import hashlib
import tempfile
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from sciweek.core.files import KIND_INFO
from sciweek.core.files.sniff import detect_kind
from sciweek.reports.models import ReportAttachment

from .models import SnapshotFile

CHUNK = 1 << 20
#: what a snapshot may hold, checked on the copied bytes (the upload was checked too, but the copy is
#: what is served)
KINDS = frozenset({"jpeg", "png", "mp4", "mov", "webm", "mkv", "avi"})
FOLDER = "sendup/files"


def _copy(src: IO[bytes], tmp: IO[bytes]) -> tuple[str, int, bytes]:
    digest, size, head = hashlib.sha256(), 0, b""
    while chunk := src.read(CHUNK):
        if len(head) < 4096:
            head += chunk[: 4096 - len(head)]
        digest.update(chunk)
        size += len(chunk)
        tmp.write(chunk)
    tmp.seek(0)
    return digest.hexdigest(), size, head


def store(attachment: ReportAttachment) -> SnapshotFile:
    """The snapshot's own copy of ``attachment``'s file (existing one when the same bytes were sent
    before). Refuses, naming the file, when it is gone or is not a photo or video."""
    title = attachment.title or attachment.original_name or str(attachment.pk)
    name = attachment.file.name
    if not name or not default_storage.exists(name):
        raise ValidationError({"media": [_("「%(title)s」的文件已不存在，无法随报") % {"title": title}]})
    with tempfile.SpooledTemporaryFile(max_size=8 * CHUNK) as tmp:
        with default_storage.open(name, "rb") as src:
            sha, size, head = _copy(src, tmp)
        kind = detect_kind(head)
        if kind not in KINDS:
            raise ValidationError({"media": [_("「%(title)s」不是可以随报的照片或视频") % {"title": title}]})
        found = SnapshotFile.objects.filter(sha256=sha).first()
        if found is not None and found.file.name and default_storage.exists(found.file.name):
            return found
        wanted = f"{FOLDER}/{sha[:2]}/{sha}{KIND_INFO[kind].extension}"
        # a copy left by a send that was rolled back has the same bytes under the same name: reuse it
        if default_storage.exists(wanted) and default_storage.size(wanted) == size:
            stored = wanted
        else:
            stored = default_storage.save(wanted, File(tmp))
    if found is not None:  # the row outlived its bytes (restored database): point it at the new copy
        SnapshotFile.objects.filter(pk=found.pk).update(file=stored)
        found.file.name = stored
        return found
    try:
        with transaction.atomic():  # a savepoint: a concurrent send may have stored the same bytes
            return SnapshotFile.objects.create(sha256=sha, file=stored, content_kind=kind, size=size)
    except IntegrityError:
        winner = SnapshotFile.objects.get(sha256=sha)
        if winner.file.name != stored:
            default_storage.delete(stored)
        return winner


def entry(attachment: ReportAttachment, unit_name: str) -> dict[str, Any]:
    """One item of ``SendUp.media``: the copy's hash for a file, the address for a link."""
    item: dict[str, Any] = {
        "id": attachment.pk,
        "kind": attachment.kind,
        "title": attachment.title or attachment.original_name,
        "unit": unit_name,
        "link": attachment.link,
    }
    if attachment.file.name:
        copy = store(attachment)
        item.update(sha256=copy.sha256, content_kind=copy.content_kind, size=copy.size)
    return item


def find(media: list[dict[str, Any]], sha256: str) -> SnapshotFile | None:
    """The copy of one of this snapshot's files; None for a hash the snapshot does not list (or an
    older snapshot, sent before files were copied)."""
    if not any(m.get("sha256") == sha256 and m.get("content_kind") for m in media):
        return None
    return SnapshotFile.objects.filter(sha256=sha256).first()
