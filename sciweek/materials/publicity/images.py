"""Photos for the board: checked by content, stored upright and without EXIF, with a thumbnail.

The original bytes never reach the storage: the temporary upload is rewritten first (EXIF orientation
applied, then saved without EXIF, so neither the GPS position nor the camera goes on).
"""

from __future__ import annotations

import io
import secrets
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from PIL import Image, ImageOps

from sciweek.core.audit import audit_log
from sciweek.core.errors import check_version
from sciweek.core.files import (
    UploadRejected,
    check_image,
    make_thumbnail,
    sanitize_display_name,
    save_upload_streamed,
)

from ..boards.layout import image_dpis
from ..lifecycle import check_publicity_open
from ..models import PublicityImage, PublicitySubmission

BOARD_IMAGE_KINDS = frozenset({"jpeg", "png", "webp"})
MAX_IMAGE_BYTES = 20 * 1024 * 1024
MAX_PIXELS = 60_000_000  # a 60-megapixel camera; Pillow's bomb check sits above it
MIN_IMAGES, MAX_IMAGES = 2, 8
MIN_DPI = 100
BLURRY = gettext_lazy("这张照片印在展板上会模糊")


def _label(upload: Any) -> str:
    return _("图片“%(name)s”") % {"name": sanitize_display_name(getattr(upload, "name", "") or _("未命名"))}


def clean_photo(path: str) -> tuple[int, int]:
    """Rewrite ``path`` upright and without metadata (same format); return its (width, height)."""
    with Image.open(path) as image:
        fmt = image.format
        icc = image.info.get("icc_profile")
        upright = ImageOps.exif_transpose(image)
        if fmt == "JPEG" and upright.mode not in ("RGB", "L", "CMYK"):
            upright = upright.convert("RGB")
        upright.load()
    options: dict[str, Any] = {"icc_profile": icc} if icc else {}
    if fmt == "JPEG" or fmt == "WEBP":
        options.update(quality=95)
    upright.save(path, fmt, **options)
    return upright.size


def publicity_add_image(
    *, actor: Any, submission: PublicitySubmission, upload: Any, caption: str = ""
) -> PublicityImage:
    check_publicity_open(submission.campaign)
    if not submission.editable:
        raise ValidationError({"images": _("宣传内容已报送或已通过，不能再修改图片。")})
    if submission.images.count() >= MAX_IMAGES:
        raise ValidationError({"images": _("最多上传%(max)s张图片。") % {"max": MAX_IMAGES}})
    label = _label(upload)
    seen: dict[str, Any] = {}

    def validate(path: str, _kind: Any) -> None:
        check_image(path, field_label=label, max_pixels=MAX_PIXELS)
        seen["size"] = clean_photo(path)
        thumb = io.BytesIO()
        make_thumbnail(path, thumb, max_side=800, field_label=label)
        seen["thumb"] = thumb.getvalue()

    folder = f"publicity/{submission.campaign_id}/{submission.unit_id}"
    try:
        stored = save_upload_streamed(
            upload,
            storage=default_storage,
            folder=folder,
            max_bytes=MAX_IMAGE_BYTES,
            allowed_kinds=BOARD_IMAGE_KINDS,
            field_label=label,
            validate=validate,
        )
    except UploadRejected as exc:
        raise ValidationError({"images": exc.message})
    thumb_name = default_storage.save(f"{folder}/{secrets.token_hex(16)}-t.jpg", ContentFile(seen["thumb"]))
    width, height = seen["size"]
    with transaction.atomic():
        last = submission.images.order_by("-position").first()
        image = PublicityImage.objects.create(
            submission=submission,
            file=stored.name,
            thumbnail=thumb_name,
            original_name=stored.original_name,
            caption=(caption or "").strip()[:60],
            position=(last.position + 1) if last else 0,
            width=width,
            height=height,
        )
        PublicitySubmission.objects.filter(pk=submission.pk).update(version=submission.version + 1)
        submission.version += 1
        audit_log(
            actor=actor, action="publicity.image_add", obj=submission, after={"image": image.original_name}
        )
    return image


def publicity_set_logo(*, actor: Any, submission: PublicitySubmission, upload: Any) -> PublicitySubmission:
    """The unit's logo (optional), printed beside its name: checked and cleaned like the photos."""
    check_publicity_open(submission.campaign)
    if not submission.editable:
        raise ValidationError({"logo": _("宣传内容已报送或已通过，不能再修改单位标志。")})
    label = _("单位标志“%(name)s”") % {
        "name": sanitize_display_name(getattr(upload, "name", "") or _("未命名"))
    }

    def validate(path: str, _kind: Any) -> None:
        check_image(path, field_label=label, max_pixels=MAX_PIXELS)
        clean_photo(path)

    try:
        stored = save_upload_streamed(
            upload,
            storage=default_storage,
            folder=f"publicity/{submission.campaign_id}/{submission.unit_id}",
            max_bytes=5 * 1024 * 1024,
            allowed_kinds=BOARD_IMAGE_KINDS,
            field_label=label,
            validate=validate,
        )
    except UploadRejected as exc:
        raise ValidationError({"logo": exc.message})
    with transaction.atomic():
        sub = PublicitySubmission.objects.select_for_update().get(pk=submission.pk)
        old = sub.logo.name
        sub.logo.name = stored.name
        sub.version += 1
        sub.save(update_fields=["logo", "version", "updated_at"])
        audit_log(actor=actor, action="publicity.logo", obj=sub, after={"logo": stored.original_name})
        if old:
            transaction.on_commit(lambda: default_storage.delete(old))
    return sub


@transaction.atomic
def publicity_remove_image(*, actor: Any, image: PublicityImage, version: int | None) -> None:
    sub = (
        PublicitySubmission.objects.select_for_update().select_related("campaign").get(pk=image.submission_id)
    )
    check_publicity_open(sub.campaign)
    if not sub.editable:
        raise ValidationError({"images": _("宣传内容已报送或已通过，不能再修改图片。")})
    check_version(sub, version, _("宣传内容"))
    audit_log(actor=actor, action="publicity.image_remove", obj=sub, before={"image": image.original_name})
    names = [n for n in (image.file.name, image.thumbnail.name) if n]
    image.delete()
    sub.version += 1
    sub.save(update_fields=["version", "updated_at"])
    transaction.on_commit(lambda: [default_storage.delete(n) for n in names])


def image_warnings(
    submission: PublicitySubmission, images: list[PublicityImage] | None = None
) -> dict[int, str]:
    """{image id: warning} for photos that print below 100 dpi at the chosen size and layout."""
    images = list(submission.images.all()) if images is None else images
    if not images:
        return {}
    dpis = image_dpis(submission.board_size, submission.layout, [(i.width, i.height) for i in images])
    return {
        i.pk: _("%(blurry)s（%(name)s：约 %(dpi)s dpi，建议不低于 %(min)s dpi）")
        % {"blurry": BLURRY, "name": i.original_name, "dpi": f"{dpi:.0f}", "min": MIN_DPI}
        for i, dpi in zip(images, dpis, strict=True)
        if dpi < MIN_DPI
    }
