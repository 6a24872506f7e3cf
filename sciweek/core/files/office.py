"""Open uploaded Excel and Word files without letting a malformed or hostile one become a server
error: content sniffed, ZIP checked, parser errors turned into messages that name the field."""

from __future__ import annotations

import contextlib
import logging
import zipfile
import zlib
from collections.abc import Iterator
from typing import IO, Any

import docx
import openpyxl
from django.utils.translation import gettext as _
from docx.exceptions import PythonDocxError
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

from .errors import UploadRejected, pad_latin, quote_field
from .sniff import require_kind, sniff_file
from .zipcheck import MiB, check_zip_safe

logger = logging.getLogger(__name__)

# What openpyxl / python-docx raise on malformed input: a missing part is a KeyError, a bad attribute
# value a TypeError / ValueError from a descriptor, broken XML a SyntaxError subclass (ElementTree's
# ParseError, lxml's XMLSyntaxError), a broken stream a BadZipFile / zlib.error / EOFError.
PARSER_ERRORS: tuple[type[BaseException], ...] = (
    zipfile.BadZipFile,
    zlib.error,
    KeyError,
    ValueError,
    TypeError,
    IndexError,
    SyntaxError,
    OSError,
    EOFError,
    NotImplementedError,
    InvalidFileException,
    PythonDocxError,
)

_SOFTWARE_HINT = "请用 Office 或 WPS 打开后重新保存再上传"


@contextlib.contextmanager
def office_read_errors(field_label: str | None, what: str = "Excel 文件") -> Iterator[None]:
    """Turn parser exceptions raised inside the block into ``UploadRejected``. Use it around the
    rows loop too: a read-only workbook parses each sheet lazily, while it is iterated."""
    try:
        yield
    except UploadRejected:
        raise
    except PARSER_ERRORS as exc:
        logger.info("unreadable %s upload for %r", what, field_label, exc_info=exc)
        raise UploadRejected(
            (
                _("%(field)s不是有效的%(kind)s，或文件已损坏（无法读取内容），%(SOFTWARE_HINT)s")
                % {
                    "field": quote_field(field_label),
                    "kind": pad_latin(what),
                    "SOFTWARE_HINT": _SOFTWARE_HINT,
                }
            ),
            field=field_label,
            code="office_unreadable",
        )


def _check_office_file(
    fileobj: IO[bytes], kind: str, field_label: str | None, max_total_uncompressed: int
) -> None:
    require_kind(sniff_file(fileobj), {kind}, field_label=field_label)
    check_zip_safe(
        fileobj,
        max_total_uncompressed=max_total_uncompressed,
        forbid_xml_doctype=True,
        field_label=field_label,
    )
    fileobj.seek(0)


def open_xlsx_safely(
    fileobj: IO[bytes],
    *,
    field_label: str | None,
    read_only: bool = True,
    data_only: bool = True,
    max_total_uncompressed: int = 200 * MiB,
) -> Any:
    """An openpyxl ``Workbook`` for an uploaded .xlsx (a seekable binary file), after
    checking that its content is really xlsx and that the ZIP is safe. ``data_only`` returns the
    values Excel last calculated instead of formulas. With ``read_only`` the workbook keeps the file
    open until ``workbook.close()``, and sheets are parsed while iterated: wrap the iteration in
    ``office_read_errors(field_label)``."""
    _check_office_file(fileobj, "xlsx", field_label, max_total_uncompressed)
    with office_read_errors(field_label, "Excel 文件"):
        return openpyxl.load_workbook(fileobj, read_only=read_only, data_only=data_only)


def open_docx_safely(
    fileobj: IO[bytes], *, field_label: str | None, max_total_uncompressed: int = 200 * MiB
) -> Any:
    """A python-docx ``Document`` for an uploaded .docx (a seekable binary file), after
    the same content and ZIP checks as ``open_xlsx_safely``. python-docx reads everything at once,
    so no parser error can surface later."""
    _check_office_file(fileobj, "docx", field_label, max_total_uncompressed)
    with office_read_errors(field_label, "Word 文件"):
        return docx.Document(fileobj)


def cell_ref(sheet_title: str, row: int, col: int) -> str:
    """The cell address "Sheet1!B3" for messages; titles with spaces or punctuation are quoted as Excel does
    ('My Sheet'!B3). ``row`` and ``col`` count from 1."""
    if row < 1 or col < 1:
        raise ValueError(f"row and col count from 1, got {row}, {col}")
    needs_quotes = not sheet_title or not all(ch.isalnum() or ch == "_" for ch in sheet_title)
    title = "'" + sheet_title.replace("'", "''") + "'" if needs_quotes else sheet_title
    return f"{title}!{get_column_letter(col)}{row}"
