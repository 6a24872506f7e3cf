"""The report package: 活动总结, 活动照片, 媒体报道资料, 视频 (≤ the campaign's limit), 盖章统计表.

Files are streamed to a temporary file under a per-kind size limit (``UploadLimitHandler`` refuses an
oversized file while it is still arriving, before it reaches the disk), typed by content, checked
(images decode, videos are measured with PyAV) and only then stored under a random name. They are
served through a scoped view, never from a public /media URL.
"""

from __future__ import annotations

import io
import secrets
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.validators import URLValidator
from django.db import transaction
from django.utils.translation import gettext as _

from sciweek.core.audit import audit_log, snapshot
from sciweek.core.files import (
    VIDEO_KINDS,
    FileKind,
    UploadLimitHandler,
    UploadRejected,
    check_image,
    check_video,
    make_thumbnail,
    save_upload_streamed,
)

from ..models import Report, ReportAttachment
from ..validation import check_text
from .entry import check_editable

K = ReportAttachment.Kind


@dataclass(frozen=True)
class KindRule:
    allowed: frozenset[str]
    default_mb: int
    max_files: int
    accept: str  # for <input accept>
    formats: str  # what people are told


KIND_RULES: dict[str, KindRule] = {
    K.SUMMARY: KindRule(frozenset({"pdf", "docx"}), 30, 5, ".pdf,.docx", "PDF、Word（.docx）"),
    K.PHOTO: KindRule(frozenset({"jpeg", "png"}), 20, 30, "image/jpeg,image/png", "JPG、PNG 照片"),
    K.MEDIA: KindRule(
        frozenset({"pdf", "jpeg", "png", "docx"}),
        30,
        30,
        ".pdf,.docx,image/jpeg,image/png",
        "链接，或 PDF、JPG、PNG、Word（.docx）",
    ),
    K.VIDEO: KindRule(VIDEO_KINDS, 200, 5, "video/*", "MP4、MOV、WebM 等视频"),
    K.STAMPED: KindRule(
        frozenset({"pdf", "jpeg", "png"}),
        20,
        5,
        ".pdf,image/jpeg,image/png",
        "盖章后的扫描件或照片：PDF、JPG、PNG",
    ),
}
IMAGE_CONTENT = {"jpeg", "png"}


def kind_label(kind: str) -> str:
    return dict(K.choices).get(kind, kind)


def upload_limit_bytes(kind: str) -> int:
    """Per-kind limit (settings.SCIWEEK_REPORT_UPLOAD_MB = {"photo": 20, …}), never above SCIWEEK_MAX_UPLOAD_MB."""
    per_kind = getattr(settings, "SCIWEEK_REPORT_UPLOAD_MB", {}) or {}
    mb = int(per_kind.get(kind, KIND_RULES[kind].default_mb))
    return min(mb, int(settings.SCIWEEK_MAX_UPLOAD_MB)) * 1024 * 1024


def install_upload_limit(request: Any, kind: str) -> None:
    """Call before anything reads request.POST / request.FILES."""
    request.upload_handlers.insert(0, UploadLimitHandler(request, upload_limit_bytes(kind), kind_label(kind)))


def _check_addable(report: Report, kind: str) -> None:
    if kind not in KIND_RULES:
        raise ValidationError({"kind": (_("未知的附件类别「%(kind)s」") % {"kind": kind})})
    check_editable(report)
    count = report.attachments.filter(kind=kind).count()
    if count >= KIND_RULES[kind].max_files:
        raise ValidationError(
            {
                kind: (
                    _("「%(kind_label)s」最多上传%(max_files)s个")
                    % {"kind_label": kind_label(kind), "max_files": KIND_RULES[kind].max_files}
                )
            }
        )


