from __future__ import annotations

import io
import zipfile
from io import StringIO

import pytest
from django.core.management import call_command
from pypdf import PdfReader

from sciweek.core.models import Job
from sciweek.materials.boards.build import board_pdf
from sciweek.materials.boards.sizes import BLEED_MM, MARKS_MM, SIZES

from .helpers import approved_content

MM = 72 / 25.4


def _fonts_embedded(reader: PdfReader) -> list[str]:
    """Names of fonts on every page, asserting each carries its font program."""
    names = []
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descs = [font] + [d.get_object() for d in font.get("/DescendantFonts", [])]
            desc = next((d["/FontDescriptor"].get_object() for d in descs if "/FontDescriptor" in d), None)
            assert desc is not None, f"{font.get('/BaseFont')} has no descriptor (not embedded)"
            assert any(k in desc for k in ("/FontFile", "/FontFile2", "/FontFile3")), font.get("/BaseFont")
            names.append(str(font["/BaseFont"]))
    return names


@pytest.mark.parametrize("size", ["rollup", "xstand", "board-120x90", "board-240x120", "board-90x120"])
def test_it_makes_a_print_ready_pdf_with_bleed_boxes_and_embedded_fonts(size, demo, qxj, organizer, unit):
    sub = approved_content(demo.campaign, unit("县气象局"), qxj, organizer, images=3)
    out = io.BytesIO()
    result = board_pdf(submission=sub, out=out, size=size)
    reader = PdfReader(io.BytesIO(out.getvalue()))
    page = reader.pages[0]
    s = SIZES[size]
    assert float(page.mediabox.width) == pytest.approx((s.width_mm + 2 * BLEED_MM) * MM, abs=0.01)
    assert float(page.mediabox.height) == pytest.approx((s.height_mm + 2 * BLEED_MM) * MM, abs=0.01)
    trim = [float(v) for v in page.trimbox]
    assert trim == pytest.approx(
        [BLEED_MM * MM, BLEED_MM * MM, (s.width_mm + BLEED_MM) * MM, (s.height_mm + BLEED_MM) * MM], abs=0.01
    )
    assert [float(v) for v in page.bleedbox] == pytest.approx(
        [0, 0, float(page.mediabox.width), float(page.mediabox.height)], abs=0.01
    )
    names = _fonts_embedded(reader)
    assert names and all("+" in n for n in names)  # subsets
    text = page.extract_text()
    for needle in ("热爱科学", "崇尚科学", "泗县气象局", "县气象局科普宣传"):
        assert needle in text.replace(" ", ""), needle
    assert len(page.images) == 3
    assert {(im.image.width, im.image.height) for im in page.images} == {(1600, 1200)}  # full resolution
    assert result.warnings == []


def test_it_adds_crop_marks_outside_the_bleed(demo, qxj, organizer, unit):
    sub = approved_content(demo.campaign, unit("县气象局"), qxj, organizer)
    out = io.BytesIO()
    board_pdf(submission=sub, out=out, size="board-120x90", crop_marks=True)
    page = PdfReader(io.BytesIO(out.getvalue())).pages[0]
    assert float(page.mediabox.width) == pytest.approx((1200 + 2 * (BLEED_MM + MARKS_MM)) * MM, abs=0.01)
    assert float(page.trimbox.width) == pytest.approx(1200 * MM, abs=0.01)
    assert float(page.bleedbox.width) == pytest.approx((1200 + 2 * BLEED_MM) * MM, abs=0.01)


def test_it_steps_the_font_down_and_reports_overflow_never_cutting_silently(demo, qxj, organizer, unit):
    long = "\n".join(
        ["科技活动周期间，我们走进田间地头、厂矿企业、社区农村和中小学校，开展形式多样的科普活动。"] * 60
    )
    sub = approved_content(demo.campaign, unit("县气象局"), qxj, organizer, body=long[:2990])
    out = io.BytesIO()
    result = board_pdf(submission=sub, out=out, size="xstand", template="gallery")
    assert result.warnings and "正文放不下" in result.warnings[0] and "超出版面" in result.warnings[0]
    short = io.BytesIO()
    roomy = board_pdf(submission=sub, out=short, size="board-240x120", template="columns")
    assert roomy.body_size_pt > result.body_size_pt or not roomy.warnings


