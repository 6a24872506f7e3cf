"""Layout → a PNG preview drawn with Pillow from the same operations (no poppler needed)."""

from __future__ import annotations

import functools
from typing import IO

import qrcode
from PIL import Image, ImageDraw, ImageFont, ImageOps

from sciweek.core.pdffonts import BoardFonts

from .layout import PT_MM, QR, BoardContent, Layout, Logo, Picture, Rect, Text


@functools.lru_cache(maxsize=64)
def _font(path: str, px: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(path, max(6, px))


def render_preview(
    layout: Layout, content: BoardContent, fonts: BoardFonts, out: IO[bytes], *, long_side: int = 1200
) -> None:
    size = layout.size
    scale = long_side / max(size.width_mm, size.height_mm)  # px per mm
    img = Image.new("RGB", (round(size.width_mm * scale), round(size.height_mm * scale)), "white")
    draw = ImageDraw.Draw(img)

    def px(v: float) -> int:
        return round(v * scale)

    for op in layout.ops:
        if isinstance(op, Rect):
            b = op.box
            draw.rectangle([px(b.x), px(b.y), px(b.x + b.w) - 1, px(b.y + b.h) - 1], fill=op.color)
        elif isinstance(op, Text):
            font = _font(fonts.path(op.weight), px(op.size_pt * PT_MM))
            anchor = "ms" if op.anchor == "center" else "ls"
            draw.text((px(op.x), px(op.baseline)), op.text, font=font, fill=op.color, anchor=anchor)
        elif isinstance(op, Picture):
            b = op.box
            with Image.open(content.images[op.index].preview_path) as photo:
                photo = ImageOps.exif_transpose(photo).convert("RGB")
                photo = photo.resize((max(1, px(b.w)), max(1, px(b.h))), Image.Resampling.LANCZOS)
                img.paste(photo, (px(b.x), px(b.y)))
        elif isinstance(op, Logo):
            b = op.box
            with Image.open(content.logo_path) as logo:
                logo = logo.convert("RGBA").resize(
                    (max(1, px(b.w)), max(1, px(b.h))), Image.Resampling.LANCZOS
                )
                img.paste(logo, (px(b.x), px(b.y)), logo)
        elif isinstance(op, QR):
            b = op.box
            code = qrcode.make(op.data, border=0).get_image().convert("RGB")
            img.paste(code.resize((px(b.w), px(b.h)), Image.Resampling.NEAREST), (px(b.x), px(b.y)))
    img.save(out, "PNG", optimize=True)
