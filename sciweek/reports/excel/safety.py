"""Deciding what an uploaded file is from its bytes, and opening ZIP containers without trusting them.

xlsx and docx are ZIP files, and units often send a ZIP of several tables, so every ZIP is checked
before anything decompresses it: member count, declared sizes (total ≤ 200 MB), compression ratio,
compression method (deflate / stored only), encryption, path traversal in member names, and DTDs in
the XML parts (entity expansion). Decompression of archive members is streamed with a budget, so a
header that lies about sizes cannot make us allocate more than the limit.
"""

from __future__ import annotations

import contextlib
import io
import posixpath
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from django.utils.translation import gettext as _

MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_TOTAL_UNCOMPRESSED = 200 * 1024 * 1024
MAX_RATIO = 100
RATIO_CHECK_MIN_BYTES = 1024 * 1024
MAX_MEMBERS = 2000
CHUNK = 64 * 1024

Kind = Literal["xlsx", "docx", "zip", "xlsb", "pdf", "ole2", "empty", "damaged", "unknown"]

_ALLOWED_METHODS = {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED}
_ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
NESTED_MESSAGE = "压缩包内又嵌套了压缩包，不予处理，请解压后直接上传其中的表格"
_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f]")


class Refused(Exception):
    """A file (or archive) that must not be read any further; ``message`` is for the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def display_name(name: str) -> str:
    """A file name fit for a message: no control characters, bounded length (never used as a path)."""
    clean = _CONTROL_RE.sub("", name or "").strip() or "（未命名文件）"
    return clean if len(clean) <= 80 else clean[:38] + "…" + clean[-38:]


def sniff(data: bytes) -> Kind:
    """What ``data`` is. For a ZIP only the central directory is read."""
    if not data:
        return "empty"
    if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "ole2"
    if data.lstrip(b"\xef\xbb\xbf \t\r\n\x00")[:5] == b"%PDF-":
        return "pdf"
    if data[:4] not in _ZIP_MAGICS:
        return "unknown"
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = set(zf.namelist())
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError, KeyError, RuntimeError):
        return "damaged"  # RuntimeError covers NotImplementedError: a zip "version 6.4" or other exotica
    if "xl/workbook.xml" in names:
        return "xlsx"
    if "xl/workbook.bin" in names:
        return "xlsb"
    if "word/document.xml" in names:
        return "docx"
    return "zip"


KIND_MESSAGES: dict[str, str] = {
    "empty": "文件为空（0 字节），请重新上传",
    "pdf": "不是 Excel/Word 文件（内容是 PDF 文档），请上传 .xlsx 或 .docx 格式的统计表",
    "ole2": "是旧版 Excel/Word 格式（.xls / .doc）或加了密码的文件，请用 Excel 或 WPS 另存为 .xlsx / .docx 后上传",
    "xlsb": "是 Excel 二进制工作簿（.xlsb），请另存为 .xlsx 后上传",
    "damaged": "文件已损坏或不完整（可能上传中断），无法读取，请重新保存后上传",
    "unknown": "不是 Excel/Word 文件，请上传 .xlsx 或 .docx 格式的统计表",
}


def _member_name(info: zipfile.ZipInfo) -> str:
    """Member names from Chinese Windows zips are GBK without the UTF-8 flag; zipfile reads cp437."""
    name = info.filename
    if not info.flag_bits & 0x800:
        with contextlib.suppress(UnicodeEncodeError, UnicodeDecodeError):
            name = name.encode("cp437").decode("gbk")
    return name


def is_unsafe_name(name: str) -> bool:
    normalized = name.replace("\\", "/")
    if not normalized or normalized.startswith("/") or "\x00" in normalized:
        return True
    if re.match(r"^[A-Za-z]:", normalized):
        return True
    return ".." in normalized.split("/") or posixpath.normpath(normalized).startswith("..")


def check_zip(zf: zipfile.ZipFile, *, office: bool) -> list[zipfile.ZipInfo]:
    """Raise :class:`Refused` if the container is unsafe to decompress; return its members."""
    infos = zf.infolist()
    if len(infos) > MAX_MEMBERS:
        raise Refused(
            _("压缩包内文件过多（%(count)s 个，上限 %(MAX_MEMBERS)s 个），已拒绝")
            % {"count": len(infos), "MAX_MEMBERS": MAX_MEMBERS}
        )
    total = 0
    for info in infos:
        name = _member_name(info)
        if is_unsafe_name(name):
            raise Refused(
                _("压缩包中的文件名「%(display_name)s」含有不安全的路径（如 ../ 或绝对路径），已整体拒绝")
                % {"display_name": display_name(name)}
            )
        if info.flag_bits & 0x1:
            raise Refused(
                _("「%(display_name)s」设置了密码，无法读取，请去掉密码后上传")
                % {"display_name": display_name(name)}
            )
        if info.compress_type not in _ALLOWED_METHODS:
            raise Refused(
                _("「%(display_name)s」使用了不支持的压缩方式，请用常规 ZIP 格式重新压缩")
                % {"display_name": display_name(name)}
            )
        total += info.file_size
        if total > MAX_TOTAL_UNCOMPRESSED:
            raise Refused(
                _("解压后超过 %(value)s MB（疑似压缩炸弹），已拒绝")
                % {"value": MAX_TOTAL_UNCOMPRESSED // 1024 // 1024}
            )
        if info.file_size > RATIO_CHECK_MIN_BYTES and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise Refused(
                _("「%(display_name)s」压缩比异常（超过 %(MAX_RATIO)s:1，疑似压缩炸弹），已拒绝")
                % {"display_name": display_name(name), "MAX_RATIO": MAX_RATIO}
            )
    if office:
        for info in infos:
            if info.filename.endswith((".xml", ".rels")) and info.file_size:
                with zf.open(info) as fh:
                    head = fh.read(2048)
                if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
                    raise Refused(_("文件内部含有不允许的 XML 声明（DTD/实体），已拒绝"))
    return infos


def read_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo, budget: int) -> bytes:
    """Decompress one member in chunks, stopping as soon as it exceeds its declared size or ``budget``."""
    limit = min(info.file_size, budget)
    out = bytearray()
    with zf.open(info) as fh:
        while True:
            chunk = fh.read(CHUNK)
            if not chunk:
                break
            out += chunk
            if len(out) > limit:
                raise Refused(
                    _("解压后超过 %(value)s MB（疑似压缩炸弹），已拒绝")
                    % {"value": MAX_TOTAL_UNCOMPRESSED // 1024 // 1024}
                )
    return bytes(out)


@dataclass(frozen=True)
class Member:
    name: str
    data: bytes | None  # None when the member was skipped
    note: str | None = None  # why it was skipped
    severity: Literal["error", "warning", "info"] = "info"


def iter_archive(data: bytes) -> Iterator[Member]:
    """Members of a plain ZIP of tables. Raises :class:`Refused` for the whole archive.

    Only members that start like a ZIP (xlsx / docx) are decompressed in full; photos, PDFs and
    the like that units put in the same archive are recognised from their first bytes and skipped.
    """
    office_ext = (".xlsx", ".xlsm", ".docx", ".xls", ".doc", ".et", ".wps")
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        infos = check_zip(zf, office=False)
        budget = MAX_TOTAL_UNCOMPRESSED
        for info in infos:
            name = _member_name(info)
            base = posixpath.basename(name.replace("\\", "/"))
            if info.is_dir() or name.startswith("__MACOSX/") or base.startswith(("._", "~$")) or not base:
                continue
            lower = base.lower()
            if lower.endswith((".zip", ".rar", ".7z")):
                yield Member(name, None, NESTED_MESSAGE, "error")
                continue
            if info.file_size == 0:
                yield Member(
                    name, None, "文件为空，已跳过", "warning" if lower.endswith(office_ext) else "info"
                )
                continue
            with zf.open(info) as fh:
                head = fh.read(8)
            if head[:4] not in _ZIP_MAGICS:
                if lower.endswith(office_ext):
                    yield Member(
                        name, None, KIND_MESSAGES.get(sniff(head), KIND_MESSAGES["unknown"]), "error"
                    )
                else:
                    yield Member(name, None, "不是 Excel/Word 文件，已忽略", "info")
                continue
            if info.file_size > MAX_FILE_BYTES:
                yield Member(
                    name, None, f"文件过大（超过 {MAX_FILE_BYTES // 1024 // 1024} MB），已跳过", "error"
                )
                continue
            content = read_member(zf, info, budget)
            budget -= len(content)
            kind = sniff(content)
            if kind == "zip":
                yield Member(name, None, NESTED_MESSAGE, "error")
            elif kind in ("xlsx", "docx"):
                yield Member(name, content)
            else:
                yield Member(name, None, KIND_MESSAGES.get(kind, KIND_MESSAGES["unknown"]), "error")