def test_it_gives_the_set_as_a_zip_job_and_the_command_prints_paths(
    demo, qxj, town1, organizer, unit, client_for, tmp_path
):
    a = approved_content(demo.campaign, unit("县气象局"), qxj, organizer)
    approved_content(demo.campaign, unit("墩集镇") if False else town1_unit(town1), town1, organizer)
    c = client_for(organizer)
    r = c.post(f"/manage/publicity/{demo.campaign.pk}/boards/", {"size": "board-120x90", "layout": "columns"})
    job = Job.objects.get(kind="materials.boards")
    assert r.status_code == 302 and job.status == "done" and job.result["count"] == 2
    data = c.get(f"/jobs/{job.pk}/download/")
    with zipfile.ZipFile(io.BytesIO(b"".join(data.streaming_content))) as zf:
        names = zf.namelist()
        assert len(names) == 2 and all(n.endswith("-board-120x90.pdf") for n in names)
        reader = PdfReader(io.BytesIO(zf.read(names[0])))
        assert float(reader.pages[0].trimbox.width) == pytest.approx(1200 * MM, abs=0.01)
    out = StringIO()
    call_command(
        "make_boards", campaign=demo.campaign.pk, unit=a.unit_id, size="xstand", out=str(tmp_path), stdout=out
    )
    paths = out.getvalue().split()
    assert len(paths) == 1 and paths[0].endswith("-xstand.pdf")
    by_year = StringIO()  # the campaign by its year and region, as every command takes it
    campaign = demo.campaign
    call_command("make_boards", campaign=str(campaign.year), region=campaign.org_unit.code, unit=a.unit_id,
                 size="xstand", out=str(tmp_path / "y"), stdout=by_year)  # fmt: skip
    assert [p.rsplit("/", 1)[1] for p in by_year.getvalue().split()] == [paths[0].rsplit("/", 1)[1]]
    assert PdfReader(paths[0]).pages[0].extract_text()
    assert (
        client_for(organizer).get(f"/manage/publicity/item/{a.pk}/board.pdf?size=rollup")["Content-Type"]
        == "application/pdf"
    )


def town1_unit(user):
    return user.memberships.first().unit


def test_it_prints_the_units_logo_beside_its_name(client_for, demo, qxj, organizer, unit):
    from sciweek.materials.publicity.images import publicity_add_image, publicity_set_logo
    from sciweek.materials.services import publicity_approve, publicity_save, publicity_submit
    from sciweek.orgs.models import StaffContact

    from .photos import photo_bytes, upload

    qx = unit("县气象局")
    StaffContact.objects.create(unit=qx, name="王芳", mobile="13800001234")
    sub = publicity_save(
        actor=qxj, campaign=demo.campaign, unit=qx, version=None, headline="标题", body="正文", submit=False
    )
    page = (
        client_for(qxj)
        .post(
            f"/my/publicity/{demo.campaign.pk}/{qx.pk}/",
            {
                "headline": "标题",
                "body": "正文",
                "version": sub.version,
                "logo": upload("logo.svg", b"<svg xmlns='http://www.w3.org/2000/svg'/>"),
            },
        )
        .content.decode()
    )
    assert "单位标志“logo.svg”" in page
    sub = publicity_set_logo(
        actor=qxj, submission=sub, upload=upload("logo.png", photo_bytes(300, 300, fmt="PNG"), "image/png")
    )
    for i in range(2):
        publicity_add_image(actor=qxj, submission=sub, upload=upload(f"p{i}.jpg", photo_bytes()))
    sub.refresh_from_db()
    sub = publicity_submit(actor=qxj, submission=sub, version=sub.version)
    sub = publicity_approve(actor=organizer, submission=sub, version=sub.version)
    out = io.BytesIO()
    board_pdf(submission=sub, out=out, size="rollup")
    sizes = {
        (im.image.width, im.image.height) for im in PdfReader(io.BytesIO(out.getvalue())).pages[0].images
    }
    assert (300, 300) in sizes and (1600, 1200) in sizes
