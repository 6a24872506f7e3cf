"""Event pictures: a unit's publicity images before, photos after (checked and stored by core.files)."""

from __future__ import annotations

import io
import secrets
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.translation import gettext as _

from sciweek.core.audit import audit_log
from sciweek.core.files import IMAGE_KINDS, UploadRejected, check_image, make_thumbnail, save_upload_streamed

from .choices import ImageKind
from .models import Event, EventImage

MAX_IMAGE_BYTES = 15 * 1024 * 1024
MAX_IMAGES_PER_KIND = 20
LABELS: dict[str, str] = {ImageKind.PROMO.value: "宣传图片", ImageKind.PHOTO.value: "活动照片"}


def event_add_image(*, actor: Any, event: Event, upload: Any, kind: str = ImageKind.PROMO) -> EventImage:
    if kind not in ImageKind.values:
        raise ValidationError({"kind": _("未知的图片类型。")})
    label = LABELS[kind]
    if event.images.filter(kind=kind).count() >= MAX_IMAGES_PER_KIND:
        raise ValidationError(
            {
                "images": (
                    _("每个活动最多上传%(MAX_IMAGES_PER_KIND)s张%(label)s。")
                    % {"MAX_IMAGES_PER_KIND": MAX_IMAGES_PER_KIND, "label": label}
                )
            }
        )
    folder = f"events/{event.pk}"
    seen: dict[str, Any] = {}

    def validate(path: str, _kind: Any) -> None:
        # Runs on the streamed temporary file, before anything is stored: decode, then thumbnail.
        seen["size"] = check_image(path, field_label=label)
        thumb = io.BytesIO()
        make_thumbnail(path, thumb, max_side=480, field_label=label)
        seen["thumb"] = thumb.getvalue()

    try:
        stored = save_upload_streamed(
            upload,
            storage=default_storage,
            folder=folder,
            max_bytes=MAX_IMAGE_BYTES,
            allowed_kinds=IMAGE_KINDS,
            field_label=label,
            validate=validate,
        )
    except UploadRejected as exc:
        raise ValidationError({"images": exc.message})
    width, height = seen["size"]
    thumb_name = default_storage.save(f"{folder}/{secrets.token_hex(16)}-t.jpg", ContentFile(seen["thumb"]))
    with transaction.atomic():
        image = EventImage.objects.create(
            event=event,
            kind=kind,
            file=stored.name,
            thumbnail=thumb_name,
            original_name=stored.original_name,
            width=width,
            height=height,
            uploaded_by=actor if getattr(actor, "pk", None) else None,
        )
        audit_log(
            actor=actor,
            action="event.image_add",
            obj=event,
            after={"image": image.original_name, "kind": kind},
        )
    return image


@transaction.atomic
def event_remove_image(*, actor: Any, image: EventImage) -> None:
    audit_log(
        actor=actor, action="event.image_remove", obj=image.event, before={"image": image.original_name}
    )
    names = [n for n in (image.file.name, image.thumbnail.name) if n]
    image.delete()

    def delete_files() -> None:
        for name in names:
            default_storage.delete(name)

    transaction.on_commit(delete_files)
