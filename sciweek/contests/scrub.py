"""Strip who-made-it metadata from an entry's files before they are stored (blind judging).

Images are re-encoded without EXIF (camera owner, GPS); PDFs lose their document information
(author, creator); Word files their core properties (author, last modified by, company). MP4 / MOV
videos lose their user-data and metadata boxes (udta, meta: author, title, comment, GPS ©xyz, phone model)
and XMP packets: each such box is turned into a ``free`` box of the same size with its bytes zeroed, so no
other box moves and the sample offsets (stco/co64) stay true — no re-encoding, pure Python, done in place
over a 200 MB file by seeking. WebM keeps its tags (rare from phones; the judges' page says so).
"""

from __future__ import annotations

import os
import struct
from typing import BinaryIO

from PIL import Image


def scrub_metadata(path: str, kind: str) -> None:
    if kind in {"jpeg", "png", "webp"}:
        _image(path, kind)
    elif kind == "pdf":
        _pdf(path)
    elif kind == "docx":
        _docx(path)
    elif kind in {"mp4", "mov"}:
        strip_mp4_metadata(path)


def _replace(path: str, write) -> None:
    tmp = f"{path}.scrub"
    write(tmp)
    os.replace(tmp, path)


def _image(path: str, kind: str) -> None:
    with Image.open(path) as img:
        img.load()
        # Pixels only: a new image carries none of the original's info, EXIF or XMP.
        clean = Image.frombytes(img.mode, img.size, img.tobytes())
        if img.mode == "P" and img.getpalette():
            clean.putpalette(img.getpalette())
        fmt = {"jpeg": "JPEG", "png": "PNG", "webp": "WEBP"}[kind]
        if fmt == "JPEG" and clean.mode not in {"RGB", "L", "CMYK"}:
            clean = clean.convert("RGB")
        _replace(path, lambda tmp: clean.save(tmp, format=fmt, quality=92))


def _pdf(path: str) -> None:
    from pypdf import PdfReader, PdfWriter

    try:
        reader = PdfReader(path)
        writer = PdfWriter()
        for page in reader.pages:
            writer.add_page(page)
        writer.add_metadata({"/Producer": "sciweek"})
        _replace(path, lambda tmp: writer.write(tmp))
    except Exception:  # noqa: BLE001 - an unreadable PDF is stored as sent; sniffing already accepted it
        return


def _docx(path: str) -> None:
    from docx import Document

    try:
        doc = Document(path)
    except Exception:  # noqa: BLE001
        return
    props = doc.core_properties
    for attr in ("author", "last_modified_by", "comments", "title", "subject", "keywords", "category"):
        setattr(props, attr, "")
    _replace(path, lambda tmp: doc.save(tmp))


# Boxes whose children are walked (the ones under which udta / meta live), and the boxes blanked.
_CONTAINERS = {b"moov", b"trak", b"mdia", b"minf", b"edts"}
_PRIVATE = {b"udta", b"meta"}
_XMP_UUID = bytes.fromhex("be7acfcb97a942e89c71999491e3afac")


def strip_mp4_metadata(path: str) -> int:
    """Blank the metadata boxes of an ISO-BMFF file (MP4 / MOV) in place; the number blanked."""
    with open(path, "r+b") as f:
        end = f.seek(0, os.SEEK_END)
        return _walk(f, 0, end, top=True)


def _walk(f: BinaryIO, start: int, end: int, *, top: bool) -> int:
    blanked = 0
    pos = start
    while pos + 8 <= end:
        f.seek(pos)
        header = f.read(8)
        size, kind = struct.unpack(">I4s", header)
        head = 8
        if size == 1:  # 64-bit size follows
            size = struct.unpack(">Q", f.read(8))[0]
            head = 16
        elif size == 0:  # to the end of the enclosing box
            size = end - pos
        if size < head or pos + size > end:
            break  # damaged: leave the rest as it is (the upload was already accepted as a video)
        xmp = kind == b"uuid" and f.read(16) == _XMP_UUID
        if kind in _PRIVATE or xmp:
            _blank(f, pos, size, head)
            blanked += 1
        elif kind in _CONTAINERS:
            blanked += _walk(f, pos + head, pos + size, top=False)
        pos += size
    return blanked


def _blank(f: BinaryIO, pos: int, size: int, head: int) -> None:
    f.seek(pos + 4)
    f.write(b"free")
    f.seek(pos + head)
    left = size - head
    zeros = bytes(min(left, 1 << 16))
    while left > 0:
        n = min(left, len(zeros))
        f.write(zeros[:n])
        left -= n
