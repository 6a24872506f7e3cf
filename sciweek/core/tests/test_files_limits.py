"""save_upload_streamed with Django's own upload classes and a real FileSystemStorage."""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path

import pytest
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile, UploadedFile
from hypothesis import given
from hypothesis import strategies as st

from sciweek.core.files import (
    IMAGE_KINDS,
    VIDEO_KINDS,
    UploadRejected,
    check_video,
    sanitize_display_name,
    save_upload_streamed,
)

from .test_files_factory import (
    PYTEST_DJANGO_ACTIVE,
    GiB,
    MiB,
    configure_django_if_needed,
    counting_chunks,
    image_bytes,
    pdf_bytes,
    write_video,
    write_zip_bomb,
    xlsx_bytes,
)

if not PYTEST_DJANGO_ACTIVE:
    from .test_files_factory import standalone_settings  # noqa: F401 - provides `settings`

XLSX = {"xlsx"}


@pytest.fixture
def django_settings():
    """Django settings, whether pytest-django configured them or we run with ``-p no:django``."""
    from django.conf import settings

    configure_django_if_needed()
    return settings


@pytest.fixture
def storage(tmp_path: Path, django_settings) -> FileSystemStorage:
    return FileSystemStorage(location=tmp_path / "media", base_url="/media/")


@pytest.fixture
def upload_tmp(tmp_path: Path, django_settings):
    """Point upload temp files at a folder of our own so we can watch them."""
    from django.test import override_settings

    folder = tmp_path / "upload-tmp"
    folder.mkdir()
    with override_settings(FILE_UPLOAD_TEMP_DIR=str(folder)):
        yield folder


def stored_files(storage: FileSystemStorage) -> list[Path]:
    root = Path(storage.location)
    return sorted(path for path in root.rglob("*") if path.is_file()) if root.exists() else []


def save(upload, storage, **overrides) -> object:
    options = {"folder": "reports/2023", "max_bytes": 5 * MiB, "allowed_kinds": XLSX, "field_label": "统计表"}
    options.update(overrides)
    return save_upload_streamed(upload, storage=storage, **options)


def test_it_stores_a_real_xlsx_under_a_random_name(storage: FileSystemStorage):
    data = xlsx_bytes()
    stored = save(SimpleUploadedFile("泗县统计表.xlsx", data), storage)
    assert re.fullmatch(r"reports/2023/[0-9a-f]{32}\.xlsx", stored.name)
    assert stored.original_name == "泗县统计表.xlsx"
    assert (stored.kind, stored.size, stored.sha256) == ("xlsx", len(data), hashlib.sha256(data).hexdigest())
    with storage.open(stored.name) as handle:
        assert handle.read() == data


def test_the_client_name_is_never_a_path(storage: FileSystemStorage, tmp_path: Path):
    stored = save(SimpleUploadedFile("../../../etc/cron.d/统计表.xlsx", xlsx_bytes()), storage)
    assert stored.name.startswith("reports/2023/")
    assert stored.original_name == "统计表.xlsx"
    assert all(path.is_relative_to(tmp_path / "media") for path in tmp_path.rglob("*") if path.is_file())


def test_the_extension_comes_from_the_content(storage: FileSystemStorage):
    stored = save(
        SimpleUploadedFile("photo.exe", image_bytes("PNG")),
        storage,
        allowed_kinds=IMAGE_KINDS,
        field_label="活动照片",
    )
    assert stored.name.endswith(".png")
    assert stored.kind == "png"


def test_a_pdf_renamed_xlsx_is_refused_and_nothing_is_stored(storage: FileSystemStorage):
    with pytest.raises(UploadRejected) as caught:
        save(SimpleUploadedFile("统计表.xlsx", pdf_bytes(), "application/vnd.ms-excel"), storage)
    assert caught.value.message == "「统计表」不是有效的 Excel 文件（检测到 PDF 内容），允许的格式：.xlsx"
    assert caught.value.field == "统计表"
    assert stored_files(storage) == []


