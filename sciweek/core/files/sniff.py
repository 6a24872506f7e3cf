"""What a file is, decided by its bytes — never by its name or the browser's content type.

A PDF renamed ``统计表.xlsx`` is a PDF here, and callers can say so in the error message.
"""

from __future__ import annotations

import codecs
import zipfile
from dataclasses import dataclass
from typing import IO

from django.utils.translation import gettext as _

from .errors import UploadRejected, pad_latin, quote_field

# Enough for every signature below; PDF allows a little junk before ``%PDF-``.
HEAD_SIZE = 4096

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
EBML_MAGIC = b"\x1a\x45\xdf\xa3"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"

# ISO BMFF brands that hold still images (iPhone photos), not video.
HEIC_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"hevm", b"hevs", b"mif1", b"msf1"}
# Old QuickTime files may start with one of these atoms instead of ``ftyp``.
QUICKTIME_FIRST_ATOMS = {b"moov", b"mdat", b"wide", b"free", b"skip", b"pnot"}

ZIP_KINDS = frozenset({"xlsx", "docx", "zip"})
IMAGE_KINDS = frozenset({"jpeg", "png", "webp", "gif"})
VIDEO_KINDS = frozenset({"mp4", "mov", "webm", "mkv", "avi"})
DOCUMENT_KINDS = frozenset({"pdf", "docx"})


@dataclass(frozen=True)
class KindInfo:
    mime: str
    extension: str  # what we name the stored file, dot included
    label: str  # what we tell the user we found: "检测到 PDF 内容"
    category: str  # what a field expects: "不是有效的 Excel 文件"


KIND_INFO: dict[str, KindInfo] = {
    "xlsx": KindInfo(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx", "Excel", "Excel 文件"
    ),
    "docx": KindInfo(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ".docx",
        "Word",
        "Word 文件",
    ),
    "zip": KindInfo("application/zip", ".zip", "ZIP 压缩包", "ZIP 压缩包"),
    "pdf": KindInfo("application/pdf", ".pdf", "PDF", "PDF 文件"),
    "jpeg": KindInfo("image/jpeg", ".jpg", "JPEG 图片", "图片"),
    "png": KindInfo("image/png", ".png", "PNG 图片", "图片"),
    "webp": KindInfo("image/webp", ".webp", "WebP 图片", "图片"),
    "gif": KindInfo("image/gif", ".gif", "GIF 图片", "图片"),
    "heic": KindInfo("image/heic", ".heic", "HEIC 图片（苹果手机照片格式）", "图片"),
    "mp4": KindInfo("video/mp4", ".mp4", "MP4 视频", "视频文件"),
    "mov": KindInfo("video/quicktime", ".mov", "MOV 视频", "视频文件"),
    "webm": KindInfo("video/webm", ".webm", "WebM 视频", "视频文件"),
    "mkv": KindInfo("video/x-matroska", ".mkv", "MKV 视频", "视频文件"),
    "avi": KindInfo("video/x-msvideo", ".avi", "AVI 视频", "视频文件"),
    "txt": KindInfo("text/plain", ".txt", "纯文本", "文本文件"),
    "ole2": KindInfo("application/x-ole-storage", ".bin", "旧版 Office（.xls / .doc）", "旧版 Office 文件"),
    "unknown": KindInfo("application/octet-stream", ".bin", "无法识别的", "文件"),
}


@dataclass(frozen=True)
class FileKind:
    """The detected kind of a file. ``damaged`` is set for a ZIP whose directory cannot be read
    (typically a truncated upload), so callers can say "文件已损坏" rather than "不是 Excel"."""

    kind: str
    damaged: bool = False

    @property
    def info(self) -> KindInfo:
        return KIND_INFO[self.kind]

    @property
    def mime(self) -> str:
        return self.info.mime

    @property
    def extension(self) -> str:
        return self.info.extension

    @property
    def label(self) -> str:
        return self.info.label


