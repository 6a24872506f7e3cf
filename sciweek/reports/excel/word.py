"""One unit's statistics table as a Word document, laid out like the attachment of the notice."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import IO, Any

from django.utils.translation import gettext as _
from docx import Document
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.table import WD_ROW_HEIGHT_RULE as ROW_RULE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from sciweek.reports.formspec import FormSpec, ParsedValue, format_value, parse_value

FONT_NAME = "宋体"
#: widths of the three columns; A4 (21 cm) less 2.5 cm margins each side leaves 16 cm
COLUMN_WIDTHS = (Cm(4.2), Cm(8.3), Cm(3.5))


def set_east_asian_font(target: Any, name: str = FONT_NAME) -> None:
    """Word picks Chinese glyphs from w:eastAsia, which python-docx's ``font.name`` does not set."""
    rpr = target.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), name)


def _set_styles(document: Any) -> None:
    for style_name in ("Normal", "Table Grid"):
        style = document.styles[style_name]
        style.font.name = FONT_NAME
        set_east_asian_font(style.element)
    document.styles["Normal"].font.size = Pt(12)
    # document defaults too, for text Word creates outside any style
    defaults = document.styles.element.find(qn("w:docDefaults"))
    if defaults is not None:
        rpr_default = defaults.find(qn("w:rPrDefault"))
        if rpr_default is not None and rpr_default.find(qn("w:rPr")) is not None:
            rpr = rpr_default.find(qn("w:rPr"))
            fonts = rpr.find(qn("w:rFonts"))
            if fonts is None:
                fonts = OxmlElement("w:rFonts")
                rpr.insert(0, fonts)
            fonts.set(qn("w:eastAsia"), FONT_NAME)


def _write(cell: Any, text: str, *, align: Any, bold: bool = False, size: float = 12) -> None:
    cell.text = ""
    paragraph = cell.paragraphs[0]
    paragraph.alignment = align
    paragraph.paragraph_format.space_before = paragraph.paragraph_format.space_after = Pt(0)
    run = paragraph.add_run(text)
    run.font.size = Pt(size)
    run.bold = bold
    set_east_asian_font(run._element)
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER


def export_unit_docx(
    spec: FormSpec,
    *,
    unit_name: str,
    values: Mapping[str, Decimal | int | float | str | ParsedValue | None],
    campaign_title: str,
    path_or_file: str | IO[bytes],
) -> None:
    document = Document()
    _set_styles(document)
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2.5)
    section.top_margin = section.bottom_margin = Cm(2.54)
    document.core_properties.title = spec.title
    document.core_properties.subject = campaign_title
    document.core_properties.author = "sciweek 科技活动周管理平台"

    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = title.add_run(spec.title or campaign_title)
    run.bold = True
    run.font.size = Pt(16)
    set_east_asian_font(run._element)
    document.add_paragraph(f"单位（盖章）：{unit_name}")

    table = document.add_table(rows=len(spec.rows), cols=3)
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for column, width in zip(table.columns, COLUMN_WIDTHS, strict=True):
        column.width = width
    for row in table.rows:
        row.height = Cm(0.9)
        row.height_rule = ROW_RULE.AT_LEAST
        for cell, width in zip(row.cells, COLUMN_WIDTHS, strict=True):
            cell.width = width  # Word reads the cell widths, LibreOffice the grid

    r = 0
    for section_label, rows in spec.blocks():
        if section_label:
            head = table.cell(r, 0)
            if len(rows) > 1:
                head = head.merge(table.cell(r + len(rows) - 1, 0))
            _write(head, section_label, align=WD_ALIGN_PARAGRAPH.CENTER)
        for offset, row in enumerate(rows):
            rr = r + offset
            if section_label:
                label = table.cell(rr, 1)
                _write(label, row.label, align=WD_ALIGN_PARAGRAPH.LEFT)
            else:
                label = table.cell(rr, 0).merge(table.cell(rr, 1))
                _write(label, row.label, align=WD_ALIGN_PARAGRAPH.CENTER)
            parsed = parse_value(values.get(row.code), row)
            if parsed.error:
                raise ValueError(
                    _("单位「%(unit_name)s」：%(error)s") % {"unit_name": unit_name, "error": parsed.error}
                )
            _write(table.cell(rr, 2), format_value(parsed, row), align=WD_ALIGN_PARAGRAPH.CENTER)
        r += len(rows)

    if spec.footnote:
        note = document.add_paragraph(spec.footnote)
        note.runs[0].font.size = Pt(10.5)
    document.save(path_or_file)
