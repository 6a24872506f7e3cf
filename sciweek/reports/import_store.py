"""Where an import's uploaded files wait between the preview and the commit.

Each upload gets a random token; its files are stored (under names of our own making, typed by
content, size-limited) in ``stat-imports/<token>/`` of the default storage, beside a manifest and the
preview. The token is remembered in the uploader's session, and every page and job checks that the
manifest belongs to that user and campaign: a posted token that is not the session's own is refused,
and no path is ever taken from the request.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import secrets
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext

from sciweek.core.cleanup import cleanup_uploads_quietly, modified_before, remove_empty_folder
from sciweek.core.files import UploadRejected, human_size, sanitize_display_name, save_upload_streamed
from sciweek.core.models import Job

ROOT = "stat-imports"
ALLOWED_KINDS = frozenset({"xlsx", "docx", "zip"})
MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_FILES = 1000
SESSION_KEY = "stat_imports"
_TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{20,64}$")

# The job kinds that read and write through this store (registered in jobs.py).
IMPORT_PREVIEW = "reports.import_preview"
IMPORT_COMMIT = "reports.import_commit"


def max_total_bytes() -> int:
    return int(getattr(settings, "SCIWEEK_MAX_UPLOAD_MB", 200)) * 1024 * 1024


def new_token() -> str:
    return secrets.token_urlsafe(24)


def _folder(token: str) -> str:
    if not _TOKEN_RE.match(token or ""):
        raise Http404(gettext("导入记录不存在或已过期"))
    return f"{ROOT}/{token}"


def write_json(token: str, name: str, data: Any) -> None:
    path = f"{_folder(token)}/{name}"
    if default_storage.exists(path):
        default_storage.delete(path)
    default_storage.save(path, ContentFile(json.dumps(data, ensure_ascii=False).encode()))


def read_json(token: str, name: str) -> Any:
    path = f"{_folder(token)}/{name}"
    if not default_storage.exists(path):
        raise Http404(gettext("导入记录不存在或已过期，请重新上传"))
    with default_storage.open(path, "rb") as fh:
        return json.loads(fh.read().decode())


def store_uploads(
    *, token: str, uploads: Iterable[Any], owner_id: int | None, campaign_id: int
) -> dict[str, Any]:
    """Store each upload that passes the checks; the ones refused are listed with the reason."""
    uploads = list(uploads)
    declared = sum(getattr(f, "size", 0) or 0 for f in uploads)
    if declared > max_total_bytes():
        raise UploadRejected(
            (
                gettext("本次上传共 %(declared)s，超过上限 %(max_total_bytes)s，请分批上传")
                % {"declared": human_size(declared), "max_total_bytes": human_size(max_total_bytes())}
            ),
            field="files",
            code="too_large",
        )
    if len(uploads) > MAX_FILES:
        raise UploadRejected(
            (
                gettext("一次最多上传 %(max_files)s 个文件，请打包为 ZIP 或分批上传")
                % {"max_files": MAX_FILES}
            ),
            field="files",
        )
    cleanup_uploads_quietly()  # previews nobody came back to
    pending, cap = pending_bytes(owner_id), settings.SCIWEEK_IMPORT_PENDING_MB * 1024 * 1024
    if pending + declared > cap:
        raise UploadRejected(
            (
                gettext(
                    "您还有未确认的导入共 %(pending)s，加上本次将超过每人上限 %(cap)s：请先确认或放弃之前的导入"
                )
                % {"pending": human_size(pending), "cap": human_size(cap)}
            ),
            field="files",
            code="too_large",
        )
    entries: list[
        dict[str, Any]
    ] = []  # in upload order; a refused file keeps its place, with the reason instead of a stored name
    for f in uploads:
        name = sanitize_display_name(getattr(f, "name", ""))
        try:
            saved = save_upload_streamed(
                f,
                storage=default_storage,
                folder=_folder(token),
                max_bytes=MAX_FILE_BYTES,
                allowed_kinds=ALLOWED_KINDS,
                field_label=name,
            )
        except UploadRejected as exc:
            entries.append({"name": name, "rejected": exc.message})
            continue
        entries.append(
            {"stored": saved.name, "name": saved.original_name, "kind": saved.kind, "size": saved.size}
        )
    manifest = {
        "owner": owner_id,
        "campaign": campaign_id,
        "created": timezone.now().isoformat(),
        "files": entries,
    }
    write_json(token, "manifest.json", manifest)
    return manifest


def read_file(token: str, entry: dict[str, Any]) -> bytes:
    """The content of one stored upload; its stored name must lie in the token's folder."""
    folder = _folder(token) + "/"
    if not entry["stored"].startswith(folder) or ".." in entry["stored"]:
        raise Http404(gettext("导入记录已损坏，请重新上传"))
    with default_storage.open(entry["stored"], "rb") as fh:
        return fh.read()


