"""The summary as a PDF built directly with ReportLab (when LibreOffice is not installed): A4 with the
profile's margins, the built-in CID font STSong-Light (every PDF reader has it; nothing to embed),
charts and photos, and page numbers "— n —" right on odd pages, left on even ones."""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import Image, Paragraph, SimpleDocTemplate, Spacer

from .dates import cn_date
from .models import SummaryDraft
from .profiles import get_profile

FONT = "STSong-Light"


def build_pdf(draft: SummaryDraft, parts: list[tuple[str, str, bytes]]) -> bytes:
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    pr = get_profile(draft.profile)
    lead = pr.text_height_mm * mm / pr.lines_per_page
    body = ParagraphStyle(
        "body",
        fontName=FONT,
        fontSize=pr.body_size,
        leading=lead,
        firstLineIndent=pr.body_size * pr.first_line_indent_chars,
        wordWrap="CJK",
    )
    title = ParagraphStyle(
        "title",
        parent=body,
        fontSize=pr.title_size,
        leading=pr.title_size * 1.6,
        alignment=TA_CENTER,
        firstLineIndent=0,
    )
    caption = ParagraphStyle(
        "caption", parent=body, fontSize=pr.body_size - 2, alignment=TA_CENTER, firstLineIndent=0
    )
    sign = ParagraphStyle(
        "sign",
        parent=body,
        alignment=TA_RIGHT,
        firstLineIndent=0,
        rightIndent=pr.body_size * pr.signature_right_chars,
    )
    story: list = [Paragraph(escape(draft.title), title), Spacer(1, lead)]
    for b in draft.blocks:
        story.append(Paragraph(escape(b.get("text", "")), body))
    width = pr.image_width_mm * mm
    for _kind, text, data in parts:
        iw, ih = ImageReader(io.BytesIO(data)).getSize()
        story.append(Image(io.BytesIO(data), width=width, height=width * ih / iw))
        if text:
            story.append(Paragraph(escape(text), caption))
    story += [
        Spacer(1, lead * 2),
        Paragraph(escape(draft.signature), sign),
        Paragraph(cn_date(draft.sign_date), sign),
    ]

    def footer(canvas, doc) -> None:  # noqa: ANN001
        n = canvas.getPageNumber()
        text = pr.page_number_format.format(n)
        canvas.setFont(FONT, pr.page_number_size)
        y = (pr.bottom_mm - 7) * mm - pr.page_number_size
        if n % 2 or not pr.odd_even_page_numbers:
            canvas.drawRightString((pr.left_mm + pr.text_width_mm) * mm - pr.page_number_size, y, text)
        else:
            canvas.drawString(pr.left_mm * mm + pr.page_number_size, y, text)

    buf = io.BytesIO()
    doc = SimpleDocTemplate(
        buf,
        pagesize=(pr.page_width_mm * mm, pr.page_height_mm * mm),
        topMargin=pr.top_mm * mm,
        bottomMargin=pr.bottom_mm * mm,
        leftMargin=pr.left_mm * mm,
        rightMargin=pr.right_mm * mm,
        title=draft.title,
        author=draft.signature,
    )
    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return buf.getvalue()
