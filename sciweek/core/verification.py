"""Public verification of what the platform issues (certificates): an unguessable token printed as a QR
code that opens a public page saying whether the document is genuine and still valid.

The token is the only key to that page, so it is random (96 bits, URL-safe) and never derived from ids.
"""

from __future__ import annotations

import io
import secrets

import qrcode

TOKEN_BYTES = 12  # 16 URL-safe characters


def verification_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def qr_png(url: str, *, box_size: int = 6, border: int = 2) -> bytes:
    """The URL as a QR code in PNG (for a PDF, a page or a printed notice)."""
    img = qrcode.make(url, box_size=box_size, border=border)
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    return buf.getvalue()