def attachment_add_file(
    *, report: Report, actor: Any, kind: str, upload: Any, title: str = ""
) -> ReportAttachment:
    """Check, store and record one uploaded file. Raises ValidationError keyed by ``kind``."""
    if upload is None:
        raise ValidationError(
            {kind: (_("请选择要上传的「%(kind_label)s」文件") % {"kind_label": kind_label(kind)})}
        )
    title = check_text(title, field=kind, label="标题", max_length=200)
    _check_addable(report, kind)
    label = kind_label(kind)
    found: dict[str, Any] = {}

    def validate(path: str, detected: FileKind) -> None:
        if detected.kind in VIDEO_KINDS:
            found["duration"] = check_video(
                path, max_seconds=report.campaign.max_video_minutes * 60, field_label=label
            )
        elif detected.kind in IMAGE_CONTENT:
            check_image(path, field_label=label)
            thumb = io.BytesIO()
            make_thumbnail(path, thumb, max_side=480, field_label=label)
            found["thumbnail"] = thumb.getvalue()

    try:
        stored = save_upload_streamed(
            upload,
            storage=default_storage,
            folder=f"reports/{report.campaign_id}/{report.pk}",
            max_bytes=upload_limit_bytes(kind),
            allowed_kinds=KIND_RULES[kind].allowed,
            field_label=label,
            validate=validate,
        )
    except UploadRejected as exc:
        raise ValidationError({kind: exc.message})
    thumb_name = ""
    try:
        if "thumbnail" in found:
            thumb_name = default_storage.save(
                f"reports/{report.campaign_id}/{report.pk}/t-{secrets.token_hex(16)}.jpg",
                ContentFile(found["thumbnail"]),
            )
        with transaction.atomic():
            locked = (
                Report.objects.select_for_update(of=("self",))
                .select_related("campaign", "unit")
                .get(pk=report.pk)
            )
            _check_addable(locked, kind)
            attachment = ReportAttachment(
                report=locked,
                kind=kind,
                original_name=stored.original_name,
                content_kind=stored.kind,
                size=stored.size,
                duration_seconds=found.get("duration"),
                sha256=stored.sha256,
                title=(title or "").strip()[:200],
                uploaded_by=actor,
            )
            attachment.file.name = stored.name
            attachment.thumbnail.name = thumb_name
            attachment.save()
            audit_log(actor=actor, action="report.attachment_add", obj=locked, after=_describe(attachment))
    except Exception:
        _delete_files(
            stored.name, thumb_name
        )  # refused after storing (e.g. submitted meanwhile): leave nothing
        raise
    return attachment


def attachment_add_link(*, report: Report, actor: Any, url: str, title: str = "") -> ReportAttachment:
    url = check_text(url, field=K.MEDIA, label="链接", max_length=500)
    title = check_text(title, field=K.MEDIA, label="报道标题", max_length=200)
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        raise ValidationError(
            {
                K.MEDIA: (
                    _("「媒体报道资料」链接格式不正确：%(value)s，应以 http:// 或 https:// 开头")
                    % {"value": url[:60] or _("（空）")}
                )
            }
        )
    if len(url) > 200:
        raise ValidationError({K.MEDIA: _("「媒体报道资料」链接过长（最多200个字符）")})
    with transaction.atomic():
        locked = (
            Report.objects.select_for_update(of=("self",))
            .select_related("campaign", "unit")
            .get(pk=report.pk)
        )
        _check_addable(locked, K.MEDIA)
        attachment = ReportAttachment.objects.create(
            report=locked, kind=K.MEDIA, link=url, title=(title or "").strip()[:200], uploaded_by=actor
        )
        audit_log(actor=actor, action="report.attachment_add", obj=locked, after=_describe(attachment))
    return attachment


def attachment_delete(*, attachment: ReportAttachment, actor: Any) -> None:
    with transaction.atomic():
        report = (
            Report.objects.select_for_update(of=("self",))
            .select_related("campaign", "unit")
            .get(pk=attachment.report_id)
        )
        check_editable(report)
        names = [n for n in (attachment.file.name, attachment.thumbnail.name) if n]
        audit_log(actor=actor, action="report.attachment_delete", obj=report, before=_describe(attachment))
        attachment.delete()
        transaction.on_commit(lambda: _delete_files(*names))


def _describe(attachment: ReportAttachment) -> dict[str, Any]:
    data = snapshot(
        attachment, ["kind", "original_name", "link", "title", "content_kind", "size", "duration_seconds"]
    )
    data["attachment_id"] = attachment.pk
    return data


def _delete_files(*names: str) -> None:
    for name in names:
        if name:
            default_storage.delete(name)
