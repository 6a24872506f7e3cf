"""Refuse ZIP archives (and so xlsx / docx, which are ZIPs) that would hurt whoever opens them.

Two passes: first the central directory (member count, declared sizes and ratios, names, encryption,
overlapping entries), then every member is actually decompressed in bounded chunks and counted —
the declared sizes are written by whoever made the file and prove nothing.
"""

from __future__ import annotations

import re
import stat
import tempfile
import zipfile
import zlib
from dataclasses import dataclass
from typing import IO

from django.utils.translation import gettext as _

from .errors import UploadRejected, human_size, quote_field
from .sniff import ZIP_MAGICS

MiB = 1024 * 1024
CHUNK_SIZE = 64 * 1024
# A small member may compress 1000:1 legitimately (an empty styled sheet); the ratio only matters once
# the output is big enough to hurt.
RATIO_MIN_BYTES = 1 * MiB
# Nested archives are copied aside to be checked; small ones stay in memory.
NESTED_SPOOL_BYTES = 8 * MiB

# zipfile hands bzip2 / LZMA data to the decompressor without an output bound, so one read of a few
# kilobytes could inflate to gigabytes before we count it. Office files and ordinary ZIPs use these two.
ALLOWED_METHODS = frozenset({zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED})
XML_SUFFIXES = (".xml", ".rels", ".vml")
_DTD_MARKERS = tuple(
    marker.encode(encoding)
    for marker in ("<!DOCTYPE", "<!ENTITY")
    for encoding in ("utf-8", "utf-16-le", "utf-16-be")
)
_DRIVE_LETTER = re.compile(r"^[A-Za-z]:")


@dataclass
class _Limits:
    max_members: int
    max_ratio: float
    max_depth: int
    forbid_xml_doctype: bool
    prefix: str  # 「字段」 or ""
    field: str | None
    limit_total: int
    remaining: int  # decompressed bytes still allowed, shared by nested archives


def check_zip_safe(
    fileobj: IO[bytes],
    *,
    max_members: int = 2000,
    max_total_uncompressed: int = 200 * MiB,
    max_ratio: float = 100,
    max_depth: int = 1,
    forbid_xml_doctype: bool = False,
    field_label: str | None = None,
) -> None:
    """Raise ``UploadRejected`` unless ``fileobj`` (a seekable binary file) is a ZIP that is safe to
    open: at most ``max_members`` entries per archive, at most ``max_total_uncompressed`` bytes once
    decompressed (counted while decompressing, nested archives included), no member expanding more
    than ``max_ratio`` times, no path traversal / absolute / drive-letter / symlink names, no
    encrypted members, no overlapping entries, and archives nested at most ``max_depth`` levels
    below the outer one (a docx with an embedded Excel chart is one level), and only the stored and
    deflate methods (the only ones whose decompression zipfile bounds).

    ``forbid_xml_doctype`` refuses XML parts that declare a DTD or entities: Office never writes
    them, and they are how XML entity-expansion and external-entity attacks start.
    The file position is restored afterwards.
    """
    limits = _Limits(
        max_members=max_members,
        max_ratio=max_ratio,
        max_depth=max_depth,
        forbid_xml_doctype=forbid_xml_doctype,
        prefix=quote_field(field_label),
        field=field_label,
        limit_total=max_total_uncompressed,
        remaining=max_total_uncompressed,
    )
    position = fileobj.tell()
    try:
        fileobj.seek(0)
        _check_archive(fileobj, depth=0, limits=limits)
    finally:
        fileobj.seek(position)


def _reject(limits: _Limits, text: str, code: str) -> UploadRejected:
    return UploadRejected(f"{limits.prefix}{text}", field=limits.field, code=code)


def _display_name(name: str) -> str:
    shown = "".join(ch if ch.isprintable() else "?" for ch in name)
    return shown if len(shown) <= 80 else shown[:77] + "…"


def is_unsafe_member_name(name: str) -> bool:
    """True for names that would escape the folder they are extracted into."""
    normalized = name.replace("\\", "/")
    if "\x00" in normalized or normalized.startswith("/") or _DRIVE_LETTER.match(normalized):
        return True
    return any(part == ".." for part in normalized.split("/"))


def _check_archive(fileobj: IO[bytes], *, depth: int, limits: _Limits) -> None:
    where = "压缩包" if depth == 0 else "压缩包内嵌的压缩包"
    try:
        archive = zipfile.ZipFile(fileobj)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError, NotImplementedError):
        raise _reject(
            limits,
            (_("文件已损坏或不完整（%(where)s结构无法读取），请重新导出后上传") % {"where": where}),
            "zip_damaged",
        )
    with archive:
        infos = archive.infolist()
        if len(infos) > limits.max_members:
            raise _reject(
                limits,
                (
                    _("%(where)s内文件过多：%(count)s 个，上限 %(max_members)s 个")
                    % {"where": where, "count": len(infos), "max_members": limits.max_members}
                ),
                "zip_too_many_members",
            )
        declared_total = 0
        for info in infos:
            _check_entry_header(info, limits)
            declared_total += info.file_size
        if declared_total > limits.remaining:
            raise _reject(
                limits,
                (
                    _("%(where)s解压后过大：%(declared_total)s，上限 %(limit_total)s")
                    % {
                        "where": where,
                        "declared_total": human_size(declared_total),
                        "limit_total": human_size(limits.limit_total),
                    }
                ),
                "zip_too_large",
            )
        _check_no_overlap(infos, limits)
        for info in infos:
            if not info.is_dir():
                _stream_member(archive, info, depth=depth, limits=limits)


