"""Read an uploaded notice (.docx, .pdf or plain text) into text. The type is decided by content.

Word tables come out flattened the way Word's own "save as text" does (one cell per line, each
starting with a tab, a blank line after each row) so that the statistics table of a .docx reads like
the seed's. PDF text is taken in layout mode (columns kept as spaces) and the lines that the page
width wrapped are joined again.
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from collections.abc import Iterator

from django.utils.translation import gettext as _
from lxml.etree import _Element

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_XML_BYTES = 60 * 1024 * 1024  # uncompressed word/document.xml: guards against zip bombs
MAX_PDF_PAGES = 200
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


class NoticeFileError(ValueError):
    """An upload that cannot be read as a notice; the message is Chinese and shown to the user."""


def sniff(data: bytes) -> str:
    """'docx', 'pdf', 'doc', 'zip' or 'text', by content."""
    if data[:4] == b"PK\x03\x04":
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                return "docx" if "word/document.xml" in archive.namelist() else "zip"
        except zipfile.BadZipFile:
            return "zip"
    if b"%PDF-" in data[:1024]:
        return "pdf"
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        return "doc"
    return "text"


def decode_text(data: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM, else GB18030 (which covers GBK and GB2312)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    if b"\x00" in data[:4096]:
        raise NoticeFileError(_("文件不是文本、Word（.docx）或 PDF 格式，无法读取通知内容。"))
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("gb18030", errors="replace")


def _cell_text(tc: _Element) -> str:
    paragraphs = tc.iter(f"{_W}p")
    return "\n".join(_paragraph_text(p) for p in paragraphs).strip().replace("\t", " ")


def _table_lines(tbl: _Element) -> list[str]:
    """A cell merged down over several rows (vMerge) is repeated in each: a 牵头单位 written once
    for three activities leads all three; the statistics table keeps its section either way."""
    lines: list[str] = []
    above: dict[int, str] = {}  # grid column -> text of the merged cell that starts above
    for tr in tbl.iter(f"{_W}tr"):
        column = 0
        for tc in tr.findall(f"{_W}tc"):
            merge = tc.find(f"{_W}tcPr/{_W}vMerge")
            continued = merge is not None and merge.get(f"{_W}val") in (None, "continue")
            text = above.get(column, "") if continued else _cell_text(tc)
            if merge is not None and not continued:
                above[column] = text
            elif merge is None:
                above.pop(column, None)
            lines.append("\t" + text)
            span = tc.find(f"{_W}tcPr/{_W}gridSpan")
            column += int(span.get(f"{_W}val") or 1) if span is not None else 1
        lines.append("")
    return lines


def docx_to_text(data: bytes) -> str:
    from docx import Document  # imported here: only uploads need python-docx

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            info = archive.getinfo("word/document.xml")
            if info.file_size > MAX_XML_BYTES or info.file_size > 200 * max(info.compress_size, 1):
                raise NoticeFileError(_("Word 文件内容异常（解压后过大），已拒绝读取。"))
        document = Document(io.BytesIO(data))
    except NoticeFileError:
        raise
    except Exception as exc:  # python-docx raises many kinds on a damaged file
        raise NoticeFileError(_("Word 文件已损坏或格式不正确，无法读取。")) from exc
    lines: list[str] = []
    for block in _blocks(document.element.body):
        if block.tag == f"{_W}p":
            lines.append(_paragraph_text(block))
        else:
            lines.extend(_table_lines(block))
    return "\n".join(lines)


def _blocks(parent: _Element) -> Iterator[_Element]:
    """Paragraphs and tables in document order, looking inside content controls (w:sdt)."""
    for child in parent.iterchildren():
        if child.tag in (f"{_W}p", f"{_W}tbl"):
            yield child
        elif child.tag == f"{_W}sdt":
            content = child.find(f"{_W}sdtContent")
            if content is not None:
                yield from _blocks(content)


def _paragraph_text(p: _Element) -> str:
    parts: list[str] = []
    for run in p.iter(f"{_W}r"):
        for node in run:
            if node.tag == f"{_W}t":
                parts.append(node.text or "")
            elif node.tag == f"{_W}tab":
                parts.append("\t")
            elif node.tag in (f"{_W}br", f"{_W}cr"):
                parts.append("\n")
    return "".join(parts)


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


_ENDS_SENTENCE = re.compile(r"[。！？：；!?:;）)]$")
_STARTS_ITEM = re.compile(
    r"^(?:[一二三四五六七八九十]{1,3}、|[（(][一二三四五六七八九十\d]{1,3}[）)]|\d{1,2}[.、．]|[①-⑳]"
    r"|附件|注[：:])"
)


def strip_margin(lines: list[str]) -> list[str]:
    """Remove the page's left margin (the indentation every line shares)."""
    content = [line for line in lines if line.strip()]
    if not content:
        return []
    margin = min(len(line) - len(line.lstrip(" ")) for line in content)
    return [line[margin:].rstrip(" ") if line.strip() else "" for line in lines]