def drop_file(token: str, entry: dict[str, Any]) -> None:
    """Delete an upload that yielded nothing usable: its preview entry says why, the bytes are not kept."""
    folder = _folder(token) + "/"
    stored = entry.get("stored", "")
    if stored.startswith(folder) and ".." not in stored and default_storage.exists(stored):
        default_storage.delete(stored)


def pending_bytes(owner_id: int | None) -> int:
    """Bytes of this user's uploads still waiting at a preview (SCIWEEK_IMPORT_PENDING_MB caps them)."""
    try:
        tokens, _ = default_storage.listdir(ROOT)
    except (OSError, NotImplementedError):
        return 0
    total = 0
    for token in tokens:
        if not _TOKEN_RE.match(token):
            continue
        try:
            manifest = read_json(token, "manifest.json")
        except (Http404, OSError, ValueError):
            continue
        if manifest.get("owner") == owner_id:
            total += sum(
                e.get("size", 0)
                for e in manifest["files"]
                if default_storage.exists(e.get("stored", "") or "-")
            )
    return total


def manifest_for(token: str, *, user_id: int | None, campaign_id: int) -> dict[str, Any]:
    manifest = read_json(token, "manifest.json")
    if manifest.get("owner") != user_id or manifest.get("campaign") != campaign_id:
        raise Http404(gettext("导入记录不存在或已过期"))
    return manifest


def discard(token: str) -> None:
    folder = _folder(token)
    try:
        _dirs, names = default_storage.listdir(folder)
    except (FileNotFoundError, NotImplementedError):
        return
    for name in names:
        default_storage.delete(f"{folder}/{name}")
    remove_empty_folder(default_storage, folder)


def purge_stale(*, before: dt.datetime) -> list[str]:
    """Uploads whose files were all last written before `before` (a preview re-saves preview.json on
    every change), and that no queued or running preview / commit job still reads."""
    try:
        tokens, _ = default_storage.listdir(ROOT)
    except (OSError, NotImplementedError):  # no upload yet
        return []
    busy = set(
        Job.objects.filter(
            kind__in=[IMPORT_PREVIEW, IMPORT_COMMIT], status__in=[Job.Status.QUEUED, Job.Status.RUNNING]
        ).values_list("params__token", flat=True)
    )
    removed = []
    for token in tokens:
        if token in busy or not _TOKEN_RE.match(token):
            continue
        folder = _folder(token)
        try:
            _, names = default_storage.listdir(folder)
        except (OSError, NotImplementedError):  # removed meanwhile (a commit, a discard)
            continue
        if all(modified_before(default_storage, f"{folder}/{n}", before) for n in names):
            discard(token)
            removed.append(f"统计表导入 {folder}（{len(names)} 个文件）")
    return removed


# The session ties a token to the person who uploaded (and the campaign); a few recent ones are kept.


def session_add(request: HttpRequest, token: str, campaign_id: int) -> None:
    tokens = dict(request.session.get(SESSION_KEY, {}))
    tokens[token] = campaign_id
    request.session[SESSION_KEY] = dict(list(tokens.items())[-10:])


def session_check(request: HttpRequest, token: str, campaign_id: int) -> dict[str, Any]:
    if request.session.get(SESSION_KEY, {}).get(token) != campaign_id:
        raise Http404(gettext("导入记录不存在或已过期，请重新上传"))
    return manifest_for(token, user_id=request.user.pk, campaign_id=campaign_id)