def test_text_renamed_mp4_is_refused_as_a_video(storage: FileSystemStorage):
    upload = SimpleUploadedFile("活动视频.mp4", "这不是视频，是一段文字。\n".encode(), "video/mp4")
    with pytest.raises(UploadRejected) as caught:
        save(upload, storage, allowed_kinds=VIDEO_KINDS, field_label="活动视频")
    assert caught.value.message.startswith("「活动视频」不是有效的视频文件（检测到纯文本内容）")
    assert stored_files(storage) == []


def test_a_declared_oversize_is_reported_with_both_sizes(storage: FileSystemStorage, django_settings):
    size = int(25.3 * MiB)
    upload = TemporaryUploadedFile("活动视频.mp4", "video/mp4", size, None)
    upload.file.truncate(size)  # sparse: the test does not write 25 MB
    try:
        with pytest.raises(UploadRejected) as caught:
            save(upload, storage, max_bytes=20 * MiB, allowed_kinds=VIDEO_KINDS, field_label="活动视频")
    finally:
        upload.close()
    assert caught.value.message == "「活动视频」文件过大：25.3 MB，上限 20 MB"
    assert caught.value.code == "too_large"


class StreamedUpload(UploadedFile):
    """An upload whose size nobody told us, arriving chunk by chunk."""

    def __init__(self, name: str, chunks) -> None:
        super().__init__(file=None, name=name, size=None)
        self._chunks = chunks

    def chunks(self, chunk_size=None):
        return self._chunks


def test_an_oversized_stream_is_abandoned_at_the_limit(storage: FileSystemStorage, upload_tmp: Path):
    chunk_size = 64 * 1024
    max_bytes = 1 * MiB
    consumed: list[int] = []
    biggest_temp = 0

    def on_chunk(index: int) -> None:
        nonlocal biggest_temp
        consumed.append(index)
        sizes = [path.stat().st_size for path in upload_tmp.rglob("*") if path.is_file()]
        biggest_temp = max([biggest_temp, *sizes])

    upload = StreamedUpload("huge.mp4", counting_chunks(GiB, chunk_size, on_chunk))
    with pytest.raises(UploadRejected) as caught:
        save(upload, storage, max_bytes=max_bytes, allowed_kinds=VIDEO_KINDS, field_label="活动视频")
    assert caught.value.message == "「活动视频」文件过大：超过上限 1 MB"
    # 16 chunks fill the limit exactly; the 17th is the one that would pass it.
    assert len(consumed) == max_bytes // chunk_size + 1
    assert biggest_temp <= max_bytes
    assert list(upload_tmp.iterdir()) == []  # the temporary file is gone
    assert stored_files(storage) == []


def test_an_upload_exactly_at_the_limit_is_accepted(storage: FileSystemStorage):
    data = xlsx_bytes()
    stored = save(SimpleUploadedFile("a.xlsx", data), storage, max_bytes=len(data))
    assert stored.size == len(data)


def test_an_empty_file_is_refused(storage: FileSystemStorage):
    with pytest.raises(UploadRejected) as caught:
        save(SimpleUploadedFile("统计表.xlsx", b""), storage)
    assert caught.value.code == "empty"
    assert caught.value.message.startswith("「统计表」文件是空的")


