"""A self-hosted picture check for the public vote, asked only after a suspicious pattern: an address
that has asked for many codes within the hour (SCIWEEK_VOTE_CAPTCHA_AFTER, default 5 an hour).

The picture is a small sum drawn by Pillow with noise (no outside service: intranets have none). Its
answer is kept as a keyed hash in the shared cache for five minutes and can be used once.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import io
import secrets

from django.conf import settings
from django.core.cache import cache
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from sciweek.core.ratelimit import rate_limit_hit

TTL = 300


def _key(answer: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), f"captcha:{answer}".encode(), hashlib.sha256).hexdigest()


def suspicious(ip: str | None) -> bool:
    """Counts this code request for the address; True once it is over the hourly threshold."""
    over, _window = rate_limit_hit(
        scope="vote-captcha", key=ip or "unknown", setting="SCIWEEK_VOTE_CAPTCHA_AFTER", default=(5, 3600)
    )
    return over


def _font(size: int) -> ImageFont.ImageFont | ImageFont.FreeTypeFont:
    for path in (
        "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
        "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",
    ):
        try:
            return ImageFont.truetype(path, size)
        except OSError:
            continue
    return ImageFont.load_default()


def captcha_new() -> dict[str, str]:
    """A new picture: {"id", "image" (a PNG data URL)}."""
    a, b = secrets.randbelow(9) + 1, secrets.randbelow(9) + 1
    image = Image.new("RGB", (160, 56), "#f4f6f8")
    draw = ImageDraw.Draw(image)
    for _ in range(6):  # lines across the text
        draw.line(
            [(secrets.randbelow(160), secrets.randbelow(56)) for _ in range(2)], fill="#9aa5b1", width=2
        )
    draw.text((14, 8), f"{a} + {b} = ?", font=_font(30), fill="#1f3b57")
    image = image.filter(ImageFilter.SMOOTH)
    buf = io.BytesIO()
    image.save(buf, "PNG")
    token = secrets.token_urlsafe(12)
    cache.set(f"sciweek:captcha:{token}", _key(str(a + b)), TTL)
    return {"id": token, "image": "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode()}


def captcha_ok(token: str, answer: str) -> bool:
    """Right answer to a live picture; each picture answers once, right or wrong."""
    if not token:
        return False
    key = f"sciweek:captcha:{token}"
    stored = cache.get(key)
    cache.delete(key)
    return bool(stored) and hmac.compare_digest(stored, _key((answer or "").strip()))
