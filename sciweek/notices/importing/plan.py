"""What the organizer confirmed on the review screen, as plain data for ``notice_import_apply``.

Forms build an :class:`ImportPlan`; the service turns it into a campaign. Unit names the registry did
not know travel as ``*_pending`` lists and are resolved through :attr:`ImportPlan.resolutions`
(map to an existing unit, create a new one, or leave out) inside the same transaction.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sciweek.orgs.models import OrgUnit
from sciweek.reports.formspec import SIXIAN_2023_FORM, FormSpec, RowSpec

MAP, CREATE, SKIP = "map", "create", "skip"


@dataclass
class Resolution:
    """An unmatched name and what to do with it."""

    index: int
    name: str
    action: str  # map / create / skip
    unit: OrgUnit | None = None
    kind: str = ""
    add_alias: bool = False


@dataclass
class ActivityPlan:
    index: int
    number: int
    title: str
    lead_units: list[OrgUnit]
    cooperating_units: list[OrgUnit]
    lead_pending: list[str] = field(default_factory=list)
    cooperating_pending: list[str] = field(default_factory=list)
    lead_text: str = ""
    cooperating_text: str = ""
    content: str = ""
    schedule_note: str = ""
    starts_at: dt.datetime | None = None
    venue: str = ""


@dataclass
class RequirementPlan:
    index: int | None  # position in the deadlines list; None for the minimum-activities rule
    kind: str
    title: str
    due_at: dt.datetime
    description: str = ""
    close_of_business: bool = False
    applies_to: list[OrgUnit] = field(default_factory=list)
    applies_pending: list[str] = field(default_factory=list)
    min_count: int | None = None
    target_count: int | None = None


@dataclass
class StatRowPlan:
    section: str
    label: str
    unit: str


@dataclass
class ImportPlan:
    fields: dict[str, Any]  # Campaign fields accepted by campaign_create
    issuers: list[OrgUnit]
    issuers_pending: list[str]
    themes: list[tuple[str, str]]  # (title, body)
    activities: list[ActivityPlan]
    requirements: list[RequirementPlan]
    stat_title: str = ""
    stat_footnote: str = ""
    stat_rows: list[StatRowPlan] = field(default_factory=list)
    resolutions: list[Resolution] = field(default_factory=list)


# -- the statistics form ---------------------------------------------------------------------------


def _label_key(text: str) -> str:
    text = unicodedata.normalize("NFKC", text or "")
    return re.sub(r"[\s()（）:：,，、.。]", "", text)


_KNOWN: dict[str, RowSpec] = {}
for _row in SIXIAN_2023_FORM.rows:
    for _name in (_row.label, *_row.aliases):
        _KNOWN.setdefault(_label_key(_name), _row)


def known_row(label: str) -> RowSpec | None:
    """The 2023 table's row with this label (or one of its aliases), so its code and checks carry over."""
    return _KNOWN.get(_label_key(label))


def form_spec_from_rows(title: str, footnote: str, rows: list[StatRowPlan]) -> FormSpec:
    """A FormSpec for the reviewed rows: the 2023 table's code and checks where the label matches,
    ``row_01``… otherwise; amounts in 万元 take up to four decimals."""
    specs: list[RowSpec] = []
    used: set[str] = set()
    for n, row in enumerate(rows, start=1):
        known = known_row(row.label)
        unit = (row.unit or "").strip()
        if known is not None and known.code not in used:
            spec = RowSpec(
                code=known.code,
                section=row.section,
                label=row.label,
                unit=unit,
                value_type=known.value_type,
                decimals=known.decimals,
                help=known.help,
                aliases=known.aliases,
                max_plausible=known.max_plausible,
            )
        else:
            code = f"row_{n:02d}"
            while code in used:
                code += "x"
            money = unit == "万元"
            spec = RowSpec(
                code=code,
                section=row.section,
                label=row.label,
                unit=unit,
                value_type="decimal" if money else "int",
                decimals=4 if money else 0,
                max_plausible=Decimal(1000) if money else None,
            )
        used.add(spec.code)
        specs.append(spec)
    return FormSpec(title=title, rows=tuple(specs), footnote=footnote)
