"""A CJK font ReportLab can embed, made from the system's Noto Sans CJK (fonts-noto-cjk).

Noto CJK ships as OpenType collections with CFF outlines, which ReportLab cannot embed (that is why the
login sheet falls back to the non-embedded STSong-Light). Here fontTools subsets the font to the
characters a document uses and converts the outlines to TrueType quadratics (cu2qu), so the PDF carries
its own glyphs and prints the same everywhere. Without fontTools or the font, STSong-Light is used.
"""

from __future__ import annotations

import functools
import hashlib
import io
import logging

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from sciweek.accounts.loginsheet import _fc_match, cjk_font_name

log = logging.getLogger(__name__)


def embedded_cjk_font(text: str) -> str:
    """The name of a registered font covering ``text`` (plus ASCII), embedded when possible."""
    chars = "".join(sorted(set(text) | {chr(c) for c in range(32, 127)}))
    try:
        return _subset_font(hashlib.sha1(chars.encode()).hexdigest()[:12], chars)
    except Exception as exc:  # noqa: BLE001 - any failure: the non-embedded CID font still prints Chinese
        log.info("no embeddable CJK font (%s); using %s", exc, cjk_font_name())
        return cjk_font_name()


@functools.lru_cache(maxsize=32)
def _subset_font(key: str, chars: str) -> str:
    from fontTools import subset
    from fontTools.ttLib import TTFont as FTFont

    path = _fc_match("Noto Sans CJK SC")
    index = 0
    if path.lower().endswith(".ttc"):
        index = _collection_index(path, "Noto Sans CJK SC")
    font = FTFont(path, fontNumber=index, lazy=False) if path.lower().endswith(".ttc") else FTFont(path)
    options = subset.Options()
    options.layout_features = []
    options.name_IDs = [1, 2, 3, 4, 6]
    options.notdef_outline = True
    options.hinting = False
    sub = subset.Subsetter(options)
    sub.populate(text=chars)
    sub.subset(font)
    if "CFF " in font:
        _cff_to_glyf(font)
    out = io.BytesIO()
    font.save(out)
    out.seek(0)
    name = f"SciweekCJK-{key}"
    pdfmetrics.registerFont(TTFont(name, out))
    return name


def _collection_index(path: str, family: str) -> int:
    from fontTools.ttLib import TTCollection

    collection = TTCollection(path, lazy=True)
    for i, f in enumerate(collection.fonts):
        if f["name"].getDebugName(1) == family:
            return i
    return 0


def _cff_to_glyf(font) -> None:
    """CFF → glyf (fontTools' otf2ttf recipe): cubic curves to quadratic within one unit."""
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import newTable

    order = font.getGlyphOrder()
    glyphset = font.getGlyphSet()
    glyphs = {}
    for name in order:
        pen = TTGlyphPen(glyphset)
        glyphset[name].draw(Cu2QuPen(pen, 1.0, reverse_direction=True))
        glyphs[name] = pen.glyph()
    font["loca"] = newTable("loca")
    font["glyf"] = glyf = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = glyphs
    del font["CFF "]
    for table in ("VORG", "CFF2"):
        if table in font:
            del font[table]
    glyf.compile(font)
    hmtx = font["hmtx"]
    for name, glyph in glyf.glyphs.items():
        if hasattr(glyph, "xMin"):
            hmtx[name] = (hmtx[name][0], glyph.xMin)
    font["maxp"] = maxp = newTable("maxp")
    maxp.tableVersion = 0x00010000
    for attr in ("maxZones",):
        setattr(maxp, attr, 1)
    for attr in (
        "maxTwilightPoints",
        "maxStorage",
        "maxFunctionDefs",
        "maxInstructionDefs",
        "maxStackElements",
        "maxSizeOfInstructions",
        "maxComponentElements",
    ):
        setattr(maxp, attr, 0)
    maxp.compile(font)
    post = font["post"]
    post.formatType = 2.0
    post.extraNames = []
    post.mapping = {}
    post.glyphOrder = order
    font["head"].glyphDataFormat = 0
    font.sfntVersion = "\000\001\000\000"
