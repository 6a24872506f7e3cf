"""The report package: real photos, documents and videos; types by content, sizes, video length, scoped files."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings as django_settings

from sciweek.reports.models import ReportAttachment

from .report_files import (
    attach,
    complete,
    deadline_in,
    docx_bytes,
    jpeg_bytes,
    mp4_bytes,
    open_mine,
    pdf_bytes,
    png_bytes,
    report_of,
    submit,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def mine(demo, qxj, unit, client_for):
    c = client_for(qxj)
    open_mine(c, demo.campaign)
    return c, report_of(demo.campaign, unit("县气象局"))


def stored_files() -> list[Path]:
    root = Path(django_settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_it_stores_a_photo_with_a_thumbnail_behind_a_scoped_link(mine, client_for, town1, organizer):
    c, report = mine
    body = attach(c, report, "photo", "../../etc/现场照片.png", png_bytes()).content.decode()
    assert "已上传1个「活动照片」" in body
    photo = ReportAttachment.objects.get(kind="photo")
    assert photo.original_name == "现场照片.png" and photo.content_kind == "png"
    assert "etc" not in photo.file.name and photo.file.name.endswith(".png")
    assert f'src="/reports/attachments/{photo.pk}/thumb/"' in body
    assert 'src="/media/' not in body and 'href="/media/' not in body

    thumb = c.get(f"/reports/attachments/{photo.pk}/thumb/")
    assert thumb["Content-Type"] == "image/jpeg" and b"".join(thumb.streaming_content)[:3] == b"\xff\xd8\xff"
    full = client_for(organizer).get(f"/reports/attachments/{photo.pk}/")
    assert full.status_code == 200 and full["Content-Type"] == "image/png"
    assert client_for(town1).get(f"/reports/attachments/{photo.pk}/").status_code == 404
    assert client_for(town1).get(f"/reports/attachments/{photo.pk}/thumb/").status_code == 404


def test_it_accepts_the_documents_the_notice_asks_for(mine):
    c, report = mine
    attach(c, report, "summary", "工作总结.docx", docx_bytes())
    attach(c, report, "summary", "工作总结.pdf", pdf_bytes())
    attach(c, report, "stamped", "盖章统计表.jpg", jpeg_bytes())
    attach(c, report, "media", "报道截图.png", png_bytes(400, 300))
    kinds = sorted(ReportAttachment.objects.values_list("kind", "content_kind"))
    assert kinds == [("media", "png"), ("stamped", "jpeg"), ("summary", "docx"), ("summary", "pdf")]


@pytest.mark.parametrize(
    ("kind", "name", "data", "message"),
    [
        (
            "photo",
            "活动照片.xlsx",
            pdf_bytes(),
            "「活动照片」不是有效的图片（检测到 PDF 内容），允许的格式：.jpg、.png",
        ),
        ("photo", "活动照片.jpg", pdf_bytes(), "「活动照片」不是有效的图片（检测到 PDF 内容）"),
        (
            "video",
            "现场视频.mp4",
            "这不是视频，是一段文字说明。".encode() * 50,
            "「视频」不是有效的视频文件（检测到纯文本内容）",
        ),
        (
            "summary",
            "总结.docx",
            png_bytes(),
            "「活动总结」不是有效的 Word 文件或PDF 文件（检测到 PNG 图片内容），允许的格式：.docx、.pdf",
        ),
        ("stamped", "盖章表.pdf", b"", "「盖章统计表」文件是空的（0 字节），请重新选择文件"),
        ("photo", "坏照片.png", png_bytes()[:200], "「活动照片」图片已损坏或格式不受支持"),
    ],
)
def test_it_refuses_a_file_that_is_not_what_it_claims(mine, kind, name, data, message):
    c, report = mine
    body = attach(c, report, kind, name, data).content.decode()
    assert message in body
    assert not ReportAttachment.objects.exists()
    assert stored_files() == []


def test_it_reads_the_video_length_from_the_file(mine, demo):
    c, report = mine
    body = attach(c, report, "video", "活动视频.mp4", mp4_bytes(192)).content.decode()
    assert "「视频」视频时长 3分12秒，超过上限 3分钟，请剪辑后重新上传" in body
    assert stored_files() == []

    body = attach(c, report, "video", "活动视频.mp4", mp4_bytes(75)).content.decode()
    assert "已上传1个「视频」" in body
    video = ReportAttachment.objects.get(kind="video")
    assert round(video.duration_seconds) == 75
    assert "时长 <span data-duration>1分15秒</span>" in body

    demo.campaign.max_video_minutes = 1
    demo.campaign.save()
    assert (
        "视频时长 1分15秒，超过上限 1分钟"
        in attach(c, report, "video", "b.mp4", mp4_bytes(75)).content.decode()
    )


def test_it_refuses_an_oversized_upload_while_it_streams(mine, settings, tmp_path):
    c, report = mine
    settings.SCIWEEK_REPORT_UPLOAD_MB = {"photo": 1}
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path)
    big = png_bytes() + b"\0" * (3 * 1024 * 1024)  # over the 2.5 MB in-memory threshold: a temp file upload
    body = attach(c, report, "photo", "大照片.png", big).content.decode()
    # The streaming handler's message (the declared-size check would have said "3 MB，上限 1 MB").
    assert "「活动照片」文件过大：超过上限 1 MB" in body
    assert not ReportAttachment.objects.exists()
    assert stored_files() == []
    assert list(tmp_path.iterdir()) == []  # no temporary file left behind
    assert "已上传1个" in attach(c, report, "photo", "小照片.png", png_bytes()).content.decode()


def test_it_takes_media_links_and_refuses_scripts(mine):
    c, report = mine
    r = c.post(
        f"/reports/{report.pk}/link/",
        {"url": "https://www.sixian.gov.cn/news/2023/kjz.html", "title": "泗县发布：科技活动周启动"},
        follow=True,
    )
    assert "泗县发布：科技活动周启动" in r.content.decode()
    r = c.post(f"/reports/{report.pk}/link/", {"url": "javascript:alert(1)"}, follow=True)
    assert (
        "「媒体报道资料」链接格式不正确：javascript:alert(1)，应以 http:// 或 https:// 开头"
        in r.content.decode()
    )
    assert ReportAttachment.objects.filter(kind="media").count() == 1


def test_it_deletes_attachments_only_while_the_report_is_editable(
    mine, demo, client_for, town1, django_capture_on_commit_callbacks
):
    c, report = mine
    deadline_in(demo.campaign, days=2)
    attach(c, report, "photo", "多余.png", png_bytes())
    extra = ReportAttachment.objects.get(kind="photo")
    assert client_for(town1).post(f"/reports/attachments/{extra.pk}/delete/").status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        r = c.post(f"/reports/attachments/{extra.pk}/delete/", follow=True)
    assert "已删除「多余.png」" in r.content.decode()
    assert not ReportAttachment.objects.filter(pk=extra.pk).exists()
    assert len(stored_files()) == 0  # the file and its thumbnail went with it

    complete(c, report)
    submit(c, report)
    summary = ReportAttachment.objects.get(kind="summary")
    r = c.post(f"/reports/attachments/{summary.pk}/delete/", follow=True)
    assert "统计表已提交，不能修改" in r.content.decode()
    assert ReportAttachment.objects.filter(pk=summary.pk).exists()
    assert "统计表已提交，不能修改" in attach(c, report, "photo", "补充.png", png_bytes()).content.decode()
    assert ReportAttachment.objects.filter(kind="photo").count() == 0
