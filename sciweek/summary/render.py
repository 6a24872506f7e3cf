"""A draft rendered: .docx through ``docx_render`` with the draft's profile; PDF by LibreOffice headless
when it is installed (``soffice`` on PATH: the PDF is then exactly the Word layout), otherwise built
directly with ReportLab (same text, charts and photos; the fonts are the PDF reader's Song)."""

from __future__ import annotations

import io
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path

from .charts import CHARTS
from .charts import render as render_chart
from .dates import cn_date
from .docx_render import DocWriter
from .drafting import CN_NUMBERS
from .models import SummaryDraft
from .pdf_render import build_pdf
from .photos import scaled_photo
from .profiles import get_profile

Progress = Callable[[int, int], None]


def _figure_parts(draft: SummaryDraft, progress: Progress | None = None) -> list[tuple[str, str, bytes]]:
    """(kind, caption, image) for the kept charts then the kept photos, in the draft's order."""
    f = draft.figures
    keys = [k for k in draft.charts if k in CHARTS]
    total = len(keys) + len(draft.photos)
    out: list[tuple[str, str, bytes]] = []
    done = 0
    for key in keys:
        png = render_chart(key, f)
        if png:
            out.append(("chart", f"图：{CHARTS[key][0]}", png))
        done += 1
        if progress:
            progress(done, total)
    titles = {p["key"]: p.get("title", "") for p in f.get("photos", [])}
    for key in draft.photos:
        jpeg = scaled_photo(key)
        if jpeg:
            out.append(("photo", titles.get(key, ""), jpeg))
        done += 1
        if progress:
            progress(done, total)
    return out


def render_docx(draft: SummaryDraft, progress: Progress | None = None) -> bytes:
    profile = get_profile(draft.profile)
    w = DocWriter(profile)
    w.title(draft.title)
    for block in draft.blocks:
        w.block(block.get("style", "p"), block.get("text", ""))
    parts = _figure_parts(draft, progress)
    heading = sum(1 for b in draft.blocks if b.get("style") == "h1")
    for kind, label in (("chart", "活动图表"), ("photo", "活动照片")):
        mine = [p for p in parts if p[0] == kind]
        if not mine:
            continue
        w.block("h1", f"{CN_NUMBERS[min(heading, 9)]}、{label}")
        heading += 1
        for _kind, caption, data in mine:
            w.picture(
                data, caption, profile.image_width_mm if kind == "chart" else profile.image_width_mm * 0.8
            )
    w.signature(draft.signature, cn_date(draft.sign_date))
    buf = io.BytesIO()
    w.save(buf)
    return buf.getvalue()


def pdf_engine() -> str:
    return "libreoffice" if shutil.which("soffice") or shutil.which("libreoffice") else "reportlab"


def render_pdf(draft: SummaryDraft) -> bytes:
    if pdf_engine() == "libreoffice":
        return _pdf_by_libreoffice(render_docx(draft))
    return build_pdf(draft, _figure_parts(draft))


def _pdf_by_libreoffice(docx: bytes) -> bytes:
    office = shutil.which("soffice") or shutil.which("libreoffice") or "soffice"
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "summary.docx"
        src.write_bytes(docx)
        subprocess.run(  # noqa: S603 — fixed arguments, our own file
            [
                office,
                "--headless",
                f"-env:UserInstallation=file://{tmp}/profile",
                "--convert-to",
                "pdf",
                "--outdir",
                tmp,
                str(src),
            ],
            check=True,
            capture_output=True,
            timeout=120,
        )
        return (Path(tmp) / "summary.pdf").read_bytes()