def detect_kind(head: bytes, *, zip_names: list[str] | None = None) -> str:
    """The kind of a file from its first bytes (``HEAD_SIZE`` is plenty) and, for a ZIP, the names
    of its members. Returns one of ``KIND_INFO``'s keys; never raises."""
    if not head:
        return "unknown"
    if head.startswith(OLE2_MAGIC):
        return "ole2"
    if head[:4] in ZIP_MAGICS:
        names = set(zip_names or ())
        if "xl/workbook.xml" in names:
            return "xlsx"
        if "word/document.xml" in names:
            return "docx"
        return "zip"
    if head.lstrip(b"\xef\xbb\xbf \t\r\n\x00").startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(PNG_MAGIC):
        return "png"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "gif"
    if head.startswith(b"RIFF") and len(head) >= 12:
        return {b"WEBP": "webp", b"AVI ": "avi"}.get(head[8:12], "unknown")
    if head.startswith(EBML_MAGIC):
        doc_type_area = head[:64]
        if b"webm" in doc_type_area:
            return "webm"
        if b"matroska" in doc_type_area:
            return "mkv"
        return "unknown"
    if len(head) >= 12 and head[4:8] == b"ftyp":
        brand = head[8:12]
        if brand == b"qt  ":
            return "mov"
        if brand in HEIC_BRANDS:
            return "heic"
        if brand in (b"avif", b"avis", b"crx "):
            return "unknown"
        return "mp4"
    if len(head) >= 8 and head[4:8] in QUICKTIME_FIRST_ATOMS:
        return "mov"
    if _looks_like_text(head):
        return "txt"
    return "unknown"


def _looks_like_text(head: bytes) -> bool:
    """UTF-8 (with or without BOM), UTF-16 with BOM, or GB18030, with no control characters other
    than whitespace. ``head`` may be cut in the middle of a character, so decode incrementally."""
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encodings = ["utf-16"]
    else:
        encodings = ["utf-8-sig", "gb18030"]
    for encoding in encodings:
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            text = decoder.decode(head, final=False)
        except UnicodeDecodeError:
            continue
        if not any(ord(ch) < 32 and ch not in "\t\n\r\f\v\x1a" for ch in text):
            return True
    return False


def sniff_file(fileobj: IO[bytes]) -> FileKind:
    """The kind of a whole seekable binary file, read from its start; the file position is
    restored afterwards. For a ZIP the central directory is read (not the members) to tell
    xlsx / docx / plain zip apart."""
    position = fileobj.tell()
    try:
        fileobj.seek(0)
        head = fileobj.read(HEAD_SIZE)
        kind = detect_kind(head)
        if kind != "zip":
            return FileKind(kind)
        fileobj.seek(0)
        try:
            with zipfile.ZipFile(fileobj) as archive:
                names = archive.namelist()
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
            return FileKind("zip", damaged=True)
        return FileKind(detect_kind(head, zip_names=names))
    finally:
        fileobj.seek(position)


def _ordered_unique(values: list[str]) -> list[str]:
    return list(dict.fromkeys(values))


def _in_table_order(kinds: set[str] | frozenset[str]) -> list[str]:
    order = list(KIND_INFO)
    return sorted(kinds, key=order.index)


def expected_description(allowed_kinds: set[str] | frozenset[str]) -> str:
    """What a field accepts ("Excel 文件", "PDF 文件或图片"), for "不是有效的 … "."""
    categories = _ordered_unique([KIND_INFO[kind].category for kind in _in_table_order(allowed_kinds)])
    return "或".join(categories) or "文件"


def allowed_extensions(allowed_kinds: set[str] | frozenset[str]) -> str:
    """The accepted formats as people know them: ".jpg、.png、.webp"."""
    return "、".join(_ordered_unique([KIND_INFO[kind].extension for kind in _in_table_order(allowed_kinds)]))


def require_kind(
    kind: FileKind, allowed_kinds: set[str] | frozenset[str], *, field_label: str | None
) -> None:
    """Raise ``UploadRejected`` unless ``kind`` is one of ``allowed_kinds``, saying what was expected,
    what was found instead, and which formats are accepted."""
    if kind.kind in allowed_kinds:
        return

    def reject(text: str, code: str) -> UploadRejected:
        return UploadRejected(f"{quote_field(field_label)}{text}", field=field_label, code=code)

    expected = pad_latin(expected_description(allowed_kinds))
    if kind.damaged and ZIP_KINDS & set(allowed_kinds):
        raise reject(
            (_("文件已损坏或不完整，无法作为%(expected)s打开，请重新导出后上传") % {"expected": expected}),
            "damaged",
        )
    if kind.kind == "ole2" and {"xlsx", "docx"} & set(allowed_kinds):
        target = ".xlsx" if "xlsx" in allowed_kinds else ".docx"
        raise reject(
            (
                _("是旧版 Office 格式（.xls / .doc），请用 Office 或 WPS 另存为 %(target)s 后再上传")
                % {"target": target}
            ),
            "legacy_office",
        )
    found = (
        _("无法识别文件内容")
        if kind.kind == "unknown"
        else _("检测到%(kind)s内容") % {"kind": pad_latin(kind.label)}
    )
    raise reject(
        (
            _("不是有效的%(expected)s（%(found)s），允许的格式：%(allowed_extensions)s")
            % {"expected": expected, "found": found, "allowed_extensions": allowed_extensions(allowed_kinds)}
        ),
        "wrong_kind",
    )
