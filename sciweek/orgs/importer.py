"""Import units with their contact staff from the xlsx template.

`plan_import` reads the workbook into an `ImportPlan`: what each row will do (new unit, existing unit
matched by name / short name / alias, staff added) and every problem, named by row and column in
Chinese. It only reads the database. `units_import` (import_apply.py) writes a plan without errors,
all or nothing. The preview and the commit both call `plan_import` on the stored file, so what is
committed is what the database says at commit time, never what a browser posted back.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import IO, Any

from sciweek.core.files.table import read_table

from .access import memberships_of
from .importspec import COLUMN_BY_KEY, header_key
from .models import OrgUnit, OrgUnitAlias, Role, StaffContact, normalize_name

MAX_ROWS = 3000
SHEET_NAME = "单位名单"
FIELD_LABEL = "导入文件"


def label(key: str) -> str:
    return COLUMN_BY_KEY[key].label


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        if self.row and self.column:
            return f"第{self.row}行「{self.column}」：{self.message}"
        return f"第{self.row}行：{self.message}" if self.row else self.message


@dataclass(eq=False)
class PlannedUnit:
    name: str
    row: int  # first row that names it
    existing: OrgUnit | None = None
    parent_plan: PlannedUnit | None = None  # a unit created by an earlier row
    parent_unit: OrgUnit | None = None  # or one already in the tree
    kind: str = ""
    code: str = ""
    short_name: str = ""
    aliases: list[str] = field(default_factory=list)  # for an existing unit: the ones to add
    matched_by: str = ""

    @property
    def is_new(self) -> bool:
        return self.existing is None

    @property
    def parent_name(self) -> str:
        return (
            self.parent_plan.name if self.parent_plan else (self.parent_unit.name if self.parent_unit else "")
        )

    def name_keys(self) -> set[str]:
        return {normalize_name(n) for n in (self.name, self.short_name, *self.aliases) if n}


@dataclass(eq=False)
class PlannedRow:
    row: int
    cells: dict[str, str]
    unit: PlannedUnit | None = None
    repeat_of: int | None = None  # first row of the same unit
    staff: dict[str, str] | None = None
    staff_exists: bool = False
    notes: list[str] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    def error(self, key: str, message: str) -> None:
        self.errors.append(RowError(self.row, label(key) if key else "", message))


@dataclass
class ImportPlan:
    rows: list[PlannedRow] = field(default_factory=list)
    units: list[PlannedUnit] = field(default_factory=list)
    file_errors: list[str] = field(default_factory=list)
    default_parent: OrgUnit | None = None

    @property
    def errors(self) -> list[str]:
        return self.file_errors + [str(e) for r in self.rows for e in r.errors]

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.rows)

    @property
    def new_units(self) -> list[PlannedUnit]:
        return [u for u in self.units if u.is_new]

    @property
    def matched_units(self) -> list[PlannedUnit]:
        return [u for u in self.units if not u.is_new]

    @property
    def staff_to_add(self) -> list[PlannedRow]:
        return [r for r in self.rows if r.staff and not r.staff_exists]


def fingerprint(plan: ImportPlan) -> str:
    """What the preview promised, so a commit after the tree changed underneath shows the new preview."""
    parts = [
        f"{r.row}:{r.unit.name if r.unit else ''}:{r.unit.is_new if r.unit else ''}:"
        f"{r.unit.parent_name if r.unit else ''}:{bool(r.staff) and not r.staff_exists}"
        for r in plan.rows
    ]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:32]


def managed_roots(user: Any) -> list[OrgUnit]:
    """The units a user organizes, outermost first (a root inside another root is dropped)."""
    if getattr(user, "is_superuser", False) and user.is_active:
        return list(OrgUnit.get_root_nodes())
    units = sorted(
        {m.unit.path: m.unit for m in memberships_of(user) if m.role == Role.ORGANIZER}.values(),
        key=lambda u: u.path,
    )
    roots: list[OrgUnit] = []
    for u in units:
        if not any(u.path.startswith(r.path) for r in roots):
            roots.append(u)
    return roots


def read_rows(fileobj: IO[bytes]) -> tuple[list[tuple[int, dict[str, str]]], list[str]]:
    """(row number, {column key: text}) for every non-empty data row, and file-level problems."""
    table = read_table(
        fileobj, field_label=FIELD_LABEL, header_key=header_key, required={"name"}, max_rows=MAX_ROWS,
        pick_sheet=lambda names: (
            SHEET_NAME if SHEET_NAME in names else next((n for n in names if "说明" not in n), names[0])
        ),
    )  # fmt: skip
    title = table.sheet
    if table.problem:
        return [], [table.problem]
    if table.too_many:
        return [], [f"「{title}」的数据超过{MAX_ROWS}行，请分批导入。"]
    if not table.header_found:
        return [], [f"「{title}」的前10行中没有找到「单位名称」列，请使用下载的导入模板填写。"]
    if not table.rows:
        return [], [f"「{title}」中没有数据行：请在表头下方逐行填写单位。"]
    return table.rows, []


def scope_index(
    roots: list[OrgUnit],
) -> tuple[dict[str, OrgUnit], dict[int, list[str]], set[tuple[int, str, str]]]:
    """Units under `roots` by path, their alias keys, and the (unit, name, mobile) of their staff."""
    from django.db.models import Q

    q = Q(pk__in=[])
    for r in roots:
        q |= Q(path__startswith=r.path)
    units = {u.path: u for u in OrgUnit.objects.filter(q).order_by("path")}
    ids = [u.pk for u in units.values()]
    aliases: dict[int, list[str]] = {}
    for unit_id, key in OrgUnitAlias.objects.filter(unit_id__in=ids).values_list("unit_id", "key"):
        aliases.setdefault(unit_id, []).append(key)
    staff = set(StaffContact.objects.filter(unit_id__in=ids).values_list("unit_id", "name", "mobile"))
    return units, aliases, staff
