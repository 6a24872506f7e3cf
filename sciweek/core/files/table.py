"""Read the data rows of an uploaded xlsx list under a recognised header: the part every importer shares
(units in orgs, enterprises in innovation). The importer says which header cells name which column and
words its own messages; this reads safely (office.py), finds the header in the first rows, skips blank
rows, stops at a long blank run (a sheet formatted down to row 1 048 576) and at the row limit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import IO, Any

from .errors import UploadRejected
from .office import office_read_errors, open_xlsx_safely

HEADER_ROWS = 10
MAX_BLANK_RUN = 500


def cell_text(value: Any) -> str:
    """A cell as the text a person typed: 12.0 → "12", a date → 2023-05-20, full-width spaces trimmed."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime | dt.date):
        value = value.isoformat()[:10]
    return str(value).replace("\u3000", " ").strip()


@dataclass
class Table:
    sheet: str = ""
    rows: list[tuple[int, dict[str, str]]] = field(default_factory=list)  # (row number, {key: text})
    problem: str = ""  # the file could not be read (already a message for the person)
    header_found: bool = False
    too_many: bool = False


def read_table(
    fileobj: IO[bytes],
    *,
    field_label: str,
    header_key: Callable[[Any], str | None],
    required: set[str],
    max_rows: int,
    pick_sheet: Callable[[list[str]], str] | None = None,
) -> Table:
    """The first row (of the first HEADER_ROWS) naming every ``required`` key is the header; a column
    named twice counts once (the first)."""
    table = Table()
    try:
        workbook = open_xlsx_safely(fileobj, field_label=field_label)
    except UploadRejected as exc:
        table.problem = exc.message
        return table
    try:
        with office_read_errors(field_label):
            names = workbook.sheetnames
            table.sheet = pick_sheet(names) if pick_sheet else names[0]
            columns: dict[int, str] | None = None
            blank_run = 0
            for number, values in enumerate(workbook[table.sheet].iter_rows(values_only=True), start=1):
                if columns is None:
                    found: dict[int, str] = {}
                    for i, value in enumerate(values):
                        key = header_key(value)
                        if key and key not in found.values():
                            found[i] = key
                    if required <= set(found.values()):
                        columns = found
                        table.header_found = True
                    elif number >= HEADER_ROWS:
                        break
                    continue
                cells = {key: cell_text(values[i]) if i < len(values) else "" for i, key in columns.items()}
                if not any(cells.values()):
                    blank_run += 1
                    if blank_run >= MAX_BLANK_RUN:
                        break
                    continue
                blank_run = 0
                table.rows.append((number, cells))
                if len(table.rows) > max_rows:
                    table.too_many = True
                    table.rows = []
                    break
    except UploadRejected as exc:
        table.problem = exc.message
        table.rows = []
    finally:
        workbook.close()
    return table
