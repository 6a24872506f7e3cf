"""ZIP archives that must not be opened: bombs, traversal names, nesting, encryption, lies."""

from __future__ import annotations

import io
import time
import zipfile
from pathlib import Path

import pytest

from sciweek.core.files import UploadRejected, check_zip_safe, is_unsafe_member_name

from .test_files_factory import (
    PYTEST_DJANGO_ACTIVE,
    GiB,
    MiB,
    central_directory_offsets,
    docx_bytes,
    patch_uint,
    write_zip_bomb,
    xlsx_bytes,
    zip_bytes,
)

if not PYTEST_DJANGO_ACTIVE:
    from .test_files_factory import standalone_settings  # noqa: F401 - provides `settings`


@pytest.fixture(scope="session")
def gigabyte_bomb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_zip_bomb(tmp_path_factory.getbasetemp() / "bomb-1gib.zip", uncompressed=GiB)


def rejected(data: bytes | io.BufferedIOBase, **kwargs) -> UploadRejected:
    handle = io.BytesIO(data) if isinstance(data, bytes) else data
    with pytest.raises(UploadRejected) as caught:
        check_zip_safe(handle, **kwargs)
    return caught.value


def test_it_accepts_real_office_files_and_plain_zips():
    for data in (xlsx_bytes(), docx_bytes(), zip_bytes({"活动照片/1.txt": b"x", "说明.txt": b"y"})):
        check_zip_safe(io.BytesIO(data), forbid_xml_doctype=True)


def test_it_rejects_a_gigabyte_bomb_from_the_headers_quickly(gigabyte_bomb: Path):
    assert gigabyte_bomb.stat().st_size < 2 * MiB
    started = time.monotonic()
    with open(gigabyte_bomb, "rb") as handle:
        error = rejected(handle, field_label="活动材料")
    assert time.monotonic() - started < 1.0
    assert error.code == "zip_ratio"
    assert error.message.startswith("「活动材料」压缩包内文件的压缩比异常")
    assert error.field == "活动材料"


def test_a_bomb_with_a_permissive_ratio_still_hits_the_total_limit(gigabyte_bomb: Path):
    with open(gigabyte_bomb, "rb") as handle:
        error = rejected(handle, max_ratio=10_000)
    assert error.code == "zip_too_large"
    assert error.message == "压缩包解压后过大：1 GB，上限 200 MB"


def test_a_bomb_whose_headers_lie_about_its_size_is_caught_while_decompressing():
    honest = zip_bytes({"zeros.bin": bytes(8 * MiB)})
    entry = central_directory_offsets(honest)[0]
    # Central directory: uncompressed size at +24. Claim 1 KiB; the data still inflates to 8 MiB.
    liar = patch_uint(honest, entry + 24, 1024)
    started = time.monotonic()
    error = rejected(liar)
    assert time.monotonic() - started < 1.0
    assert error.code in {"zip_damaged", "zip_size_mismatch"}
    assert "zeros.bin" in error.message


def test_many_small_members_add_up_to_the_limit():
    data = zip_bytes({f"part{i}.txt": bytes(300 * 1024) for i in range(8)})
    error = rejected(data, max_total_uncompressed=2 * MiB)
    assert error.code == "zip_too_large"
    check_zip_safe(io.BytesIO(data), max_total_uncompressed=3 * MiB)


@pytest.mark.parametrize("method", [zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA])
def test_it_refuses_compression_methods_whose_output_zipfile_does_not_bound(method: int):
    # bzip2 turns 8 MiB of zeros into a few dozen bytes; zipfile would inflate a whole read at once.
    error = rejected(zip_bytes({"zeros.bin": bytes(8 * MiB)}, compression=method), max_ratio=10**9)
    assert error.code == "zip_method"
    assert "不支持的压缩方式" in error.message


def test_it_limits_the_member_count():
    data = zip_bytes({f"{i}.txt": b"x" for i in range(11)})
    error = rejected(data, max_members=10)
    assert error.message == "压缩包内文件过多：11 个，上限 10 个"