_PAGE_NUMBER = re.compile(r"^\s*(?:[-—–]\s*\d{1,3}\s*[-—–]|\d{1,3})\s*$")


def unwrap(lines: list[str]) -> list[str]:
    """Join lines that the page width wrapped: a full-width line continues on the next unindented one."""
    if not any(line.strip() for line in lines):
        return lines
    widths = sorted(_width(line.rstrip()) for line in lines if line.strip())
    full = widths[int(len(widths) * 0.9)] if len(widths) >= 5 else widths[-1]
    out: list[str] = []
    for line in lines:
        indent = len(line) - len(line.lstrip(" "))
        previous = out[-1].rstrip() if out else ""
        wrapped = (
            previous
            and line.strip()
            and indent == 0
            and _width(previous) >= full - 4
            and not _ENDS_SENTENCE.search(previous)
            and not _STARTS_ITEM.match(line.strip())
            and "  " not in previous.strip()
            and "  " not in line.strip()
            and "\t" not in previous + line  # table rows never run on
        )
        if wrapped:
            out[-1] = previous + line.strip()
        else:
            out.append(line.rstrip(" "))  # trailing tabs: empty table cells
    return out


def pdf_to_text(data: bytes) -> str:
    from pypdf import PdfReader

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise NoticeFileError(_("PDF 文件已加密，无法读取，请上传未加密的文件。"))
        if len(reader.pages) > MAX_PDF_PAGES:
            raise NoticeFileError(
                _("PDF 文件超过 %(MAX_PDF_PAGES)s 页，不像是一份通知。") % {"MAX_PDF_PAGES": MAX_PDF_PAGES}
            )
        lines: list[str] = []
        carry: list[float] | None = None  # a table running over the page break keeps its columns
        for page in reader.pages:
            tabled, carry = page_with_table(page, carry)
            if tabled is not None:
                text = tabled
            else:
                try:
                    text = page.extract_text(extraction_mode="layout")
                except Exception:  # layout mode fails on some fonts; plain mode still gives the words
                    text = page.extract_text() or ""
            page_lines = strip_margin(text.splitlines())
            while page_lines and (not page_lines[-1].strip() or _PAGE_NUMBER.match(page_lines[-1])):
                page_lines.pop()  # the page number at the foot would break a paragraph running on
            lines.extend(page_lines)
    except NoticeFileError:
        raise
    except Exception as exc:
        raise NoticeFileError(_("PDF 文件已损坏或格式不正确，无法读取。")) from exc
    text = "\n".join(unwrap(lines))
    if not re.search(r"[\u4e00-\u9fff]", text):
        raise NoticeFileError(_("PDF 中没有可提取的文字（可能是扫描件），请上传 Word 或文字版 PDF。"))
    return text


# -- a page holding an activity table: rebuilt from the text runs' positions ------------------------------
Run = tuple[float, float, float, str]  # x, y, font size, text


def _runs(page: object) -> list[Run]:
    runs: list[Run] = []

    def visit(text: str, cm: list[float], tm: list[float], font: object, size: float) -> None:
        if text.strip():
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            runs.append((x, y, float(size or 10) * abs(cm[0] or 1), text.strip("\n")))

    page.extract_text(visitor_text=visit)  # type: ignore[attr-defined]
    return runs


