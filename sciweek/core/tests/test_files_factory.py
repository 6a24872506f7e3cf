"""Real files for the upload-toolkit tests, made on the spot: xlsx with openpyxl, docx with
python-docx, PDF with ReportLab, images with Pillow, videos encoded with PyAV, ZIP bombs streamed
through zipfile. Holds no tests; the test_files_* modules import it."""

from __future__ import annotations

import io
import struct
import sys
import zipfile
import zlib
from collections.abc import Callable
from fractions import Fraction
from pathlib import Path

import av
import docx
import openpyxl
import pytest
from PIL import Image
from reportlab.pdfgen import canvas

# With ``-p no:django`` the project's conftest still asks for pytest-django's ``settings`` fixture
# (autouse); the test modules import ``standalone_settings`` below in that case only.
PYTEST_DJANGO_ACTIVE = "pytest_django.plugin" in sys.modules

GiB = 1024**3
MiB = 1024**2

STATS_ROWS = [
    ("项目", "单位", "数量"),
    ("举办科普活动", "次", 12),
    ("参与群众", "人", 3500),
    ("投入经费", "万元", 4.5),
]


def xlsx_bytes(rows: list[tuple[object, ...]] = STATS_ROWS, title: str = "统计表") -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = title
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def docx_bytes(paragraphs: tuple[str, ...] = ("泗县2023年科技活动周总结", "本单位共举办活动12场。")) -> bytes:
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def pdf_bytes(text: str = "Science and Technology Week 2023") -> bytes:
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    page.drawString(72, 720, text)
    page.showPage()
    page.save()
    return buffer.getvalue()


def image_bytes(fmt: str, size: tuple[int, int] = (64, 48), mode: str = "RGB", **save_args: object) -> bytes:
    image = Image.new(mode, size, "red" if mode in ("RGB", "RGBA") else 1)
    buffer = io.BytesIO()
    image.save(buffer, fmt, **save_args)
    return buffer.getvalue()


def rewrite_zip(
    data: bytes, replace: dict[str, bytes] | None = None, add: dict[str, bytes] | None = None
) -> bytes:
    """A copy of the ZIP ``data`` with some members replaced or added (an edited xlsx / docx)."""
    replace = replace or {}
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            target.writestr(info.filename, replace.get(info.filename, source.read(info.filename)))
        for name, content in (add or {}).items():
            target.writestr(name, content)
    return out.getvalue()


def zip_bytes(members: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression) as archive:
        for name, content in members.items():
            archive.writestr(zipfile.ZipInfo(name), content, compress_type=compression)
    return out.getvalue()


