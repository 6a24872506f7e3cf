"""One notice, many shapes: a notice written as blocks (paragraphs and tables) rendered the ways notices
reach the importer: plain text with tab-separated or space-aligned tables (long cells wrapped), text whose
line breaks were lost, a real Word file with real tables (python-docx), and a PDF (reportlab) whose
tables are drawn in columns with wrapped cells.
"""

from __future__ import annotations

import io
import unicodedata
from dataclasses import dataclass


@dataclass(frozen=True)
class Table:
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    merged: tuple[tuple[int, int, int], ...] = ()  # (column, first row, last row): one Word cell downwards

    def reorder(self, order: list[int]) -> Table:
        return Table(
            tuple(self.header[i] for i in order), tuple(tuple(r[i] for i in order) for r in self.rows)
        )

    def without(self, column: str) -> Table:
        keep = [i for i, h in enumerate(self.header) if h != column]
        return Table(tuple(self.header[i] for i in keep), tuple(tuple(r[i] for i in keep) for r in self.rows))


Block = str | Table


def width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def wrap(text: str, limit: int) -> list[str]:
    """Cut ``text`` into pieces of at most ``limit`` display columns (CJK counts 2)."""
    lines, current, used = [], "", 0
    for ch in text:
        w = 2 if unicodedata.east_asian_width(ch) in "WF" else 1
        if used + w > limit and current:
            lines.append(current)
            current, used = "", 0
        current += ch
        used += w
    return [*lines, current] if current or not lines else lines


def table_tabs(table: Table) -> list[str]:
    return ["\t".join(table.header)] + ["\t".join(row) for row in table.rows]


def table_spaces(table: Table, max_cell: int = 24, gap: int = 3) -> list[str]:
    """Columns aligned with spaces; a cell longer than ``max_cell`` columns wraps onto the next lines
    in its own column, as text copied from a PDF or a fixed-width e-mail looks."""
    rows = [table.header, *table.rows]
    wrapped = [[wrap(cell, max_cell) if cell else [""] for cell in row] for row in rows]
    widths = [max(width(piece) for row in wrapped for piece in row[c]) for c in range(len(table.header))]
    lines: list[str] = []
    for row in wrapped:
        for k in range(max(len(cell) for cell in row)):
            parts = []
            for c, cell in enumerate(row):
                piece = cell[k] if k < len(cell) else ""
                parts.append(piece + " " * (widths[c] - width(piece) + gap))
            lines.append("".join(parts).rstrip())
    return lines


def to_text(blocks: list[Block], tables: str = "tabs") -> str:
    lines: list[str] = []
    for block in blocks:
        if isinstance(block, Table):
            lines.extend(table_tabs(block) if tables == "tabs" else table_spaces(block))
        else:
            lines.append(block)
    return "\n".join(lines) + "\n"


def to_flat(blocks: list[Block], sep: str = " ") -> str:
    """Every line break lost (text copied from a web page): paragraphs and table cells run together."""
    parts: list[str] = []
    for block in blocks:
        if isinstance(block, Table):
            parts.extend(" ".join(c for c in row if c) for row in [block.header, *block.rows])
        elif block.strip():
            parts.append(block.strip())
    return sep.join(parts)


def to_docx(blocks: list[Block]) -> bytes:
    from docx import Document

    document = Document()
    for block in blocks:
        if isinstance(block, Table):
            grid = document.add_table(rows=len(block.rows) + 1, cols=len(block.header))
            grid.style = "Table Grid"
            for r, row in enumerate([block.header, *block.rows]):
                for c, cell in enumerate(row):
                    grid.cell(r, c).text = cell
            for column, first, last in block.merged:
                text = block.rows[first][column]
                merged = grid.cell(first + 1, column).merge(grid.cell(last + 1, column))
                merged.text = text
        else:
            document.add_paragraph(block)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def to_pdf(blocks: list[Block]) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=A4)
    size, left, top, bottom, right = 10.5, 56, 790, 56, 540
    y = top

    def newline(step: float = 16) -> None:
        nonlocal y
        y -= step
        if y < bottom:
            pdf.showPage()
            y = top

    def text(x: float, value: str) -> None:
        pdf.setFont("STSong-Light", size)
        pdf.drawString(left + x, y, value)

    per_line = int((right - left) / (size / 2))
    for block in blocks:
        if isinstance(block, Table):
            total = right - left
            widths = [max(4, width(h)) for h in block.header]
            for row in block.rows:
                widths = [max(w, min(width(cell), 24)) for w, cell in zip(widths, row, strict=True)]
            scale = total / (sum(widths) * size / 2 + 14 * len(widths))
            cols = [w * size / 2 * min(scale, 1.0) for w in widths]
            xs = [sum(cols[:i]) + 14 * i for i in range(len(cols))]
            for row in [block.header, *block.rows]:
                pieces = [wrap(cell, max(4, int(cols[i] / (size / 2)))) for i, cell in enumerate(row)]
                for k in range(max(len(p) for p in pieces)):
                    for i, p in enumerate(pieces):
                        if k < len(p) and p[k]:
                            text(xs[i], p[k])
                    newline(14)
                newline(8)
            newline(6)
        elif not block.strip():
            newline(8)
        else:
            for i, chunk in enumerate(wrap(block.strip(), per_line - (4 if True else 0))):
                text(2 * size if i == 0 and not block.startswith(("关于", "各")) else 0, chunk)
                newline()
    pdf.save()
    return out.getvalue()
