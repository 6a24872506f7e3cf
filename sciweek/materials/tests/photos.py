"""Real image files for the tests: photos with EXIF (orientation, GPS, camera), broken and hostile files."""

from __future__ import annotations

import io
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw


def photo_bytes(
    w: int = 1600, h: int = 1200, *, fmt: str = "JPEG", color=(30, 110, 180), exif: bool = False
) -> bytes:
    img = Image.new("RGB", (w, h), color)
    d = ImageDraw.Draw(img)
    d.rectangle([0, 0, w // 4, h // 4], fill=(250, 200, 40))  # a marker in the top-left corner
    out = io.BytesIO()
    kwargs = {}
    if exif:
        e = Image.Exif()
        e[0x0112] = 6  # orientation: rotate 90° clockwise to view
        e[0x010F] = "Canon"  # Make
        e[0x0110] = "Canon EOS 5D"  # Model
        e[0x8825] = {1: "N", 2: (33.0, 28.0, 0.0), 3: "E", 4: (117.0, 52.0, 0.0)}  # GPS
        kwargs["exif"] = e
    img.save(out, fmt, **kwargs)
    return out.getvalue()


def upload(name: str, data: bytes, content_type: str = "image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


def svg_bytes() -> bytes:
    return b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script></svg>'


def pdf_bytes() -> bytes:
    return b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def truncated_jpeg() -> bytes:
    data = photo_bytes(1200, 900)
    return data[: len(data) // 2]


def bomb_png(side: int = 40_000) -> bytes:
    """A tiny PNG that claims 40,000 × 40,000 pixels (1.6 gigapixels)."""
    import struct

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body))
            + kind
            + body
            + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)
        )

    ihdr = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)
    row = b"\x00" + b"\x00" * (side // 8)
    comp = zlib.compressobj(9)
    data = b"".join(comp.compress(row) for _ in range(200)) + comp.flush()
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", data) + chunk(b"IEND", b"")
