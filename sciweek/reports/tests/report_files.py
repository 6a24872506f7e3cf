"""Real files for the report tests (no mocks): PNG / JPEG with Pillow, Word with python-docx, PDF with
ReportLab, MP4 with PyAV; and helpers to walk a unit's report through the pages."""

from __future__ import annotations

import io
import tempfile
from pathlib import Path

import av
from django.core.files.uploadedfile import SimpleUploadedFile
from docx import Document
from PIL import Image, ImageDraw
from reportlab.pdfgen import canvas


def png_bytes(width: int = 800, height: int = 600, color: tuple[int, int, int] = (40, 110, 180)) -> bytes:
    image = Image.new("RGB", (width, height), color)
    ImageDraw.Draw(image).rectangle((width // 4, height // 4, width // 2, height // 2), fill=(250, 200, 40))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def jpeg_bytes(width: int = 1200, height: int = 900) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (200, 80, 60)).save(out, "JPEG", quality=85)
    return out.getvalue()


def docx_bytes(text: str = "县气象局2023年科技活动周工作总结") -> bytes:
    document = Document()
    document.add_heading(text, 1)
    document.add_paragraph("活动周期间共举办科普活动12次，参与群众3,500人次。")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def pdf_bytes(text: str = "Stamped statistics table") -> bytes:
    out = io.BytesIO()
    pdf = canvas.Canvas(out)
    pdf.drawString(72, 720, text)
    pdf.showPage()
    pdf.save()
    return out.getvalue()


def mp4_bytes(seconds: float, *, fps: int = 2, size: int = 64) -> bytes:
    """A real H.264 MP4 of ``seconds`` (low frame rate and size keep a 3-minute clip small and fast)."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "clip.mp4"
        with av.open(str(path), "w") as container:
            stream = container.add_stream("libx264", rate=fps)
            stream.width = stream.height = size
            stream.pix_fmt = "yuv420p"
            for i in range(int(seconds * fps)):
                image = Image.new("RGB", (size, size), ((i * 7) % 255, 90, 160))
                for packet in stream.encode(av.VideoFrame.from_image(image)):
                    container.mux(packet)
            for packet in stream.encode():
                container.mux(packet)
        return path.read_bytes()


def upload(name: str, data: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


# ---------------------------------------------------------------------------------------------------
# Walking a report through the pages, as a unit's browser would.

#: A plausible, complete 2023 table for one county department (every row filled, no warnings).
VALID = {
    "events_held": "12",
    "fund_fiscal": "3.5",
    "fund_enterprise": "0",
    "fund_in_kind": "0.8",
    "fund_other": "0",
    "staff_fulltime": "4",
    "staff_scientists": "15",
    "staff_volunteers": "30",
    "staff_other": "6",
    "public_offline": "3500",
    "public_online": "12000",
    "media_outlets": "3",
    "media_reports": "8",
    "venues_opened": "1",
    "institutes_opened": "0",
    "universities_opened": "0",
}


def report_of(campaign, unit):
    from sciweek.reports.models import Report

    return Report.objects.get(campaign=campaign, unit=unit)


def open_mine(client, campaign, unit=None):
    url = f"/reports/{campaign.pk}/mine/" + (f"?unit={unit.pk}" if unit else "")
    response = client.get(url)
    assert response.status_code == 200, response.content.decode()[:500]
    return response


def save_cell(client, report, code, value="", *, na=False, note=None, version=None):
    """POST one row as the htmx input does; the version defaults to the stored one (a fresh page)."""
    report.refresh_from_db()
    data = {f"v_{code}": value, "version": str(version if version is not None else report.version)}
    if na:
        data[f"na_{code}"] = "1"
    if note is not None:
        data[f"note_{code}"] = note
    return client.post(f"/reports/{report.pk}/cell/{code}/", data, HTTP_HX_REQUEST="true")


def fill(client, report, values=None):
    for code, value in (values or VALID).items():
        response = save_cell(client, report, code, value)
        assert "未保存" not in response.content.decode(), response.content.decode()


def attach(client, report, kind, name, data):
    return client.post(f"/reports/{report.pk}/upload/{kind}/", {"file": upload(name, data)}, follow=True)


def complete(client, report):
    """Every row filled and the required attachments (总结 docx, 盖章统计表 pdf) uploaded."""
    fill(client, report)
    attach(client, report, "summary", "工作总结.docx", docx_bytes())
    attach(client, report, "stamped", "盖章统计表.pdf", pdf_bytes())
    assert report.attachments.count() == 2


def submit(client, report):
    report.refresh_from_db()
    return client.post(f"/reports/{report.pk}/submit/", {"version": str(report.version)}, follow=True)


def deadline_in(campaign, *, days: float, lock: bool = False):
    """Move the campaign's FINAL_REPORT deadline (the demo's is 2023-05-30 17:30, long past)."""
    import datetime as dt

    from django.utils import timezone

    from sciweek.campaigns.models import Requirement

    requirement = campaign.requirements.get(kind=Requirement.Kind.FINAL_REPORT)
    requirement.due_at = timezone.now() + dt.timedelta(days=days)
    requirement.lock_at_deadline = lock
    requirement.save()
    return requirement