def test_a_truncated_xlsx_is_called_damaged(storage: FileSystemStorage):
    data = xlsx_bytes()
    with pytest.raises(UploadRejected) as caught:
        save(SimpleUploadedFile("统计表.xlsx", data[: len(data) // 2]), storage)
    assert caught.value.message.startswith("「统计表」文件已损坏或不完整，无法作为 Excel 文件打开")
    assert stored_files(storage) == []


def test_a_legacy_xls_gets_a_save_as_hint(storage: FileSystemStorage):
    ole2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(4088)
    with pytest.raises(UploadRejected) as caught:
        save(SimpleUploadedFile("统计表.xls", ole2), storage)
    assert "另存为 .xlsx" in caught.value.message


def test_a_zip_bomb_upload_is_refused_before_storing(
    storage: FileSystemStorage, tmp_path_factory: pytest.TempPathFactory, django_settings
):
    bomb = write_zip_bomb(tmp_path_factory.getbasetemp() / "bomb-1gib.zip", uncompressed=GiB)
    upload = TemporaryUploadedFile("照片.zip", "application/zip", bomb.stat().st_size, None)
    with open(bomb, "rb") as source:
        while block := source.read(MiB):
            upload.file.write(block)
    upload.file.flush()
    try:
        with pytest.raises(UploadRejected) as caught:
            save(upload, storage, allowed_kinds={"zip"}, field_label="活动照片包")
    finally:
        upload.close()
    assert caught.value.field == "活动照片包"
    assert "压缩炸弹" in caught.value.message
    assert stored_files(storage) == []


def test_validate_runs_on_the_complete_file_before_storing(storage: FileSystemStorage, tmp_path: Path):
    def three_minutes_max(path: str, kind) -> None:
        check_video(path, max_seconds=180, field_label="活动视频")

    long_clip = write_video(tmp_path / "long.mp4", 190).read_bytes()
    with pytest.raises(UploadRejected) as caught:
        save(
            SimpleUploadedFile("总结视频.mp4", long_clip),
            storage,
            allowed_kinds=VIDEO_KINDS,
            field_label="活动视频",
            validate=three_minutes_max,
        )
    assert caught.value.message == "「活动视频」视频时长 3分10秒，超过上限 3分钟，请剪辑后重新上传"
    assert stored_files(storage) == []

    short_clip = write_video(tmp_path / "short.mp4", 2, fps=2).read_bytes()
    stored = save(
        SimpleUploadedFile("总结视频.mp4", short_clip),
        storage,
        allowed_kinds=VIDEO_KINDS,
        field_label="活动视频",
        validate=three_minutes_max,
    )
    assert stored.kind == "mp4" and stored.name.endswith(".mp4")
    assert len(stored_files(storage)) == 1


def test_it_streams_from_a_real_temporary_upload(storage: FileSystemStorage, django_settings):
    data = pdf_bytes()
    upload = TemporaryUploadedFile("盖章件.pdf", "application/pdf", len(data), None)
    upload.file.write(data)
    upload.file.flush()
    try:
        stored = save(upload, storage, allowed_kinds={"pdf", "jpeg", "png"}, field_label="盖章扫描件")
    finally:
        upload.close()
    assert stored.kind == "pdf"
    assert os.path.getsize(storage.path(stored.name)) == len(data)


def test_an_unsafe_folder_is_a_programming_error(storage: FileSystemStorage):
    with pytest.raises(ValueError, match="unsafe storage folder"):
        save(SimpleUploadedFile("a.xlsx", xlsx_bytes()), storage, folder="../outside")


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("C:\\Users\\张三\\Desktop\\统计表.xlsx", "统计表.xlsx"),
        ("../../etc/passwd", "passwd"),
        ("evil\u202egnp.exe", "evilgnp.exe"),
        ("line\nbreak.pdf", "linebreak.pdf"),
        ("", "未命名文件"),
        (None, "未命名文件"),
        ("...", "未命名文件"),
    ],
)
def test_display_names_are_sanitised(raw, shown):
    assert sanitize_display_name(raw) == shown


def test_long_display_names_keep_their_extension():
    shown = sanitize_display_name("活" * 500 + ".xlsx")
    assert len(shown) <= 200 and shown.endswith("….xlsx")


@given(st.text(max_size=400))
def test_a_display_name_never_carries_a_path_or_control_characters(raw: str):
    shown = sanitize_display_name(raw)
    assert shown and len(shown) <= 200
    assert "/" not in shown and "\\" not in shown
    assert not any(ord(ch) < 32 or 0x7F <= ord(ch) < 0xA0 or ch in "\u202e\u200b\ufeff" for ch in shown)
