"""Take an upload in: stream it to a temporary file under a size limit, find out what it really is,
check it, and only then store it under a name of our own making."""

from __future__ import annotations

import hashlib
import os
import secrets
import tempfile
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, Protocol

from django.core.files import File
from django.core.files.storage import Storage
from django.utils.translation import gettext as _

from .errors import UploadRejected, human_size, quote_field
from .sniff import KIND_INFO, ZIP_KINDS, FileKind, require_kind, sniff_file
from .zipcheck import check_zip_safe

MAX_ORIGINAL_NAME = 200


class ChunkedUpload(Protocol):
    """What we need of a Django ``UploadedFile``."""

    name: str | None

    def chunks(self, chunk_size: int | None = None) -> Iterator[bytes] | Iterable[bytes]: ...


@dataclass(frozen=True)
class StoredUpload:
    name: str  # path inside the storage: "<folder>/<random token><extension>"
    original_name: str  # the client's file name, sanitised, for display only
    kind: str  # sniff kind: "xlsx", "mp4", …
    size: int
    sha256: str


def sanitize_display_name(name: str | None) -> str:
    """The client's file name, made harmless for display: the last path component only, no control
    or bidi-override characters, NFC-normalised, trimmed to a sensible length. Never used as a path."""
    text = unicodedata.normalize("NFC", name or "")
    text = text.replace("\\", "/").rsplit("/", 1)[-1]
    text = "".join(ch for ch in text if unicodedata.category(ch) not in ("Cc", "Cf", "Cs", "Co", "Cn"))
    text = text.strip().strip(".").strip()
    if len(text) > MAX_ORIGINAL_NAME:
        stem, dot, ext = text.rpartition(".")
        if dot and 0 < len(ext) <= 10:
            text = stem[: MAX_ORIGINAL_NAME - len(ext) - 2] + "…." + ext
        else:
            text = text[: MAX_ORIGINAL_NAME - 1] + "…"
    return text or "未命名文件"


def _safe_folder(folder: str) -> str:
    parts = [part for part in folder.replace("\\", "/").split("/") if part and part != "."]
    if any(part == ".." for part in parts):
        raise ValueError(f"unsafe storage folder: {folder!r}")
    return "/".join(parts)


def _stream_to_disk(
    uploaded_file: ChunkedUpload, path: str, max_bytes: int, reject: Callable[[str, str], UploadRejected]
) -> tuple[int, str]:
    """Copy the upload chunk by chunk, refusing the chunk that would pass ``max_bytes`` before it is
    written. Returns (size, sha256 hex)."""
    digest = hashlib.sha256()
    size = 0
    with open(path, "wb") as sink:
        for chunk in uploaded_file.chunks():
            if size + len(chunk) > max_bytes:
                raise reject(
                    (_("文件过大：超过上限 %(max_bytes)s") % {"max_bytes": human_size(max_bytes)}),
                    "too_large",
                )
            sink.write(chunk)
            digest.update(chunk)
            size += len(chunk)
    return size, digest.hexdigest()


def _temp_dir() -> str | None:
    from django.conf import settings

    return getattr(settings, "FILE_UPLOAD_TEMP_DIR", None) if settings.configured else None


def save_upload_streamed(
    uploaded_file: ChunkedUpload,
    *,
    storage: Storage,
    folder: str,
    max_bytes: int,
    allowed_kinds: set[str] | frozenset[str],
    field_label: str,
    validate: Callable[[str, FileKind], Any] | None = None,
) -> StoredUpload:
    """Store ``uploaded_file`` in ``storage`` under ``folder`` if it is at most ``max_bytes`` long and
    its content is one of ``allowed_kinds`` (see ``sniff.KIND_INFO``); raise ``UploadRejected`` with
    a Chinese message naming ``field_label`` otherwise.

    The upload is streamed chunk by chunk into a temporary file and abandoned as soon as it passes
    the limit. Zip-based kinds go through ``check_zip_safe``. ``validate(path, kind)``, if given,
    runs on the complete temporary file before anything is stored (e.g. ``check_video``) and may
    raise ``UploadRejected`` itself. Nothing is written to ``storage`` unless every check passed.
    """
    prefix = quote_field(field_label)
    unknown = set(allowed_kinds) - set(KIND_INFO)
    if unknown:
        raise ValueError(f"unknown kinds: {sorted(unknown)}")

    def reject(text: str, code: str) -> UploadRejected:
        return UploadRejected(f"{prefix}{text}", field=field_label, code=code)

    # Django counts the bytes it received, so this is only a fast path; the stream below is the check.
    declared = getattr(uploaded_file, "size", None)
    if isinstance(declared, int) and declared > max_bytes:
        raise reject(
            (
                _("文件过大：%(declared)s，上限 %(max_bytes)s")
                % {"declared": human_size(declared), "max_bytes": human_size(max_bytes)}
            ),
            "too_large",
        )

    safe_folder = _safe_folder(folder)
    original_name = sanitize_display_name(uploaded_file.name)
    with tempfile.TemporaryDirectory(prefix="sciweek-upload-", dir=_temp_dir()) as work_dir:
        temp_path = os.path.join(work_dir, "upload")
        size, sha256 = _stream_to_disk(uploaded_file, temp_path, max_bytes, reject)
        if size == 0:
            raise reject(_("文件是空的（0 字节），请重新选择文件"), "empty")

        with open(temp_path, "rb") as source:
            kind = sniff_file(source)
            require_kind(kind, allowed_kinds, field_label=field_label)
            if kind.kind in ZIP_KINDS:
                check_zip_safe(source, forbid_xml_doctype=kind.kind != "zip", field_label=field_label)
        if validate is not None:
            validate(temp_path, kind)

        # The client's name never reaches the storage: a random token plus the detected kind's suffix.
        name = f"{secrets.token_hex(16)}{kind.extension}"
        if safe_folder:
            name = f"{safe_folder}/{name}"
        with open(temp_path, "rb") as source:
            stored_name = storage.save(name, File(source, name=name))
    return StoredUpload(
        name=stored_name, original_name=original_name, kind=kind.kind, size=size, sha256=sha256
    )
