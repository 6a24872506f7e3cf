"""Bad uploads get a clear Chinese message and store nothing; only the region's organizers may import."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from sciweek.campaigns.models import Campaign, NoticeImport
from sciweek.notices.importing.services import notice_import_start
from sciweek.orgs.models import OrgUnit

from .notice_files import SEED_TABLE, make_pdf, split_seed
from .notice_import_pages import form_data, seed_bytes

URL = "/manage/notices/import/"


def post_file(client, name: str, data: bytes):
    return client.post(URL, {"file": SimpleUploadedFile(name, data), "close_of_business": "17:30"})


def stored_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT) / "notices"
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def zip_bomb_docx() -> bytes:
    """A .docx-shaped ZIP whose word/document.xml inflates ~50 MB from ~50 KB."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w") as handle:
            chunk = b" " * (1024 * 1024)
            for _ in range(50):
                handle.write(chunk)
    return out.getvalue()


def scanned_pdf() -> bytes:
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    pdf = canvas.Canvas(out)
    pdf.rect(50, 50, 400, 600, fill=1)  # a "scan": shapes, no text
    pdf.save()
    return out.getvalue()


def legacy_doc() -> bytes:
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(2048)


@pytest.mark.parametrize(
    ("name", "make", "message"),
    [
        (
            "通知.docx",
            lambda: b"%PDF-1.7\n" + bytes(range(256)) * 40,
            "通知.docx：PDF 文件已损坏或格式不正确，无法读取。",
        ),
        ("通知.docx", lambda: b"", "「通知文件」文件是空的（0 字节），请重新选择文件"),
        ("通知.docx", zip_bomb_docx, "「通知文件」压缩包内文件的压缩比异常（疑似“压缩炸弹”）"),
        ("扫描件.pdf", scanned_pdf, "PDF 中没有可提取的文字（可能是扫描件），请上传 Word 或文字版 PDF。"),
        (
            "通知.doc",
            legacy_doc,
            "是旧版 Office 格式（.xls / .doc），请用 Office 或 WPS 另存为 .docx 后再上传",
        ),
        (
            "通知.txt",
            lambda: b"\x89PNG\r\n\x1a\n" + bytes(200),
            "检测到 PNG 图片内容），允许的格式：.docx、.pdf、.txt",
        ),
        ("通知.docx", lambda: b"PK\x03\x04garbage", "「通知文件」文件已损坏或不完整"),
        ("通知.txt", lambda: b"   \n\n  ", "通知内容为空：文件里没有可读取的文字。"),
    ],
)
def test_it_refuses_a_bad_upload_with_a_clear_message(client_for, organizer, name, make, message):
    r = post_file(client_for(organizer), name, make())
    body = r.content.decode()
    assert r.status_code == 400
    assert message in body
    assert "text-danger" in body or "invalid-feedback" in body
    assert not NoticeImport.objects.exists()
    assert stored_files() == []


def test_it_refuses_a_file_over_twenty_megabytes(client_for, organizer):
    data = ("关于举办2023年科技活动周的通知\n" * 800_000).encode()[: 21 * 1024 * 1024]
    r = post_file(client_for(organizer), "通知.txt", data)
    assert r.status_code == 400 and "文件过大" in r.content.decode() and "20 MB" in r.content.decode()
    assert stored_files() == []


def test_it_asks_for_a_file_or_text_but_not_both(client_for, organizer):
    c = client_for(organizer)
    r = c.post(URL, {"close_of_business": "17:30"})
    assert r.status_code == 400 and "请上传通知文件，或粘贴通知全文。" in r.content.decode()
    r = c.post(
        URL,
        {"file": SimpleUploadedFile("a.txt", seed_bytes()), "text": "关于举办", "close_of_business": "17:30"},
    )
    assert r.status_code == 400 and "请只选择一种方式：上传文件或粘贴全文。" in r.content.decode()


def test_it_reads_a_pdf_notice(client_for, organizer, demo):
    head, tail = split_seed(seed_bytes().decode("utf-8"))
    c = client_for(organizer)
    r = post_file(c, "通知.pdf", make_pdf(head, SEED_TABLE, tail))
    assert r.status_code == 302
    data = form_data(c.get(r["Location"]).content.decode())
    assert (data["start_date"], data["end_date"], data["theme"]) == (
        "2023-05-20",
        "2023-05-31",
        "热爱科学 崇尚科学",
    )
    assert NoticeImport.objects.get().source_file.name.endswith(".pdf")


@pytest.fixture
def an_import(organizer):
    return notice_import_start(
        actor=organizer,
        region=OrgUnit.objects.get(name="泗县"),
        text=seed_bytes().decode(),
        close_of_business=dt.time(17, 30),
    )


@pytest.mark.parametrize(
    ("persona", "upload", "review"),
    [
        ("xcb", 403, 403),  # co-organizer: sees the county, may not import
        ("province", 403, 403),  # viewer above: same
        ("qxj", 403, 404),  # a unit: the import is not in its scope at all
        ("town1", 403, 404),
    ],
)
def test_it_keeps_everyone_but_organizers_out(request, client_for, an_import, persona, upload, review):
    c = client_for(request.getfixturevalue(persona))
    review_url = f"/manage/notices/{an_import.token}/review/"
    assert c.get(URL).status_code == upload
    assert (
        c.post(URL, {"text": "关于举办2023年科技活动周的通知", "close_of_business": "17:30"}).status_code
        == upload
    )
    assert c.get(review_url).status_code == review
    assert c.post(review_url, {}).status_code == review
    assert c.post(f"/manage/notices/{an_import.token}/discard/").status_code == review
    assert NoticeImport.objects.count() == 1 and NoticeImport.objects.get().status == "draft"
    assert Campaign.objects.count() == 1  # the demo's own, nothing created


def test_it_lets_an_organizer_above_the_county_review(client_for, city, an_import):
    assert client_for(city).get(f"/manage/notices/{an_import.token}/review/").status_code == 200


def test_it_answers_404_for_an_unknown_token_and_sends_strangers_to_log_in(client, client_for, organizer):
    assert client_for(organizer).get("/manage/notices/no-such-token/review/").status_code == 404
    r = client.get(URL)
    assert r.status_code == 302 and "/accounts/login/" in r["Location"]


def test_it_offers_the_import_button_to_organizers_only(client_for, organizer, xcb):
    assert "从通知导入" in client_for(organizer).get("/manage/").content.decode()
    assert "从通知导入" not in client_for(xcb).get("/manage/").content.decode()


def test_it_still_checks_the_csrf_token_on_upload(organizer):
    from django.test import Client

    c = Client(enforce_csrf_checks=True)
    c.force_login(organizer)
    r = c.post(URL, {"file": SimpleUploadedFile("a.txt", seed_bytes()), "close_of_business": "17:30"})
    assert r.status_code == 403
    assert not NoticeImport.objects.exists()
