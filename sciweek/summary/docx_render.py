"""The summary as a .docx laid out by a ``Profile`` (default: GB/T 9704-2012 党政机关公文格式).

python-docx's own template names no Chinese font (its theme's East Asian font falls back to MS Mincho
and its font table lists ＭＳ 明朝), so the styles are rewritten here: explicit fonts in the document
defaults and every style, a font table of our own with a named fallback (w:altName) for fonts a
computer may lack (方正小标宋简体 → 宋体), and w:eastAsia written on every run.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable
from typing import IO, Any

from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, Twips

from .profiles import GBT9704, Profile

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def set_fonts(rpr_parent: Any, east_asian: str, latin: str) -> None:
    rpr = rpr_parent.get_or_add_rPr() if hasattr(rpr_parent, "get_or_add_rPr") else rpr_parent
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in list(fonts.attrib):
        if attr.endswith("Theme") or attr.endswith("theme"):
            del fonts.attrib[attr]
    fonts.set(qn("w:ascii"), latin)
    fonts.set(qn("w:hAnsi"), latin)
    fonts.set(qn("w:eastAsia"), east_asian)
    fonts.set(qn("w:cs"), latin)
    fonts.set(qn("w:hint"), "eastAsia")


def _font_table(profile: Profile) -> bytes:
    fallbacks = {
        profile.title_font: profile.title_font_fallback,
        profile.body_font: profile.body_font_fallback,
        profile.h2_font: profile.h2_font_fallback,
        profile.h3_font: profile.body_font_fallback,
        profile.h4_font: profile.body_font_fallback,
    }
    names = dict.fromkeys(
        [
            profile.title_font,
            profile.body_font,
            profile.h1_font,
            profile.h2_font,
            profile.h3_font,
            profile.h4_font,
            profile.page_number_font,
            profile.latin_font,
            "宋体",
            "仿宋",
            "楷体",
            "黑体",
        ]
    )
    items = []
    for name in names:
        alt = fallbacks.get(name)
        latin = name == profile.latin_font
        items.append(
            f'<w:font w:name="{name}">'
            + (f'<w:altName w:val="{alt}"/>' if alt and alt != name else "")
            + f'<w:charset w:val="{"00" if latin else "86"}"/><w:family w:val="{"roman" if latin else "auto"}"/>'
            + '<w:pitch w:val="variable"/></w:font>'
        )
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:fonts xmlns:w="{W_NS}">'
        + "".join(items)
        + "</w:fonts>"
    ).encode()


def _styles(document: Any, profile: Profile) -> None:
    styles = document.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    set_fonts(rpr, profile.body_font, profile.latin_font)
    lang = rpr.find(qn("w:lang"))
    if lang is not None:
        lang.set(qn("w:eastAsia"), "zh-CN")
    ppr = defaults.find(qn("w:pPrDefault")).find(qn("w:pPr"))
    spacing = ppr.find(qn("w:spacing"))
    spacing.set(qn("w:after"), "0")
    spacing.set(qn("w:line"), str(profile.line_pitch_twips))
    spacing.set(qn("w:lineRule"), "exact")
    for fonts in styles.iter(qn("w:rFonts")):  # every style naming theme fonts (headings, titles …)
        set_fonts(fonts.getparent(), profile.body_font, profile.latin_font)
    normal = document.styles["Normal"]
    normal.font.size = Pt(profile.body_size)
    set_fonts(normal.element, profile.body_font, profile.latin_font)
    for rel in document.part.rels.values():
        if rel.reltype.endswith("/fontTable"):
            rel.target_part._blob = _font_table(profile)


def _page(document: Any, profile: Profile) -> None:
    section = document.sections[0]
    section.page_width, section.page_height = Mm(profile.page_width_mm), Mm(profile.page_height_mm)
    section.top_margin, section.bottom_margin = Mm(profile.top_mm), Mm(profile.bottom_mm)
    section.left_margin, section.right_margin = Mm(profile.left_mm), Mm(profile.right_mm)
    section.header_distance, section.footer_distance = Mm(15), Mm(22)  # 页码 below the 版心, 7 mm
    section.start_type = WD_SECTION.NEW_PAGE
    sect = section._sectPr
    grid = sect.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        sect.append(grid)
    grid.set(qn("w:type"), "linesAndChars")
    grid.set(qn("w:linePitch"), str(profile.line_pitch_twips))
    grid.set(qn("w:charSpace"), str(profile.char_space))


def _page_number(paragraph: Any, profile: Profile) -> None:
    before, _, after = profile.page_number_format.partition("{}")

    def run(text: str = "") -> Any:
        r = paragraph.add_run(text)
        r.font.size = Pt(profile.page_number_size)
        set_fonts(r._element, profile.page_number_font, profile.page_number_font)
        return r

    run(before)
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1"), ("end", None)):
        r = run()
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
            r._element.append(el)
        elif text == " PAGE ":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            r._element.append(instr)
        else:
            r.text = text
    run(after)


def _footers(document: Any, profile: Profile) -> None:
    section = document.sections[0]
    one_char = Pt(profile.page_number_size)  # 一字 from the edge of the 版心
    odd = section.footer.paragraphs[0]
    odd.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    odd.paragraph_format.right_indent = one_char
    _page_number(odd, profile)
    if profile.odd_even_page_numbers:
        document.settings.odd_and_even_pages_header_footer = True
        even = section.even_page_footer.paragraphs[0]
        even.alignment = WD_ALIGN_PARAGRAPH.LEFT
        even.paragraph_format.left_indent = one_char
        _page_number(even, profile)


class DocWriter:
    def __init__(self, profile: Profile = GBT9704) -> None:
        self.profile = profile
        self.document = Document()
        _styles(self.document, profile)
        _page(self.document, profile)
        _footers(self.document, profile)
        body = self.document.element.body
        for p in list(body.iterchildren(qn("w:p"))):  # the template's empty first paragraph
            body.remove(p)

    def _para(self, *, align: Any = None, indent_chars: int = 0) -> Any:
        p = self.document.add_paragraph()
        fmt = p.paragraph_format
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = Twips(self.profile.line_pitch_twips)
        fmt.space_before = fmt.space_after = Pt(0)
        if align is not None:
            p.alignment = align
        if indent_chars:
            fmt.first_line_indent = Pt(self.profile.body_size * indent_chars)
            ind = p._p.get_or_add_pPr().find(qn("w:ind"))
            ind.set(qn("w:firstLineChars"), str(indent_chars * 100))
        return p

    def _run(self, p: Any, text: str, font: str, size: float, bold: bool = False) -> Any:
        r = p.add_run(text)
        r.font.size = Pt(size)
        r.bold = bold
        set_fonts(r._element, font, self.profile.latin_font)
        return r

    def title(self, text: str) -> None:
        p = self._para(align=WD_ALIGN_PARAGRAPH.CENTER)
        p.paragraph_format.line_spacing = Pt(self.profile.title_size * 1.6)
        self._run(p, text, self.profile.title_font, self.profile.title_size)
        self.blank()

    def blank(self) -> None:
        self._para()

    def block(self, style: str, text: str) -> None:
        pr = self.profile
        font, bold = {
            "h1": (pr.h1_font, False),
            "h2": (pr.h2_font, False),
            "h3": (pr.h3_font, pr.h3_bold),
            "h4": (pr.h4_font, False),
        }.get(style, (pr.body_font, False))
        p = self._para(indent_chars=pr.first_line_indent_chars)
        self._run(p, text, font, pr.body_size, bold)

    def picture(self, data: bytes, caption: str, width_mm: float | None = None) -> None:
        p = self._para(align=WD_ALIGN_PARAGRAPH.CENTER)
        p.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
        p.add_run().add_picture(io.BytesIO(data), width=Mm(width_mm or self.profile.image_width_mm))
        if caption:
            c = self._para(align=WD_ALIGN_PARAGRAPH.CENTER)
            self._run(c, caption, self.profile.h2_font, self.profile.body_size - 2)

    def signature(self, unit: str, date_text: str) -> None:
        pr = self.profile
        self.blank()
        self.blank()
        for text in (unit, date_text):
            if not text:
                continue
            p = self._para(align=WD_ALIGN_PARAGRAPH.RIGHT)
            p.paragraph_format.right_indent = Pt(pr.body_size * pr.signature_right_chars)
            self._run(p, text, pr.body_font, pr.body_size)

    def table(self, header: Iterable[str], rows: Iterable[Iterable[str]]) -> None:
        head = list(header)
        data = [list(r) for r in rows]
        t = self.document.add_table(rows=1 + len(data), cols=len(head))
        t.style = self.document.styles["Table Grid"]
        size = self.profile.body_size - 2
        for i, row in enumerate([head, *data]):
            for j, text in enumerate(row):
                cell = t.cell(i, j)
                p = cell.paragraphs[0]
                p.alignment = WD_ALIGN_PARAGRAPH.CENTER if j else WD_ALIGN_PARAGRAPH.LEFT
                p.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
                font = self.profile.h1_font if i == 0 else self.profile.body_font
                self._run(p, str(text), font, size)

    def save(self, out: str | IO[bytes]) -> None:
        self.document.save(out)


Progress = Callable[[int, int], None]
