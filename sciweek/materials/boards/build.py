"""A unit's approved publicity → one board (PDF or PNG preview); the whole campaign as a ZIP job."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import tempfile
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO, Any

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.utils.translation import gettext as _
from PIL import Image

from sciweek.campaigns.models import Campaign
from sciweek.core.jobs import JobContext, register_job
from sciweek.core.models import Job
from sciweek.core.pdffonts import board_fonts

from ..models import PublicitySubmission
from ..publicity.text import parse_body
from .compose import compose
from .layout import BoardContent, BoardImage, Layout
from .pdf import render_pdf
from .preview import render_preview
from .sizes import SIZES, TEMPLATES

JOB_KIND = "materials.boards"


@dataclass
class BoardResult:
    size: str
    template: str
    warnings: list[str] = field(default_factory=list)
    body_size_pt: float = 0


def week_dates(campaign: Campaign) -> str:
    s, e = campaign.start_date, campaign.end_date
    end = f"{e.month}月{e.day}日" if e.year == s.year else f"{e.year}年{e.month}月{e.day}日"
    return f"{s.year}年{s.month}月{s.day}日—{end}"


def organizers(campaign: Campaign) -> str:
    names = [u.short_name or u.name for u in campaign.issuers.all()]
    return "　".join(names) or campaign.issuer_text or campaign.org_unit.name


def unit_events_url(campaign: Campaign, unit_id: int) -> str:
    base = getattr(settings, "SCIWEEK_PUBLIC_URL", "") or "http://127.0.0.1:8000"
    return f"{base}/events/c/{campaign.pk}/?unit={unit_id}"


@contextlib.contextmanager
def _local(names: list[str]) -> Iterator[list[str]]:
    """Local paths for stored files (object storage: copied to a temporary folder one by one)."""
    try:
        yield [default_storage.path(n) for n in names]
        return
    except NotImplementedError:
        pass
    with tempfile.TemporaryDirectory(prefix="sciweek-board-") as tmp:
        paths = []
        for i, name in enumerate(names):
            path = os.path.join(tmp, f"{i}{os.path.splitext(name)[1]}")
            with default_storage.open(name, "rb") as src, open(path, "wb") as dst:
                shutil.copyfileobj(src, dst)
            paths.append(path)
        yield paths


@contextlib.contextmanager
def board_content(sub: PublicitySubmission) -> Iterator[BoardContent]:
    campaign = sub.campaign
    images = list(sub.images.all())
    names = [i.file.name for i in images] + [i.thumbnail.name or i.file.name for i in images]
    if sub.logo:
        names.append(sub.logo.name)
    with _local(names) as paths:
        n = len(images)
        logo_path, logo_size = "", (0, 0)
        if sub.logo:
            logo_path = paths[-1]
            with Image.open(logo_path) as logo:
                logo_size = logo.size
        yield BoardContent(
            campaign_title=campaign.title,
            theme=campaign.theme,
            dates=week_dates(campaign),
            organizers=organizers(campaign),
            unit_name=sub.unit.name,
            headline=sub.headline,
            blocks=parse_body(sub.body),
            images=[
                BoardImage(paths[k], paths[n + k], img.width, img.height, img.caption)
                for k, img in enumerate(images)
            ],
            qr_url=unit_events_url(campaign, sub.unit_id),
            logo_path=logo_path,
            logo_size=logo_size,
        )


def _layout(content: BoardContent, size: str, template: str) -> tuple[Layout, Any]:
    fonts = board_fonts(content.all_text())
    return compose(content, SIZES[size], template, fonts), fonts


def board_pdf(
    *,
    submission: PublicitySubmission,
    out: IO[bytes],
    size: str | None = None,
    template: str | None = None,
    crop_marks: bool = False,
) -> BoardResult:
    size, template = size or submission.board_size, template or submission.layout
    if size not in SIZES or template not in TEMPLATES:
        raise ValueError("unknown board size or template")
    with board_content(submission) as content:
        layout, fonts = _layout(content, size, template)
        render_pdf(
            layout,
            content,
            fonts,
            out,
            crop_marks=crop_marks,
            title=f"{submission.unit.name} · {submission.headline}",
        )
    return BoardResult(size, template, layout.warnings, layout.body_size_pt)


def board_preview(
    *, submission: PublicitySubmission, out: IO[bytes], size: str | None = None, template: str | None = None
) -> BoardResult:
    size, template = size or submission.board_size, template or submission.layout
    with board_content(submission) as content:
        layout, fonts = _layout(content, size, template)
        render_preview(layout, content, fonts, out)
    return BoardResult(size, template, layout.warnings, layout.body_size_pt)


def board_filename(sub: PublicitySubmission, size: str) -> str:
    name = re.sub(r"[\\/:*?\"<>|\s]+", "_", sub.unit.name)[:60]
    return f"{sub.unit_id}-{name}-{size}.pdf"


def approved(campaign_id: int, unit_id: int | None = None):
    qs = PublicitySubmission.objects.filter(
        campaign_id=campaign_id, status=PublicitySubmission.Status.APPROVED
    )
    if unit_id:
        qs = qs.filter(unit_id=unit_id)
    return qs.select_related("unit", "campaign", "campaign__org_unit").order_by("unit__path", "pk")


@register_job(JOB_KIND)
def boards_job(ctx: JobContext) -> dict[str, Any]:
    """Every approved unit's board into one ZIP, built on disk: one board in memory at a time."""
    p = ctx.params
    size, template, marks = p["size"], p.get("template") or None, bool(p.get("crop_marks"))
    ids = list(approved(p["campaign_id"]).values_list("pk", flat=True))
    warnings: dict[str, list[str]] = {}
    ctx.progress(0, len(ids), _("正在生成展板…"))
    with tempfile.TemporaryDirectory(prefix="sciweek-boards-") as tmp:
        zip_path = os.path.join(tmp, "boards.zip")
        with zipfile.ZipFile(zip_path, "w", compression=zipfile.ZIP_STORED, allowZip64=True) as zf:
            for done, pk in enumerate(ids, start=1):
                sub = approved(p["campaign_id"]).get(pk=pk)
                name = board_filename(sub, size)
                with zf.open(name, "w", force_zip64=True) as member:
                    result = board_pdf(
                        submission=sub, out=member, size=size, template=template, crop_marks=marks
                    )
                if result.warnings:
                    warnings[sub.unit.name] = result.warnings
                ctx.progress(
                    done, len(ids), _("已生成 %(done)s/%(total)s 块展板") % {"done": done, "total": len(ids)}
                )
        with open(zip_path, "rb") as fh:
            ctx.job.result_file.save(_("展板-%(size)s.zip") % {"size": size}, File(fh), save=False)
    Job.objects.filter(pk=ctx.job.pk).update(result_file=ctx.job.result_file.name)
    return {"count": len(ids), "size": size, "warnings": warnings}