def _rows(runs: list[Run]) -> list[list[Run]]:
    """Runs grouped into lines (same baseline within 2 pt), top to bottom, left to right."""
    rows: list[list[Run]] = []
    for run in sorted(runs, key=lambda r: (-r[1], r[0])):
        if rows and abs(rows[-1][0][1] - run[1]) <= 2:
            rows[-1].append(run)
        else:
            rows.append([run])
    return [sorted(row, key=lambda r: r[0]) for row in rows]


def _cells(row: list[Run]) -> list[Run]:
    """Runs that touch are one cell (a font change splits a run; a column gap does not)."""
    cells: list[Run] = []
    for run in row:
        if cells:
            x, y, size, text = cells[-1]
            end = x + _width(text) * size / 2
            if run[0] - end < size * 0.9:
                cells[-1] = (x, y, size, text + run[3])
                continue
        cells.append(run)
    return cells


def _join_header(cells: list[Run], below: list[Run]) -> list[str] | None:
    """A header whose narrow cells wrapped ("主办单" / "位"): the second line's short pieces joined to
    the cells above them."""
    if not below or any(len(b[3].strip()) > 4 for b in below):
        return None
    texts = [c[3].strip() for c in cells]
    for piece in below:
        k = min(range(len(cells)), key=lambda i: abs(cells[i][0] - piece[0]))
        if abs(cells[k][0] - piece[0]) > cells[k][2] * 2:
            return None
        texts[k] += piece[3].strip()
    return texts


def page_with_table(page: object, carry: list[float] | None = None) -> tuple[str | None, list[float] | None]:
    """The page's text with each activity table written as tab-separated rows (a wrapped cell's next
    line keeps its column), or None when the page has no such table. Other lines keep their indent.
    Also the table's column positions when it is still open at the foot of the page."""
    from .tables import header_roles

    try:
        rows = _rows(_runs(page))
    except Exception:
        return None, None
    lines: list[str] = []
    anchors: list[float] | None = carry
    found = False
    left = min((r[0][0] for r in rows), default=0.0)
    skip = False
    for n, row in enumerate(rows):
        if skip:  # the second line of a wrapped header, already joined to the first
            skip = False
            continue
        cells = _cells(row)
        texts = [c[3].strip() for c in cells]
        if anchors is None and len(cells) >= 3 and not header_roles(texts) and n + 1 < len(rows):
            joined = _join_header(cells, _cells(rows[n + 1]))
            if joined and header_roles(joined):
                texts, skip = joined, True
        if anchors is None and len(cells) >= 3 and header_roles(texts):
            anchors, found = [c[0] for c in cells], True
            lines.append("\t".join(texts))
            continue
        if anchors is not None:
            starts_item = _STARTS_ITEM.match(texts[0]) and cells[0][0] < anchors[1] - 4
            if len(cells) == 1 and _PAGE_NUMBER.match(texts[0]):
                lines.append(texts[0])  # the page number at the foot, not a cell
                continue
            if not starts_item and (len(cells) > 1 or cells[0][0] > anchors[0] + 4 or len(texts[0]) <= 12):
                columns = [""] * len(anchors)
                for cell in cells:
                    k = max((i for i, a in enumerate(anchors) if cell[0] >= a - 6), default=0)
                    columns[k] += cell[3].strip()
                lines.append("\t".join(columns))
                found = True
                continue
            anchors = None
        size = cells[0][2] or 10
        indent = " " * max(0, round((cells[0][0] - left) / (size / 2)))
        lines.append(indent + "  ".join(texts))
    return ("\n".join(lines) if found else None), anchors


def read_notice_bytes(data: bytes) -> str:
    if len(data) > MAX_FILE_BYTES:
        raise NoticeFileError(
            _("文件超过 %(value)s MB，无法导入。") % {"value": MAX_FILE_BYTES // 1024 // 1024}
        )
    kind = sniff(data)
    if kind == "docx":
        return docx_to_text(data)
    if kind == "pdf":
        return pdf_to_text(data)
    if kind == "doc":
        raise NoticeFileError(_("暂不支持旧版 Word（.doc）文件，请在 Word 中另存为 .docx 后再导入。"))
    if kind == "zip":
        raise NoticeFileError(_("压缩文件不是 Word（.docx）文档，无法读取。"))
    return decode_text(data)
