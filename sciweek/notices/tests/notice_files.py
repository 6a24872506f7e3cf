"""Real .docx and .pdf files made from a notice's text, for the importer's tests.

The seed's attached statistics table becomes a real Word table (merged section cells, label cells that
span two columns) and a drawn grid in the PDF, as a bureau's own files would have it.
"""

from __future__ import annotations

import io
import re
import unicodedata

# The seed's 开展情况统计表: (section cell, its labels); None = the label spans both columns.
SEED_TABLE: list[tuple[str, list[str] | None]] = [
    ("科普活动开展次数", ["举办活动次数"]),
    (
        "活动经费投入数量（单位：万元）",
        [
            "县级(单位)财政经费投入情况",
            "企业赞助经费情况",
            "实物投入情况（如：捐赠图书、光盘、创新操作室等）",
            "其他经费情况",
        ],
    ),
    (
        "科普工作人员\n参与数量",
        ["科普专职人员数量", "科技工作者参与数量", "招募科技志愿者数量", "其他人员数量"],
    ),
    ("科普活动群众\n参与数量", ["线下活动群众参与数量", "线上活动群众参与数量"]),
    ("宣传报道情况", ["参与媒体数量", "宣传报道数量"]),
    ("活动周期间开放的\n科普场馆数量", None),
    ("活动周期间开放活动\n的科研机构数量", None),
    ("活动周期间开放活动\n的大学数量", None),
]


def split_seed(text: str) -> tuple[list[str], list[str]]:
    """The seed's lines before its flattened table (up to "单位（盖章）：") and from its footnote on."""
    lines = [line.replace("[bookmark: _GoBack]", "") for line in text.splitlines()]
    stamp = next(i for i, line in enumerate(lines) if line.startswith("单位（盖章）"))
    note = next(i for i, line in enumerate(lines) if line.startswith("注："))
    return lines[: stamp + 1], lines[note:]


def make_docx(head: list[str], table: list[tuple[str, list[str] | None]], tail: list[str]) -> bytes:
    from docx import Document

    document = Document()
    for line in head:
        document.add_paragraph(line)
    rows = sum(len(labels) if labels else 1 for _, labels in table)
    grid = document.add_table(rows=rows, cols=3)
    grid.style = "Table Grid"
    r = 0
    for section, labels in table:
        if labels is None:
            merged = grid.cell(r, 0).merge(grid.cell(r, 1))
            merged.text = section
            r += 1
            continue
        grid.cell(r, 0).text = section
        for i, label in enumerate(labels):
            grid.cell(r + i, 1).text = label
        if len(labels) > 1:
            grid.cell(r, 0).merge(grid.cell(r + len(labels) - 1, 0))
        r += len(labels)
    for line in tail:
        document.add_paragraph(line)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


class _Page:
    """A cursor over A4 pages in reportlab's built-in STSong-Light CID font (no system font needed)."""

    size, left, top, bottom = 12, 60, 790, 60

    def __init__(self, out: io.BytesIO) -> None:
        from reportlab.lib.pagesizes import A4
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.cidfonts import UnicodeCIDFont
        from reportlab.pdfgen import canvas

        pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
        self.pdf = canvas.Canvas(out, pagesize=A4)
        self.y: float = self.top

    def text(self, x: float, value: str) -> None:
        self.pdf.setFont("STSong-Light", self.size)
        self.pdf.drawString(self.left + x, self.y, value)

    def newline(self, step: float = 18) -> None:
        self.y -= step
        if self.y < self.bottom:
            self.pdf.showPage()
            self.y = self.top

    def paragraphs(self, lines: list[str]) -> None:
        """Paragraphs indented two characters and wrapped at the page width, as a printed notice is;
        a line with runs of spaces (the signature block) keeps its columns."""
        for line in lines:
            if not line.strip():
                self.newline(9)
            elif "   " in line.strip():
                for m in re.finditer(r"\S+(?: \S+)*", line):
                    self.text(len(line[: m.start()].encode("gbk")) * self.size / 2, m.group(0))
                self.newline()
            else:
                for i, chunk in enumerate(_wrap(line.strip(), first=72, rest=76)):
                    self.text(2 * self.size if i == 0 else 0, chunk)
                    self.newline()

    def table(self, table: list[tuple[str, list[str] | None]]) -> None:
        """Top-aligned cells: section in the first column, labels in the second."""
        for section, labels in table:
            parts = section.split("\n")
            for i in range(max(len(parts), len(labels or []))):
                if i < len(parts):
                    self.text(0, parts[i])
                if labels and i < len(labels):
                    self.text(200, labels[i])
                self.newline()
            self.newline(10)


def _wrap(text: str, first: int, rest: int) -> list[str]:
    """Cut ``text`` into lines of at most ``first`` / ``rest`` half-character widths (CJK counts 2)."""
    lines: list[str] = []
    current, width, limit = "", 0, first
    for ch in text:
        w = 2 if unicodedata.east_asian_width(ch) in "WF" else 1
        if width + w > limit:
            lines.append(current)
            current, width, limit = "", 0, rest
        current += ch
        width += w
    return [*lines, current]


def make_pdf(head: list[str], table: list[tuple[str, list[str] | None]], tail: list[str]) -> bytes:
    out = io.BytesIO()
    page = _Page(out)
    page.paragraphs(head)
    page.table(table)
    page.paragraphs(tail)
    page.pdf.save()
    return out.getvalue()
