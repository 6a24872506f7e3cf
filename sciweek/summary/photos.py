"""Photos a summary may show, by key: ``event:<EventImage id>`` or ``report:<ReportAttachment id>``.
Read from storage and scaled down (a phone's 12-megapixel photo would make a 60 MB document)."""

from __future__ import annotations

import hashlib
import io

from django.core.cache import cache
from PIL import Image, ImageOps

from sciweek.events.models import EventImage
from sciweek.reports.models import ReportAttachment

MAX_SIDE = 1200  # 112 mm wide at ~270 dpi; a 2400 px photo decodes at half size directly
CACHE_SECONDS = 24 * 3600


def photo_file(key: str) -> object | None:
    kind, _, raw = key.partition(":")
    if not raw.isdigit():
        return None
    if kind == "event":
        img = EventImage.objects.filter(pk=int(raw)).first()
        return img.file if img and img.file else None
    if kind == "report":
        att = ReportAttachment.objects.filter(pk=int(raw), kind=ReportAttachment.Kind.PHOTO).first()
        return att.file if att and att.file else None
    return None


def photo_bytes(key: str) -> bytes | None:
    f = photo_file(key)
    if f is None:
        return None
    try:
        with f.open("rb") as fh:  # type: ignore[attr-defined]
            return fh.read()
    except OSError:
        return None


def scaled_photo(key: str, max_side: int = MAX_SIDE) -> bytes | None:
    """The photo scaled for a document or a thumbnail, cached by key, file and size (a stored file never
    changes under its name: uploads get new names)."""
    f = photo_file(key)
    if f is None:
        return None
    cache_key = f"summary:photo:{hashlib.sha256(f'{key}|{f.name}|{max_side}'.encode()).hexdigest()}"
    out = cache.get(cache_key)
    if out is None:
        raw = photo_bytes(key)
        out = (scaled_jpeg(raw, max_side) if raw else None) or b""
        cache.set(cache_key, out, CACHE_SECONDS)
    return out or None


def scaled_jpeg(data: bytes, max_side: int = MAX_SIDE) -> bytes | None:
    try:
        with Image.open(io.BytesIO(data)) as im:
            w, h = im.size
            scale = min(1.0, max_side / max(w, h, 1))
            # JPEG: decode straight at 1/2, 1/4 … of the size when that still covers the target
            im.draft("RGB", (max(1, int(w * scale)), max(1, int(h * scale))))
            im = ImageOps.exif_transpose(im)
            im = im.convert("RGB")
            im.thumbnail((max_side, max_side))
            out = io.BytesIO()
            im.save(out, format="JPEG", quality=82)
            return out.getvalue()
    except (OSError, ValueError, Image.DecompressionBombError):
        return None
