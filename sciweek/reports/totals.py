"""A report's values once more, as one short text on the report row (``Report.totals``).

Why: the roll-up down to every unit of the nation reads 114,000 report rows instead of 1.8 million
value rows (fetching those alone takes longer than the roll-up's target). The text is written in the
same transaction as the values, by ``totals_for`` callers in the entry service and the import commit
(the only two places that write values); ``sciweek rollup --check-totals`` compares it with the values.

Format: ``"<layout>|v1,v2,…"`` with one field per row of the report's form, in the order of the row
codes sorted, blank for a cell that is blank or 不适用. ``layout`` is a fingerprint of that code list
(``layout_of``), so a reader that knows the codes recognises the common case at once, and a report
that later moves to another form version is still read right.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Protocol

from django.db.models import QuerySet

from .models import FormRow, Report, ReportValue


class HasValue(Protocol):
    @property
    def value(self) -> Decimal | None: ...  # read-only: named tuples and models both qualify


def _literal(value: Decimal) -> str:
    return format(value.normalize(), "f")  # 100.0000 -> "100", never "1E+2"


def layout_of(codes: Iterable[str]) -> str:
    """Fingerprint of a sorted code list (8 hex digits)."""
    return format(zlib.crc32(",".join(codes).encode()), "08x")


def encode(codes: Iterable[str], cells: Mapping[str, HasValue | None]) -> str:
    """The totals text of ``cells`` (row code -> a cell with ``.value``) for a form with ``codes``."""
    ordered = sorted(codes)
    fields = []
    for code in ordered:
        cell = cells.get(code)
        value = cell.value if cell is not None else None
        fields.append("" if value is None else _literal(value))
    return f"{layout_of(ordered)}|{','.join(fields)}"


def form_codes(form_ids: Iterable[int]) -> dict[int, list[str]]:
    """{form id: its row codes sorted}: the field order of a totals text written for that form."""
    out: dict[int, list[str]] = {}
    for form_id, code in FormRow.objects.filter(form_id__in=set(form_ids)).values_list("form_id", "code"):
        out.setdefault(form_id, []).append(code)
    for codes in out.values():
        codes.sort()
    return out


def layouts(form_ids: Iterable[int]) -> dict[str, list[str]]:
    """{layout: sorted codes} of the given forms."""
    return {layout_of(codes): codes for codes in form_codes(form_ids).values()}


class DecimalMemo(dict[str, Decimal | None]):
    """ "12" -> Decimal("12") once per distinct text: a national table repeats a few thousand numbers
    1.8 million times, and a dict lookup is far cheaper than parsing a Decimal."""

    def __missing__(self, text: str) -> Decimal | None:
        value = Decimal(text) if text else None
        self[text] = value
        return value


def totals_of_report(report: Report, codes: Iterable[str] | None = None) -> str:
    """Recomputed from the stored values (``--check-totals``); ``codes``: the form's, when known."""
    if codes is None:
        codes = FormRow.objects.filter(form_id=report.form_id).values_list("code", flat=True)
    cells = {v.row_code: v for v in ReportValue.objects.filter(report=report).only("row_code", "value")}
    return encode(codes, cells)


def stale_totals(reports: QuerySet[Report]) -> list[int]:
    """Ids of the reports whose totals text does not match their values (should always be empty)."""
    rows = list(reports.only("pk", "form_id", "totals"))
    codes = form_codes(r.form_id for r in rows)
    return [r.pk for r in rows if r.totals != totals_of_report(r, codes.get(r.form_id, []))]