@pytest.mark.parametrize(
    "name",
    [
        "../../etc/cron.d/evil",
        "照片/../../../evil.sh",
        "/etc/passwd",
        "C:/Windows/evil.dll",
        "..\\..\\evil.bat",
    ],
)
def test_it_rejects_path_traversal_names(name: str):
    error = rejected(zip_bytes({"ok.txt": b"fine", name: b"payload"}), field_label="活动照片")
    assert error.code == "zip_unsafe_name"
    assert error.message == f"「活动照片」压缩包内含有不安全的文件路径：{name}"


@pytest.mark.parametrize(
    ("name", "unsafe"),
    [("a/b/c.txt", False), ("a..b.txt", False), ("..", True), ("a/../b", True), ("d:x", True), ("\\x", True)],
)
def test_unsafe_name_rules(name: str, unsafe: bool):
    assert is_unsafe_member_name(name) is unsafe


def test_it_rejects_symlinks():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        link = zipfile.ZipInfo("link")
        link.external_attr = (0o120777 << 16) | 0x20
        archive.writestr(link, "/etc/passwd")
    assert rejected(out.getvalue()).code == "zip_symlink"


def test_it_rejects_encrypted_members():
    data = zip_bytes({"secret.txt": b"top secret"})
    entry = central_directory_offsets(data)[0]
    # General-purpose flag bit 0 = encrypted: local header +6, central directory +8.
    data = patch_uint(patch_uint(data, 6, 0x1, "<H"), entry + 8, 0x1, "<H")
    error = rejected(data, field_label="总结材料")
    assert error.code == "zip_encrypted"
    assert "去掉密码" in error.message


def test_it_allows_one_level_of_nesting_but_not_two():
    inner = zip_bytes({"a.txt": b"a"})
    one_level = zip_bytes({"inner.zip": inner})
    check_zip_safe(io.BytesIO(one_level))
    two_levels = zip_bytes({"middle.zip": one_level})
    error = rejected(two_levels)
    assert error.code == "zip_nested"
    assert "inner.zip" in error.message
    assert rejected(one_level, max_depth=0).code == "zip_nested"


def test_nested_archives_share_the_decompression_budget():
    inner = zip_bytes({"big.bin": bytes(3 * MiB)})
    outer = zip_bytes({"inner.zip": inner, "other.bin": bytes(512 * 1024)})
    error = rejected(outer, max_total_uncompressed=3 * MiB, max_ratio=10_000)
    assert error.code == "zip_too_large"


def test_a_docx_with_an_embedded_workbook_passes():
    data = zip_bytes(
        {
            **{name: content for name, content in _members(docx_bytes()).items()},
            "word/embeddings/Microsoft_Excel_Worksheet.xlsx": xlsx_bytes(),
        }
    )
    check_zip_safe(io.BytesIO(data), forbid_xml_doctype=True)


def test_it_rejects_overlapping_entries():
    data = zip_bytes({"a.bin": bytes(1000), "b.bin": bytes(1000)})
    second = central_directory_offsets(data)[1]
    # Local header offset at +42: point b.bin at a.bin's data, as overlapping bombs do.
    error = rejected(patch_uint(data, second + 42, 0))
    assert error.code == "zip_overlap"


def test_it_rejects_xml_with_a_doctype_when_asked():
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]><sst>&lol2;</sst>'
    )
    data = zip_bytes({"xl/sharedStrings.xml": laughs})
    check_zip_safe(io.BytesIO(data))
    assert rejected(data, forbid_xml_doctype=True).code == "xml_doctype"


def test_a_doctype_split_across_chunks_is_still_found():
    xml = b"<a>" + b" " * (64 * 1024 - 7) + b"<!DOCTYPE x>"
    assert rejected(zip_bytes({"doc.xml": xml}), forbid_xml_doctype=True).code == "xml_doctype"


def test_a_truncated_archive_is_damaged_not_a_crash():
    data = xlsx_bytes()
    error = rejected(data[: len(data) - 40], field_label="统计表")
    assert error.code == "zip_damaged"
    assert error.message.startswith("「统计表」文件已损坏或不完整")


def test_it_restores_the_file_position():
    handle = io.BytesIO(xlsx_bytes())
    handle.seek(5)
    check_zip_safe(handle)
    assert handle.tell() == 5


def _members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}
