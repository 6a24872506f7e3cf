"""Content → drawing operations for one board (see layout.py for the boxes and the line breaking)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from sciweek.core.pdffonts import BoardFonts

from .layout import (
    ACCENT,
    BLUE,
    DEEP,
    GREY,
    INK,
    PALE,
    PT_MM,
    QR,
    WHITE,
    BoardContent,
    Box,
    Layout,
    Logo,
    Picture,
    Rect,
    Text,
    caption_pt,
    fit_picture,
    header_scale,
    image_cells,
    regions,
    wrap,
)
from .sizes import BoardSize

LEADING = 1.55
# Body text height in modules (1 % of the short side): a roll-up starts at 22 mm (64 pt) and goes down
# to 8 mm (23 pt), still readable from two metres.
START_BODY = 2.8
MIN_BODY = 1.0


def pt(v_mm: float) -> float:
    return v_mm / PT_MM


def _first(lines: list[str]) -> str:
    return lines[0] if lines else ""


def _fit_lines(text, fonts: BoardFonts, weight, start, minimum, width, max_lines):
    """Largest size from start down to minimum at which text takes at most max_lines lines."""
    size = start
    while True:
        lines = wrap(text, fonts.name(weight), size, width)
        if len(lines) <= max_lines or size <= minimum:
            return size, lines
        size = max(minimum, size - max(1.0, size * 0.06))


def _body_lines(content: BoardContent, fonts: BoardFonts, size_pt: float, width: float):
    """[(text, weight, size, indent mm, space before mm)] for the body at a given size."""
    out = []
    indent = 2 * size_pt * PT_MM
    for block in content.blocks:
        if block.kind == "heading":
            hs = size_pt * 1.15
            for i, line in enumerate(wrap(block.text, fonts.bold, hs, width)):
                out.append((line, "bold", hs, 0.0, hs * PT_MM * 0.6 if i == 0 else 0.0))
        elif block.kind == "bullet":
            bullet_w = 1.4 * size_pt * PT_MM
            for i, line in enumerate(wrap(block.text, fonts.regular, size_pt, width - bullet_w)):
                out.append(
                    (("• " if i == 0 else "") + line, "regular", size_pt, 0 if i == 0 else bullet_w, 0.0)
                )
        else:
            lines = wrap(block.text, fonts.regular, size_pt, width, first_indent_mm=indent)
            for i, line in enumerate(lines):
                out.append((line, "regular", size_pt, indent if i == 0 else 0.0, 0.0))
    return out


def _height(lines) -> float:
    return sum(s * PT_MM * LEADING + before for _, _, s, _, before in lines)


def _body(layout: Layout, content: BoardContent, fonts: BoardFonts, box: Box) -> None:
    u = layout.size.unit_mm
    start, minimum = START_BODY * u / PT_MM, MIN_BODY * u / PT_MM
    size = start
    while True:
        lines = _body_lines(content, fonts, size, box.w)
        if _height(lines) <= box.h or size <= minimum:
            break
        size = max(minimum, size - max(1.0, size * 0.05))
    layout.body_size_pt = round(size, 1)
    y, placed = box.y, 0
    for text, weight, s, indent, before in lines:
        step = s * PT_MM * LEADING
        if y + before + step > box.y + box.h + 0.01:
            break
        y += before + step
        layout.ops.append(Text(box.x + indent, y - s * PT_MM * 0.42, text, weight, s, INK))
        placed += 1
    if placed < len(lines):
        left = sum(len(t) for t, *_ in lines[placed:])
        layout.warnings.append(
            _(
                "正文放不下：已用最小字号 %(size)s 磅，仍有约 %(chars)s 字（%(lines)s 行）超出版面，"
                "请精简文字、减少照片或换用更大的展板。"
            )
            % {"size": f"{size:.0f}", "chars": left, "lines": len(lines) - placed}
        )


def compose(content: BoardContent, size: BoardSize, template: str, fonts: BoardFonts) -> Layout:
    layout = Layout(size=size)
    ops, u = layout.ops, size.unit_mm
    r = regions(size, template)
    ops.append(Rect(Box(0, 0, size.width_mm, size.height_mm), PALE, bleed=True))
    # Header band: campaign title, theme, dates.
    h, k = r["header"], header_scale(size) * u
    ops.append(Rect(h, BLUE, bleed=True))
    ops.append(Rect(Box(0, h.h - 1.2 * u, size.width_mm, 1.2 * u), ACCENT, bleed=True))
    room = h.w - 10 * u
    title_pt, title_lines = _fit_lines(
        content.campaign_title, fonts, "bold", pt(3.6 * k), pt(2.4 * k), room, 1
    )
    ops.append(Text(h.w / 2, 6 * k, _first(title_lines), "bold", title_pt, WHITE, "center"))
    theme_pt, theme_lines = _fit_lines(content.theme, fonts, "bold", pt(7 * k), pt(4 * k), room, 1)
    ops.append(Text(h.w / 2, 14 * k, _first(theme_lines), "bold", theme_pt, "#FFE8A3", "center"))
    ops.append(Text(h.w / 2, 17.6 * k, content.dates, "regular", pt(2.2 * k), WHITE, "center"))
    if len(title_lines) > 1 or len(theme_lines) > 1:
        layout.warnings.append(_("活动周标题或主题过长，页眉一行放不下，请缩短。"))
    # Title area: unit name and the headline.
    t = r["title"]
    big = 1.0 if size.portrait else 0.75
    if content.logo_path and content.logo_size[0] and content.logo_size[1]:
        side = t.h * 0.8  # top-right of the title area, kept in proportion
        lw, lh = content.logo_size
        scale = min(side / lw, side / lh)
        box = Box(t.x + t.w - lw * scale, t.y + (t.h - lh * scale) / 2, lw * scale, lh * scale)
        ops.append(Logo(box))
        t = Box(t.x, t.y, t.w - side - 2 * u, t.h)
    ops.append(Text(t.x, t.y + 3.2 * u, content.unit_name, "bold", pt(2.8 * u * big), ACCENT))
    head_pt, head_lines = _fit_lines(
        content.headline, fonts, "bold", pt(6 * u * big), pt(3.5 * u * big), t.w, 2
    )
    y = t.y + 3.6 * u
    for line in head_lines[:2]:
        y += head_pt * PT_MM * 1.25
        ops.append(Text(t.x, y, line, "bold", head_pt, DEEP))
    if len(head_lines) > 2:
        layout.warnings.append(_("标题在最小字号下仍超过两行，超出部分没有印出，请缩短标题。"))
    _body(layout, content, fonts, r["text"])
    # Photos with captions.
    dims = [(i.width, i.height) for i in content.images]
    cap_pt = caption_pt(size)
    for index, cell in enumerate(image_cells(r["images"], dims, size)):
        img = content.images[index]
        pic = fit_picture(cell, img.width, img.height, size)
        ops.append(Rect(Box(pic.x - 0.4 * u, pic.y - 0.4 * u, pic.w + 0.8 * u, pic.h + 0.8 * u), WHITE))
        ops.append(Picture(pic, index))
        lines = wrap(img.caption, fonts.regular, cap_pt, cell.w) if img.caption else []
        for k, line in enumerate(lines[:2]):
            base = pic.y + pic.h + 0.8 * u + (k + 1) * cap_pt * PT_MM * 1.3
            ops.append(Text(cell.x + cell.w / 2, base, line, "regular", cap_pt, GREY, "center"))
        if len(lines) > 2:
            layout.warnings.append(_("第%(n)s张照片的说明超过两行，请缩短。") % {"n": index + 1})
    # Footer: organizers and the QR code to the unit's events on the portal.
    f = r["footer"]
    ops.append(Rect(f, DEEP, bleed=True))
    qr_side = f.h - 3 * u
    ops.append(
        Rect(
            Box(
                f.w - 5 * u - qr_side - 0.8 * u, f.y + 1.5 * u - 0.8 * u, qr_side + 1.6 * u, qr_side + 1.6 * u
            ),
            WHITE,
        )
    )
    ops.append(QR(Box(f.w - 5 * u - qr_side, f.y + 1.5 * u, qr_side, qr_side), content.qr_url))
    org_pt, org_lines = _fit_lines(
        "主办：" + content.organizers, fonts, "regular", pt(2.4 * u), pt(1.6 * u), f.w - qr_side - 14 * u, 2
    )
    y = f.y + 2 * u
    for line in org_lines[:2]:
        y += org_pt * PT_MM * 1.4
        ops.append(Text(5 * u, y, line, "regular", org_pt, WHITE))
    if len(org_lines) > 2:
        layout.warnings.append(_("主办单位名单超过两行，请缩短。"))
    ops.append(Text(5 * u, f.y + f.h - 3 * u, "扫码查看本单位活动 →", "bold", pt(2.4 * u), "#FFE8A3"))
    return layout