def _check_entry_header(info: zipfile.ZipInfo, limits: _Limits) -> None:
    shown = _display_name(info.filename)
    if is_unsafe_member_name(info.filename):
        raise _reject(
            limits, (_("压缩包内含有不安全的文件路径：%(shown)s") % {"shown": shown}), "zip_unsafe_name"
        )
    if stat.S_ISLNK(info.external_attr >> 16):
        raise _reject(limits, (_("压缩包内含有符号链接：%(shown)s") % {"shown": shown}), "zip_symlink")
    if info.compress_type not in ALLOWED_METHODS:
        raise _reject(
            limits,
            (
                _("压缩包内的文件使用了不支持的压缩方式：%(shown)s，请用常见的 ZIP 格式重新压缩")
                % {"shown": shown}
            ),
            "zip_method",
        )
    if info.flag_bits & 0x1:
        raise _reject(
            limits,
            (_("压缩包内的文件已加密，无法检查：%(shown)s，请去掉密码后上传") % {"shown": shown}),
            "zip_encrypted",
        )
    if info.file_size > RATIO_MIN_BYTES and info.file_size > limits.max_ratio * max(info.compress_size, 1):
        raise _reject(
            limits,
            (
                _("压缩包内文件的压缩比异常（疑似“压缩炸弹”）：%(shown)s，上限 %(max_ratio)s 倍")
                % {"shown": shown, "max_ratio": format(limits.max_ratio, "g")}
            ),
            "zip_ratio",
        )


def _check_no_overlap(infos: list[zipfile.ZipInfo], limits: _Limits) -> None:
    """Entries that share compressed data let a small file expand many times over ("overlapping"
    zip bombs). Each local header is at least 30 bytes and is followed by its data, so the next
    entry must start at least that far on."""
    ordered = sorted(infos, key=lambda info: info.header_offset)
    for current, following in zip(ordered, ordered[1:], strict=False):
        if following.header_offset < current.header_offset + 30 + current.compress_size:
            raise _reject(
                limits, _("压缩包结构异常：多个文件共用同一段数据（疑似“压缩炸弹”）"), "zip_overlap"
            )


def _stream_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, *, depth: int, limits: _Limits) -> None:
    shown = _display_name(info.filename)
    check_dtd = limits.forbid_xml_doctype and info.filename.lower().endswith(XML_SUFFIXES)
    nested: IO[bytes] | None = None
    produced = 0
    tail = b""
    try:
        with archive.open(info) as member:
            while chunk := member.read(CHUNK_SIZE):
                produced += len(chunk)
                limits.remaining -= len(chunk)
                if limits.remaining < 0:
                    raise _reject(
                        limits,
                        (
                            _("压缩包解压后超过上限 %(limit_total)s")
                            % {"limit_total": human_size(limits.limit_total)}
                        ),
                        "zip_too_large",
                    )
                if produced > info.file_size:
                    raise _reject(
                        limits,
                        (_("压缩包内文件的实际大小与声明不符：%(shown)s") % {"shown": shown}),
                        "zip_size_mismatch",
                    )
                if produced > RATIO_MIN_BYTES and produced > limits.max_ratio * max(info.compress_size, 1):
                    raise _reject(
                        limits,
                        (
                            _("压缩包内文件的压缩比异常（疑似“压缩炸弹”）：%(shown)s，上限 %(max_ratio)s 倍")
                            % {"shown": shown, "max_ratio": format(limits.max_ratio, "g")}
                        ),
                        "zip_ratio",
                    )
                if produced == len(chunk) and chunk[:4] in ZIP_MAGICS:
                    if depth + 1 > limits.max_depth:
                        raise _reject(
                            limits, (_("压缩包嵌套层数过多：%(shown)s") % {"shown": shown}), "zip_nested"
                        )
                    nested = tempfile.SpooledTemporaryFile(max_size=NESTED_SPOOL_BYTES)  # noqa: SIM115
                if nested is not None:
                    nested.write(chunk)
                if check_dtd:
                    window = tail + chunk
                    if any(marker in window for marker in _DTD_MARKERS):
                        raise _reject(
                            limits,
                            (
                                _(
                                    "文件中含有不允许的 XML 声明（DOCTYPE/ENTITY）：%(shown)s，请用 Office 或 WPS 重新保存后上传"
                                )
                                % {"shown": shown}
                            ),
                            "xml_doctype",
                        )
                    tail = chunk[-32:]
        if nested is not None:
            nested.seek(0)
            _check_archive(nested, depth=depth + 1, limits=limits)
    except UploadRejected:
        raise
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError, ValueError):
        raise _reject(
            limits,
            (_("压缩包内的文件已损坏或使用了不支持的压缩方式：%(shown)s") % {"shown": shown}),
            "zip_damaged",
        )
    finally:
        if nested is not None:
            nested.close()
