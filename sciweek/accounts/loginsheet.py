"""Login sheets for a batch of new unit accounts: xlsx (openpyxl) and PDF (ReportLab).

The one-time passwords exist only in the request that builds the sheet: nothing here writes them to
disk or the database. The PDF embeds a CJK font the system has as a single TrueType file (found with
fc-match); otherwise it uses ReportLab's built-in CID font STSong-Light, which needs no file at all,
so the sheet works on a bare server too.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import logging
import shutil
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFError, TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from sciweek.core.cells import safe_cell, safe_row

logger = logging.getLogger(__name__)

HEADERS = ["单位", "用户名", "初始密码", "登录地址", "说明"]
NOTE = "首次登录须修改密码；初始密码只发放这一次，请交本单位填报人妥善保管，勿转发他人。"
CID_FALLBACK = "STSong-Light"


@dataclass(frozen=True)
class SheetEntry:
    unit: str
    username: str
    password: str


def _fc_match(family: str) -> str:
    exe = shutil.which("fc-match")
    if not exe:
        return ""
    try:
        done = subprocess.run(
            [exe, "-f", "%{file}", family], capture_output=True, text=True, timeout=5, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return ""
    return done.stdout.strip()


@functools.cache
def cjk_font_name() -> str:
    """The registered font name to write Chinese with: a system TTF/OTF when usable, else STSong-Light."""
    path = _fc_match("Noto Sans CJK SC")
    if path.lower().endswith((".ttf", ".otf")):
        try:
            pdfmetrics.registerFont(TTFont("SciweekCJK", path))
            return "SciweekCJK"
        except (TTFError, OSError, ValueError, KeyError) as exc:  # e.g. CFF outlines ReportLab cannot embed
            logger.info("cannot embed %s (%s); using %s", path, exc, CID_FALLBACK)
    pdfmetrics.registerFont(UnicodeCIDFont(CID_FALLBACK))
    return CID_FALLBACK


def _rows(entries: Iterable[SheetEntry], login_url: str) -> list[list[str]]:
    return [safe_row([e.unit, e.username, e.password, login_url, NOTE]) for e in entries]


def login_sheet_xlsx(
    entries: list[SheetEntry], *, login_url: str, title: str, issued_at: dt.datetime
) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "账号清单"
    ws.append([safe_cell(title)])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADERS))
    ws["A1"].font = Font(bold=True, size=14)
    ws.append([f"生成时间：{_when(issued_at)}　共{len(entries)}个账号　初始密码只显示一次，请妥善保管。"])
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=len(HEADERS))
    ws.append(HEADERS)
    thin = Side(style="thin", color="999999")
    for cell in ws[3]:
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor="1F4E8C")
    for row in _rows(entries, login_url):
        ws.append(row)
    for row in ws.iter_rows(min_row=3):
        for cell in row:
            cell.border = Border(top=thin, bottom=thin, left=thin, right=thin)
            cell.alignment = Alignment(wrap_text=True, vertical="center")
    for row in ws.iter_rows(min_row=4, min_col=2, max_col=3):
        for cell in row:
            cell.font = Font(name="Consolas", size=12, bold=True)
            cell.number_format = "@"
    for letter, width in zip("ABCDE", (30, 20, 18, 34, 40), strict=True):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = "A4"
    ws.print_title_rows = "3:3"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def login_sheet_pdf(
    entries: list[SheetEntry], *, login_url: str, title: str, issued_at: dt.datetime
) -> bytes:
    font = cjk_font_name()
    body = ParagraphStyle("body", fontName=font, fontSize=10, leading=14, wordWrap="CJK")
    code = ParagraphStyle("code", fontName="Courier-Bold", fontSize=11, leading=14)
    head = ParagraphStyle("head", parent=body, textColor=colors.white)
    heading = ParagraphStyle("title", fontName=font, fontSize=16, leading=22, spaceAfter=4)
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=landscape(A4),
        leftMargin=12 * mm,
        rightMargin=12 * mm,
        topMargin=12 * mm,
        bottomMargin=12 * mm,
        title=title,
        author="科技活动周管理平台",
    )
    data = [[Paragraph(h, head) for h in HEADERS]]
    for e in entries:
        data.append(
            [
                Paragraph(_esc(e.unit), body),
                Paragraph(_esc(e.username), code),
                Paragraph(_esc(e.password), code),
                Paragraph(_esc(login_url), body),
                Paragraph(NOTE, body),
            ]
        )
    table = Table(data, colWidths=[70 * mm, 42 * mm, 36 * mm, 60 * mm, 65 * mm], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#1F4E8C")),
                ("GRID", (0, 0), (-1, -1), 0.5, colors.HexColor("#999999")),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor("#F3F6FA")]),
                ("TOPPADDING", (0, 0), (-1, -1), 5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
            ]
        )
    )
    info = f"生成时间：{_when(issued_at)}　共{len(entries)}个账号　初始密码只显示一次，请妥善保管，首次登录须修改密码。"
    doc.build([Paragraph(_esc(title), heading), Paragraph(info, body), Spacer(1, 4 * mm), table])
    return buffer.getvalue()


def _when(at: dt.datetime) -> str:
    return f"{at.year}年{at.month}月{at.day}日 {at:%H:%M}"


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
