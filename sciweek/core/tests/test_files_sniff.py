"""Type by content: real files of every kind, files with the wrong name, and arbitrary bytes."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sciweek.core.files import KIND_INFO, UploadRejected, detect_kind, require_kind, sniff_file
from sciweek.core.files.sniff import OLE2_MAGIC, FileKind

from .test_files_factory import (
    PYTEST_DJANGO_ACTIVE,
    docx_bytes,
    image_bytes,
    pdf_bytes,
    write_video,
    xlsx_bytes,
    zip_bytes,
)

if not PYTEST_DJANGO_ACTIVE:
    from .test_files_factory import standalone_settings  # noqa: F401 - provides `settings`


def sniff_bytes(data: bytes) -> FileKind:
    return sniff_file(io.BytesIO(data))


@pytest.mark.parametrize(
    ("make", "kind"),
    [
        (xlsx_bytes, "xlsx"),
        (docx_bytes, "docx"),
        (pdf_bytes, "pdf"),
        (lambda: zip_bytes({"照片/1.txt": b"hello"}), "zip"),
        (lambda: image_bytes("PNG"), "png"),
        (lambda: image_bytes("JPEG"), "jpeg"),
        (lambda: image_bytes("GIF"), "gif"),
        (lambda: image_bytes("WEBP"), "webp"),
        (lambda: "泗县科技活动周\n共举办活动12场。\n".encode(), "txt"),
        (lambda: "泗县科技活动周\n共举办活动12场。\n".encode("gb18030"), "txt"),
        (lambda: "\ufeff项目,单位,数量\r\n".encode(), "txt"),
        (lambda: OLE2_MAGIC + bytes(504), "ole2"),
        (lambda: b"\x00\x01\x02\x03" * 100, "unknown"),
        (lambda: b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic", "heic"),
    ],
)
def test_it_detects_kind_from_content(make, kind):
    assert sniff_bytes(make()).kind == kind


@pytest.mark.parametrize(
    ("container_format", "codec", "kind"),
    [
        (None, "mpeg4", "mp4"),
        ("mov", "mpeg4", "mov"),
        ("avi", "mpeg4", "avi"),
        ("matroska", "mpeg4", "mkv"),
        ("webm", "libvpx", "webm"),
    ],
)
def test_it_detects_real_videos(tmp_path: Path, container_format, codec, kind):
    path = write_video(tmp_path / "clip.bin", 2, container_format=container_format or "mp4", codec=codec)
    with open(path, "rb") as handle:
        assert sniff_file(handle).kind == kind


def test_it_ignores_the_file_name(tmp_path: Path):
    renamed = tmp_path / "统计表.xlsx"
    renamed.write_bytes(pdf_bytes())
    with open(renamed, "rb") as handle:
        assert sniff_file(handle).kind == "pdf"


def test_it_marks_a_truncated_zip_as_damaged():
    data = xlsx_bytes()
    kind = sniff_bytes(data[: len(data) // 2])
    assert (kind.kind, kind.damaged) == ("zip", True)


def test_it_restores_the_file_position():
    handle = io.BytesIO(xlsx_bytes())
    handle.seek(17)
    sniff_file(handle)
    assert handle.tell() == 17


def test_it_tells_an_empty_file_unknown():
    assert detect_kind(b"") == "unknown"


def test_a_zip_is_only_xlsx_when_the_workbook_part_is_there():
    head = b"PK\x03\x04" + bytes(26)
    assert detect_kind(head, zip_names=["xl/workbook.xml", "[Content_Types].xml"]) == "xlsx"
    assert detect_kind(head, zip_names=["word/document.xml"]) == "docx"
    assert detect_kind(head, zip_names=["xl/sharedStrings.xml"]) == "zip"
    assert detect_kind(head) == "zip"


def test_binary_noise_is_not_text():
    assert detect_kind(bytes(range(256)) * 16) == "unknown"
    assert detect_kind(os.urandom(4096)) == "unknown"


def test_a_utf8_character_cut_by_the_head_boundary_is_still_text():
    text = "科技活动周".encode()
    assert detect_kind(text[:-1]) == "txt"


@given(st.binary(max_size=2048))
def test_detect_kind_never_raises_and_answers_a_known_kind(head: bytes):
    assert detect_kind(head) in KIND_INFO


@given(st.binary(max_size=512))
def test_magic_numbers_win_over_whatever_follows(tail: bytes):
    assert detect_kind(b"\x89PNG\r\n\x1a\n" + tail) == "png"
    assert detect_kind(b"%PDF-1.7\n" + tail) == "pdf"
    assert detect_kind(OLE2_MAGIC + tail) == "ole2"


def test_require_kind_names_the_field_what_was_found_and_what_is_allowed():
    with pytest.raises(UploadRejected) as caught:
        require_kind(FileKind("pdf"), {"xlsx"}, field_label="统计表")
    assert caught.value.message == "「统计表」不是有效的 Excel 文件（检测到 PDF 内容），允许的格式：.xlsx"
    assert caught.value.field == "统计表"
    assert isinstance(caught.value, ValueError)


def test_require_kind_asks_to_resave_legacy_office_files():
    with pytest.raises(UploadRejected) as caught:
        require_kind(FileKind("ole2"), {"xlsx"}, field_label="统计表")
    assert "另存为 .xlsx" in caught.value.message
    assert caught.value.code == "legacy_office"


def test_require_kind_describes_mixed_fields():
    with pytest.raises(UploadRejected) as caught:
        require_kind(FileKind("txt"), {"pdf", "jpeg", "png"}, field_label="盖章扫描件")
    assert caught.value.message == (
        "「盖章扫描件」不是有效的 PDF 文件或图片（检测到纯文本内容），允许的格式：.pdf、.jpg、.png"
    )
