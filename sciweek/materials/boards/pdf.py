"""Layout → a print-ready PDF: page = trim + 3 mm bleed on every side (plus room for crop marks when
asked), TrimBox and BleedBox set, text as text in the embedded subset fonts, photos at full resolution
(JPEGs pass through unchanged), the QR code as vector squares."""

from __future__ import annotations

from typing import IO

import qrcode
from reportlab import rl_config
from reportlab.lib.colors import HexColor
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from sciweek.core.pdffonts import BoardFonts

from .layout import QR, BoardContent, Layout, Logo, Picture, Rect, Text
from .sizes import BLEED_MM, MARKS_MM

# Photos go in as binary streams: without ReportLab's C accelerator, ASCII85-encoding a board's six
# camera JPEGs in Python takes seconds and makes the file a quarter bigger.
rl_config.useA85 = 0


def render_pdf(
    layout: Layout,
    content: BoardContent,
    fonts: BoardFonts,
    out: IO[bytes],
    *,
    crop_marks: bool = False,
    title: str = "",
) -> None:
    size = layout.size
    off = BLEED_MM + (MARKS_MM if crop_marks else 0)
    page_w, page_h = (size.width_mm + 2 * off) * mm, (size.height_mm + 2 * off) * mm
    c = Canvas(out, pagesize=(page_w, page_h), initialFontName=fonts.regular, pageCompression=1)
    c.setTitle(title or content.headline)
    c.setAuthor(content.organizers)
    c.setSubject(content.theme)
    trim = (off * mm, off * mm, page_w - off * mm, page_h - off * mm)
    bleed = (
        trim[0] - BLEED_MM * mm,
        trim[1] - BLEED_MM * mm,
        trim[2] + BLEED_MM * mm,
        trim[3] + BLEED_MM * mm,
    )
    c.setTrimBox(trim)
    c.setBleedBox(bleed)
    if crop_marks:
        c.setArtBox(trim)

    def X(x: float) -> float:
        return (off + x) * mm

    def Y(y: float) -> float:  # layout's y runs down from the trim's top
        return page_h - (off + y) * mm

    for op in layout.ops:
        if isinstance(op, Rect):
            x0, y0, x1, y1 = op.box.x, op.box.y, op.box.x + op.box.w, op.box.y + op.box.h
            if op.bleed:  # colour that touches the trim runs on into the bleed
                x0 -= BLEED_MM if x0 <= 0 else 0
                y0 -= BLEED_MM if y0 <= 0 else 0
                x1 += BLEED_MM if x1 >= size.width_mm else 0
                y1 += BLEED_MM if y1 >= size.height_mm else 0
            c.setFillColor(HexColor(op.color))
            c.rect(X(x0), Y(y1), (x1 - x0) * mm, (y1 - y0) * mm, stroke=0, fill=1)
        elif isinstance(op, Text):
            c.setFillColor(HexColor(op.color))
            c.setFont(fonts.name(op.weight), op.size_pt)
            if op.anchor == "center":
                c.drawCentredString(X(op.x), Y(op.baseline), op.text)
            else:
                c.drawString(X(op.x), Y(op.baseline), op.text)
        elif isinstance(op, Picture):
            img = content.images[op.index]
            c.drawImage(img.path, X(op.box.x), Y(op.box.y + op.box.h), op.box.w * mm, op.box.h * mm)
        elif isinstance(op, Logo):
            b = op.box
            c.drawImage(content.logo_path, X(b.x), Y(b.y + b.h), b.w * mm, b.h * mm, mask="auto")
        elif isinstance(op, QR):
            _qr(c, op.data, X(op.box.x), Y(op.box.y), op.box.w * mm)
    if crop_marks:
        _crop_marks(c, trim, page_w, page_h)
    c.showPage()
    c.save()


def _qr(c: Canvas, data: str, left: float, top: float, side: float) -> None:
    """Dark modules as filled squares: sharp at any size (ReportLab's widget would bring Helvetica)."""
    code = qrcode.QRCode(border=0, error_correction=qrcode.constants.ERROR_CORRECT_M)
    code.add_data(data)
    matrix = code.get_matrix()
    cell = side / len(matrix)
    c.setFillColor(HexColor("#000000"))
    path = c.beginPath()
    for r, row in enumerate(matrix):
        for k, dark in enumerate(row):
            if dark:
                path.rect(left + k * cell, top - (r + 1) * cell, cell, cell)
    c.drawPath(path, stroke=0, fill=1)


def _crop_marks(c: Canvas, trim: tuple[float, float, float, float], page_w: float, page_h: float) -> None:
    """Hairlines at the trim's corners, outside the bleed so the cut never shows them."""
    c.setStrokeColor(HexColor("#000000"))
    c.setLineWidth(0.25)
    gap, length = (BLEED_MM + 1) * mm, (MARKS_MM - 2) * mm
    x0, y0, x1, y1 = trim
    for x, dx in ((x0, -1), (x1, 1)):
        for y, dy in ((y0, -1), (y1, 1)):
            c.line(x + dx * gap, y, x + dx * (gap + length), y)
            c.line(x, y + dy * gap, x, y + dy * (gap + length))
