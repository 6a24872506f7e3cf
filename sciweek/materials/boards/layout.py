"""One board's layout, computed once as drawing operations in millimetres from the trim's top-left
corner; pdf.py and preview.py draw the same operations. Text is wrapped here with the embedded font's
own widths and fitted by stepping the size down; what still does not fit becomes a warning."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from reportlab.pdfbase.pdfmetrics import stringWidth

from ..publicity.text import Block
from .sizes import SIZES, BoardSize

PT_MM = 25.4 / 72
BLUE, DEEP, PALE, INK, GREY, WHITE = "#1F4E8C", "#163A6B", "#F3F7FC", "#1E2A3A", "#5B6B7F", "#FFFFFF"
ACCENT = "#D9822B"
NO_LINE_START = set("，。、；：！？）》」』”’％%,.;:!?)]")
WORD = re.compile(r"[A-Za-z0-9@#&'\-_.:/]+|.", re.S)


@dataclass(frozen=True)
class Box:
    x: float
    y: float
    w: float
    h: float


@dataclass(frozen=True)
class Rect:
    box: Box
    color: str
    bleed: bool = False  # extend into the bleed on the sides it touches


@dataclass(frozen=True)
class Text:
    x: float
    baseline: float
    text: str
    weight: str
    size_pt: float
    color: str
    anchor: str = "left"  # left | center


@dataclass(frozen=True)
class Picture:
    box: Box
    index: int  # into BoardContent.images


@dataclass(frozen=True)
class Logo:
    box: Box


@dataclass(frozen=True)
class QR:
    box: Box
    data: str


@dataclass
class BoardImage:
    path: str  # full resolution (PDF)
    preview_path: str  # thumbnail (PNG preview)
    width: int
    height: int
    caption: str = ""


@dataclass
class BoardContent:
    campaign_title: str
    theme: str
    dates: str
    organizers: str
    unit_name: str
    headline: str
    blocks: list[Block]
    images: list[BoardImage]
    qr_url: str
    logo_path: str = ""
    logo_size: tuple[int, int] = (0, 0)

    def all_text(self) -> str:
        parts = [self.campaign_title, self.theme, self.dates, self.organizers, self.unit_name, self.headline]
        parts += [b.text for b in self.blocks] + [i.caption for i in self.images]
        return "".join(parts) + "扫码查看本单位活动主办：•"


@dataclass
class Layout:
    size: BoardSize
    ops: list = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    body_size_pt: float = 0


def regions(size: BoardSize, template: str) -> dict[str, Box]:
    """Header, title, text, images and footer boxes for a size and template (no content needed, so
    the dpi of a photo can be told before the board is made)."""
    u, w, h = size.unit_mm, size.width_mm, size.height_mm
    m = 5 * u
    header_h = header_scale(size) * 20 * u
    footer_h = 14 * u if size.portrait else 12 * u
    title_h = (22 if size.portrait else 17) * u
    top = header_h + 2 * u
    content = Box(m, top + title_h, w - 2 * m, h - top - title_h - footer_h - 3 * u)
    out = {
        "header": Box(0, 0, w, header_h),
        "title": Box(m, top, w - 2 * m, title_h),
        "footer": Box(0, h - footer_h, w, footer_h),
    }
    gap = 3 * u
    if template == "columns" or (not size.portrait and template == "classic"):
        tw = content.w * 0.55
        out["text"] = Box(content.x, content.y, tw, content.h)
        out["images"] = Box(content.x + tw + gap, content.y, content.w - tw - gap, content.h)
    elif template == "gallery" and not size.portrait:
        iw = content.w * 0.6
        out["images"] = Box(content.x, content.y, iw, content.h)
        out["text"] = Box(content.x + iw + gap, content.y, content.w - iw - gap, content.h)
    else:
        share = 0.45 if template == "classic" else 0.35
        th = content.h * share
        ih = content.h - th - gap
        if template == "gallery":
            out["images"] = Box(content.x, content.y, content.w, ih)
            out["text"] = Box(content.x, content.y + ih + gap, content.w, th)
        else:
            out["text"] = Box(content.x, content.y, content.w, th)
            out["images"] = Box(content.x, content.y + th + gap, content.w, ih)
    return out


def header_scale(size: BoardSize) -> float:
    return 1.0 if size.portrait else 0.8


def caption_pt(size: BoardSize) -> float:
    return 1.6 * size.unit_mm / PT_MM


def caption_mm(size: BoardSize) -> float:
    """Room under a photo for two caption lines."""
    return caption_pt(size) * PT_MM * 2.9


def image_cells(area: Box, dims: list[tuple[int, int]], size: BoardSize) -> list[Box]:
    """A grid for n photos: the column count that gives the biggest photos (4:3 assumed)."""
    n = len(dims)
    if not n:
        return []
    gap, cap = 2.5 * size.unit_mm, caption_mm(size)
    best, best_cols = -1.0, 1
    for cols in range(1, n + 1):
        rows = math.ceil(n / cols)
        cw = (area.w - gap * (cols - 1)) / cols
        ch = (area.h - gap * (rows - 1)) / rows - cap
        score = min(cw, ch * 4 / 3)
        if score > best:
            best, best_cols = score, cols
    cols, rows = best_cols, math.ceil(n / best_cols)
    cw = (area.w - gap * (cols - 1)) / cols
    ch = (area.h - gap * (rows - 1)) / rows
    return [
        Box(area.x + (i % cols) * (cw + gap), area.y + (i // cols) * (ch + gap), cw, ch) for i in range(n)
    ]


def fit_picture(cell: Box, width: int, height: int, size: BoardSize) -> Box:
    room_h = cell.h - caption_mm(size)
    scale = min(cell.w / width, room_h / height)
    w, h = width * scale, height * scale
    return Box(cell.x + (cell.w - w) / 2, cell.y + (room_h - h) / 2, w, h)


def image_dpis(size_key: str, template: str, dims: list[tuple[int, int]]) -> list[float]:
    """Effective dots per inch of each photo as printed on this board."""
    size = SIZES[size_key]
    cells = image_cells(regions(size, template)["images"], dims, size)
    return [w / (fit_picture(c, w, h, size).w / 25.4) for c, (w, h) in zip(cells, dims, strict=True)]


def wrap(text: str, font: str, size_pt: float, width_mm: float, first_indent_mm: float = 0) -> list[str]:
    """Greedy line breaking: CJK between any characters, Latin words kept whole, closing punctuation
    never starts a line (it hangs a little past the edge instead)."""
    limit = width_mm / PT_MM
    lines: list[str] = []
    line, used, avail = "", 0.0, limit - first_indent_mm / PT_MM
    for token in WORD.findall(text):
        tw = stringWidth(token, font, size_pt)
        if line and used + tw > avail and token[0] not in NO_LINE_START:
            lines.append(line.rstrip())
            line, used, avail = "", 0.0, limit
            if token == " ":
                continue
        if tw > avail and len(token) > 1:  # a very long word (a URL): break it by characters
            for ch in token:
                cw = stringWidth(ch, font, size_pt)
                if line and used + cw > avail:
                    lines.append(line)
                    line, used, avail = "", 0.0, limit
                line, used = line + ch, used + cw
            continue
        line, used = line + token, used + tw
    if line.strip():
        lines.append(line.rstrip())
    return lines
