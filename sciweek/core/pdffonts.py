"""CJK fonts ReportLab can embed as subsets: the one place every PDF (display boards, certificates) takes
its Chinese font from.

Debian's Noto Sans CJK ships as OpenType collections with CFF outlines, which ReportLab cannot embed
(the existing login sheet falls back to the non-embedded STSong-Light). Print shops need every font
embedded, so we subset the collection with fontTools and convert the outlines to TrueType quadratics
(cu2qu): once for all of GB 2312 (cached under var/cache/fonts, ~12 s per weight the first time), and,
for a board that uses a rarer character, a small font with just that board's characters (~1.5 s).
ReportLab then subsets again when it writes the PDF, so each PDF carries only the glyphs it uses.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import io
import logging
import os
import shutil
import subprocess
import threading
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont as RLTTFont

FAMILIES = {"regular": "Noto Sans CJK SC:style=Regular", "bold": "Noto Sans CJK SC:style=Bold"}
_lock = threading.Lock()
log = logging.getLogger(__name__)
CID_FALLBACK = "STSong-Light"


@dataclass(frozen=True)
class BoardFonts:
    regular: str  # ReportLab font names
    bold: str
    regular_path: str  # the TrueType files (Pillow draws the preview with them)
    bold_path: str

    def name(self, weight: str) -> str:
        return self.bold if weight == "bold" else self.regular

    def path(self, weight: str) -> str:
        return self.bold_path if weight == "bold" else self.regular_path


class FontMissing(RuntimeError):
    pass


def _fc_file(pattern: str) -> str:
    exe = shutil.which("fc-match")
    if not exe:
        return ""
    done = subprocess.run([exe, "-f", "%{file}|%{index}", pattern], capture_output=True, text=True, timeout=5)
    return done.stdout.strip()


@functools.cache
def _source(weight: str) -> tuple[str, int]:
    found = _fc_file(FAMILIES[weight])
    path, _sep, index = found.partition("|")
    if "CJK" not in path:
        raise FontMissing(_("系统未安装 Noto CJK 中文字体（fonts-noto-cjk），无法生成嵌入字体的 PDF"))
    return path, int(index or 0)


@functools.cache
def common_chars() -> str:
    """ASCII, GB 2312's symbols and all its 6,763 hanzi: what nearly every board uses."""
    out = [chr(c) for c in range(0x20, 0x7F)]
    for hi in list(range(0xA1, 0xAA)) + list(range(0xB0, 0xF8)):
        for lo in range(0xA1, 0xFF):
            with contextlib.suppress(UnicodeDecodeError):
                out.append(bytes([hi, lo]).decode("gb2312"))
    return "".join(dict.fromkeys(out + ["•", "·", "—", "…", "“", "”", "、", "\u3000"]))


def _cache_dir() -> Path:
    # SCIWEEK_FONT_CACHE lets throw-away installs (benchmarks) share one built cache.
    path = Path(os.environ.get("SCIWEEK_FONT_CACHE") or Path(settings.VAR_DIR) / "cache" / "fonts")
    path.mkdir(parents=True, exist_ok=True)
    return path


def _build_ttf(weight: str, chars: str) -> bytes:
    from fontTools import subset
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import TTFont, newTable

    path, index = _source(weight)
    font = TTFont(path, fontNumber=index, lazy=True)
    options = subset.Options()
    options.layout_features = []
    options.name_IDs = ["*"]
    options.notdef_outline = True
    options.hinting = False
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=chars)
    subsetter.subset(font)
    order = font.getGlyphOrder()
    glyphs = font.getGlyphSet()
    glyf = newTable("glyf")
    glyf.glyphOrder, glyf.glyphs = order, {}
    for name in order:
        pen = TTGlyphPen(glyphs)
        glyphs[name].draw(Cu2QuPen(pen, 1.0, reverse_direction=True))
        glyf.glyphs[name] = pen.glyph()
    for tag in ("CFF ", "VORG"):
        if tag in font:
            del font[tag]
    font["glyf"], font["loca"] = glyf, newTable("loca")
    maxp = font["maxp"]
    maxp.tableVersion = 0x00010000
    for attr in [
        "maxTwilightPoints",
        "maxStorage",
        "maxFunctionDefs",
        "maxInstructionDefs",
        "maxStackElements",
        "maxSizeOfInstructions",
        "maxComponentElements",
    ]:
        setattr(maxp, attr, 0)
    maxp.maxZones = 1
    font["head"].indexToLocFormat, font["head"].glyphDataFormat = 0, 0
    post = font["post"]
    post.formatType, post.extraNames, post.mapping = 2.0, [], {}
    post.glyphOrder = order
    font.sfntVersion = "\x00\x01\x00\x00"
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


def _font_file(weight: str, chars: str) -> Path:
    key = hashlib.sha256(f"{_source(weight)}|{chars}".encode()).hexdigest()[:16]
    target = _cache_dir() / f"noto-sc-{weight}-{key}.ttf"
    if not target.exists():
        data = _build_ttf(weight, chars)
        tmp = target.with_suffix(f".{os.getpid()}.{threading.get_ident()}.tmp")
        tmp.write_bytes(data)
        os.replace(tmp, target)  # atomic: another process may be building the same file
    return target


def _register(weight: str, chars: str) -> tuple[str, str]:
    path = _font_file(weight, chars)
    name = f"SwBoard-{path.stem.rsplit('-', 1)[-1]}-{weight}"
    with _lock:
        if name not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(RLTTFont(name, str(path)))
    return name, str(path)


def board_fonts(text: str = "") -> BoardFonts:
    """Fonts covering every character of ``text``: the cached GB 2312 pair, or a pair made for it."""
    common = common_chars()
    extra = {c for c in text if c not in common and c.isprintable() and not c.isspace()}
    chars = common if not extra else "".join(sorted(set(text) | set(common[:95]) | {"•", "·"}))
    regular, regular_path = _register("regular", chars)
    bold, bold_path = _register("bold", chars)
    return BoardFonts(regular, bold, regular_path, bold_path)


def embedded_cjk_font(text: str) -> str:
    """One registered font name covering ``text``, embedded as a subset when Noto CJK is installed.

    Without the font (a bare development machine) the non-embedded STSong-Light CID font still prints
    Chinese, so a certificate is never refused for want of a font; display boards call ``board_fonts``
    and do refuse, because a print shop needs every font embedded.
    """
    try:
        return board_fonts(text).regular
    except FontMissing as exc:
        log.info("no embeddable CJK font (%s); using %s", exc, CID_FALLBACK)
        with _lock:
            if CID_FALLBACK not in pdfmetrics.getRegisteredFontNames():
                pdfmetrics.registerFont(UnicodeCIDFont(CID_FALLBACK))
        return CID_FALLBACK