def write_zip_bomb(path: Path, *, uncompressed: int = GiB, member: str = "zeros.bin") -> Path:
    """A ~1 MB ZIP whose one member inflates to ``uncompressed`` bytes of zeros, written by streaming
    1 MiB at a time so the test never holds more than that. Cached by path."""
    if path.exists():
        return path
    chunk = bytes(MiB)
    partial = path.with_suffix(".partial")
    with (
        zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive,
        archive.open(member, "w", force_zip64=True) as handle,
    ):
        for _ in range(uncompressed // MiB):
            handle.write(chunk)
    partial.rename(path)
    return path


def central_directory_offsets(data: bytes) -> list[int]:
    """Byte offsets of every central-directory entry (``PK\\x01\\x02``) in a ZIP."""
    offsets = []
    start = data.find(b"PK\x01\x02")
    while start != -1:
        offsets.append(start)
        start = data.find(b"PK\x01\x02", start + 4)
    return offsets


def patch_uint(data: bytes, offset: int, value: int, fmt: str = "<I") -> bytes:
    patched = bytearray(data)
    struct.pack_into(fmt, patched, offset, value)
    return bytes(patched)


class _ForwardOnly:
    """A write-only sink without ``seek``: muxers cannot go back to fill in the duration."""

    def __init__(self) -> None:
        self.buffer = bytearray()

    def write(self, data: bytes) -> int:
        self.buffer += data
        return len(data)


def write_video(
    path: Path,
    seconds: float,
    *,
    fps: int = 1,
    container_format: str | None = None,
    codec: str = "mpeg4",
    size: int = 32,
    seekable: bool = True,
) -> Path:
    """Encode a real, tiny video: ``seconds`` long at ``fps`` frames per second, each frame a flat
    grey that changes over time. ``seekable=False`` writes as a live stream would (no duration in
    the header for Matroska / WebM)."""
    sink = _ForwardOnly()
    target: str | _ForwardOnly = str(path) if seekable else sink
    with av.open(target, "w", format=container_format) as output:
        stream = output.add_stream(codec, rate=fps)
        stream.width = stream.height = size
        stream.pix_fmt = "yuv420p"
        for index in range(round(seconds * fps)):
            frame = av.VideoFrame(size, size, "yuv420p")
            for plane in frame.planes:
                plane.update(bytes([(index * 7) % 256]) * plane.buffer_size)
            frame.pts = index
            frame.time_base = Fraction(1, fps)
            for packet in stream.encode(frame):
                output.mux(packet)
        for packet in stream.encode():
            output.mux(packet)
    if not seekable:
        path.write_bytes(bytes(sink.buffer))
    return path


def write_audio_only(path: Path, seconds: float = 2.0) -> Path:
    """A real audio file (MP2 in Matroska) with no video stream."""
    rate = 16000
    with av.open(str(path), "w", format="matroska") as output:
        stream = output.add_stream("mp2", rate=rate)
        stream.layout = "mono"
        samples_per_frame = 1152
        for index in range(int(seconds * rate) // samples_per_frame):
            frame = av.AudioFrame(format="s16", layout="mono", samples=samples_per_frame)
            frame.planes[0].update(bytes(samples_per_frame * 2))
            frame.sample_rate = rate
            frame.pts = index * samples_per_frame
            for packet in stream.encode(frame):
                output.mux(packet)
        for packet in stream.encode():
            output.mux(packet)
    return path


def png_claiming_size(width: int, height: int) -> bytes:
    """A PNG whose header claims ``width`` × ``height`` pixels over a few bytes of data — what a
    decompression bomb looks like to a decoder that trusts the header."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + chunk(b"IEND", b"")
    )


def counting_chunks(total: int, chunk_size: int, on_chunk: Callable[[int], None]) -> object:
    """A generator of ``total`` bytes in ``chunk_size`` pieces, calling ``on_chunk(index)`` before
    handing out each one, so a test can see how far a consumer read."""

    def generate():  # type: ignore[no-untyped-def]
        sent = 0
        index = 0
        while sent < total:
            on_chunk(index)
            piece = min(chunk_size, total - sent)
            yield b"\x00" * piece
            sent += piece
            index += 1

    return generate()


def configure_django_if_needed() -> None:
    """Minimal settings for running these tests without the project's (``-p no:django``)."""
    from django.conf import settings

    if not settings.configured:
        settings.configure(USE_TZ=True, TIME_ZONE="Asia/Shanghai", MEDIA_URL="/media/")


class _SettingsStandIn:
    """Just enough of pytest-django's ``settings`` fixture: attribute writes are undone afterwards."""

    def __init__(self) -> None:
        object.__setattr__(self, "_overrides", [])

    def __getattr__(self, name: str) -> object:
        from django.conf import settings

        return getattr(settings, name)

    def __setattr__(self, name: str, value: object) -> None:
        from django.test import override_settings

        override = override_settings(**{name: value})
        override.enable()
        self._overrides.append(override)

    def undo(self) -> None:
        while self._overrides:
            self._overrides.pop().disable()


@pytest.fixture(name="settings")
def standalone_settings():  # type: ignore[no-untyped-def]
    configure_django_if_needed()
    stand_in = _SettingsStandIn()
    yield stand_in
    stand_in.undo()
