"""Row-by-row rules of the unit import: resolve the parent, match or plan the unit, check the staff.

Every problem is recorded against its row and column; processing goes on so that the preview lists
all of them at once rather than one per upload.
"""

from __future__ import annotations

from typing import IO, Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models import Q

from .importer import ImportPlan, PlannedRow, PlannedUnit, managed_roots, read_rows, scope_index
from .importspec import kind_labels, parse_kind, split_aliases
from .models import OrgUnit, UnitKind, normalize_name
from .services import CODE_RE
from .validators import check_mobile

KIND_LABEL = dict(UnitKind.choices)


def _unit_named_anywhere(text: str) -> OrgUnit | None:
    """A unit of that name, short name or alias anywhere in the tree (only to say it lies out of scope)."""
    key = normalize_name(text)
    named = Q(name=text) | Q(short_name=text) | Q(aliases__key=key)
    return OrgUnit.objects.filter(named).order_by("path").first()


def _unique(items: list[Any]) -> list[Any]:
    seen: dict[int, Any] = {}
    for item in items:
        seen.setdefault(id(item) if isinstance(item, PlannedUnit) else item.pk, item)
    return list(seen.values())


class Planner:
    def __init__(self, *, plan: ImportPlan, roots: list[OrgUnit]) -> None:
        self.plan, self.roots = plan, roots
        self.by_path, alias_keys, self.staff_existing = scope_index(roots)
        self.by_key: dict[str, list[OrgUnit]] = {}
        self.children: dict[int, dict[str, list[OrgUnit]]] = {}
        self.by_code = {u.code.lower(): u for u in self.by_path.values()}
        self.keys_of: dict[int, set[str]] = {}
        for u in self.by_path.values():
            keys = {normalize_name(n) for n in (u.name, u.short_name) if n} | set(alias_keys.get(u.pk, []))
            self.keys_of[u.pk] = keys
            parent = self.by_path.get(u.path[: -OrgUnit.steplen])
            for k in keys:
                self.by_key.setdefault(k, []).append(u)
                if parent is not None:
                    self.children.setdefault(parent.pk, {}).setdefault(k, []).append(u)
        self.new_by_key: dict[str, list[PlannedUnit]] = {}
        self.planned_children: dict[tuple[str, int], dict[str, PlannedUnit]] = {}
        self.planned_existing: dict[int, PlannedUnit] = {}
        self.codes: dict[str, PlannedUnit] = {}
        self.staff_seen: dict[tuple[int, str, str], int] = {}
        self.first_row_of: dict[str, int] = {}
        self.kind_invalid: set[int] = set()  # new units whose type cell could not be read

    def run(self, rows: list[tuple[int, dict[str, str]]]) -> None:
        for number, cells in rows:
            if cells.get("name"):
                self.first_row_of.setdefault(normalize_name(cells["name"]), number)
        for number, cells in rows:
            row = PlannedRow(row=number, cells=cells)
            self.plan.rows.append(row)
            self.check_row(row)
        # The type may be given on any of a unit's rows: only now is it known to be missing everywhere.
        by_number = {r.row: r for r in self.plan.rows}
        for pu in self.plan.new_units:
            if not pu.kind and id(pu) not in self.kind_invalid:
                by_number[pu.row].error("kind", f"新建单位「{pu.name}」须选择类型。")

    # -- one row ---------------------------------------------------------------------------------
    def check_row(self, row: PlannedRow) -> None:
        c = row.cells
        name = " ".join(c.get("name", "").split())
        short = c.get("short_name", "").strip()
        aliases = split_aliases(c.get("aliases", ""))
        if not name:
            row.error("name", "不能为空。")
        elif len(name) > 100:
            row.error("name", f"「{name[:20]}…」超过100个字。")
        if len(short) > 50:
            row.error("short_name", "不能超过50个字。")
        for alias in aliases:
            if len(alias) > 100:
                row.error("aliases", f"「{alias[:20]}…」超过100个字。")
        kind = self.check_kind(row)
        parent = self.resolve_parent(row)
        staff = self.check_staff(row)
        if not name or parent is None:
            return
        row.unit = self.resolve_unit(row, parent, name, kind, c.get("code", "").strip(), short, aliases)
        if row.unit is not None and staff is not None:
            key = (id(row.unit), staff["name"], staff["mobile"])
            if key in self.staff_seen:
                row.error(
                    "staff_name", f"{staff['name']}（{staff['mobile']}）与第{self.staff_seen[key]}行重复。"
                )
            elif (
                row.unit.existing
                and (row.unit.existing.pk, staff["name"], staff["mobile"]) in self.staff_existing
            ):
                row.staff_exists = True
                row.notes.append(f"联系人{staff['name']}已在单位中，不重复添加。")
            self.staff_seen.setdefault(key, row.row)
            row.staff = staff

    def check_kind(self, row: PlannedRow) -> str | None:
        text = row.cells.get("kind", "").strip()
        if not text:
            return ""
        kind = parse_kind(text)
        if kind is None:
            row.error("kind", f"「{text}」不是有效的单位类型，可选：{'、'.join(kind_labels())}。")
        return kind

    def resolve_parent(self, row: PlannedRow) -> OrgUnit | PlannedUnit | None:
        text = " ".join(row.cells.get("parent", "").split())
        if not text:
            return self.plan.default_parent
        key = normalize_name(text)
        candidates = _unique([*self.new_by_key.get(key, []), *self.by_key.get(key, [])])
        if len(candidates) == 1:
            return candidates[0]
        if candidates:
            listed = "、".join(self.describe(u) for u in candidates[:5])
            row.error("parent", f"「{text}」对应多个单位：{listed}，请填写单位全称。")
            return None
        outside = _unit_named_anywhere(text)
        later = self.first_row_of.get(key, 0)
        if outside is not None:
            scope = "、".join(f"「{r.name}」" for r in self.roots)
            row.error("parent", f"「{outside.name}」不在您的管理范围内，只能导入到{scope}及其下级单位。")
        elif later > row.row:
            row.error("parent", f"「{text}」在第{later}行才新建，请把第{later}行移到本行之前。")
        else:
            row.error("parent", f"未找到「{text}」：单位树中没有这个单位，本表前面的行也没有新建它。")
        return None

    def describe(self, unit: OrgUnit | PlannedUnit) -> str:
        if isinstance(unit, PlannedUnit):
            return f"「{unit.name}」（第{unit.row}行）"
        parent = self.by_path.get(unit.path[: -OrgUnit.steplen])
        return f"「{unit.name}」（{parent.name if parent else '顶级'}）"

    def check_staff(self, row: PlannedRow) -> dict[str, str] | None:
        c = row.cells
        name = " ".join(c.get("staff_name", "").split())
        raw, position, email = c.get("mobile", ""), c.get("position", "").strip(), c.get("email", "").strip()
        if not (name or raw or position or email):
            return None
        before = len(row.errors)
        if not name:
            row.error("staff_name", "填写了联系人信息，但没有填写姓名。")
        elif len(name) > 50:
            row.error("staff_name", "不能超过50个字。")
        mobile = ""
        if not raw:
            row.error("mobile", "不能为空：填写联系人时须填写手机号。")
        else:
            try:
                mobile = check_mobile(raw)
            except ValidationError:
                row.error("mobile", f"{raw} 格式不正确，应为11位手机号码。")
        if len(position) > 50:
            row.error("position", "不能超过50个字。")
        if email:
            try:
                validate_email(email)
            except ValidationError:
                row.error("email", f"{email} 格式不正确。")
        if len(row.errors) > before:
            return None
        return {"name": name, "mobile": mobile, "position": position, "email": email}

    # -- the unit a row names --------------------------------------------------------------------
    def resolve_unit(
        self,
        row: PlannedRow,
        parent: OrgUnit | PlannedUnit,
        name: str,
        kind: str | None,
        code: str,
        short: str,
        aliases: list[str],
    ) -> PlannedUnit | None:
        key = normalize_name(name)
        pid = ("p", id(parent)) if isinstance(parent, PlannedUnit) else ("u", parent.pk)
        siblings = self.planned_children.setdefault(pid, {})
        if key in siblings:
            return self.repeat(row, siblings[key], kind, code, short, aliases)
        if isinstance(parent, OrgUnit):
            if not parent.is_active:
                row.notes.append(f"上级单位「{parent.name}」已停用。")
            matches = _unique(self.children.get(parent.pk, {}).get(key, []))
            if len(matches) > 1:
                listed = "、".join(f"「{m.name}」" for m in matches)
                row.error("name", f"「{name}」在「{parent.name}」下对应多个单位：{listed}，请填写单位全称。")
                return None
            if matches:
                return self.match_existing(row, pid, parent, matches[0], name, kind, code, short, aliases)
        return self.plan_new(row, pid, parent, name, kind, code, short, aliases)

    def match_existing(
        self,
        row: PlannedRow,
        pid: tuple[str, int],
        parent: OrgUnit,
        unit: OrgUnit,
        name: str,
        kind: str | None,
        code: str,
        short: str,
        aliases: list[str],
    ) -> PlannedUnit:
        if unit.pk in self.planned_existing:
            pu = self.planned_existing[unit.pk]
            self.planned_children[pid][normalize_name(name)] = pu
            return self.repeat(row, pu, kind, code, short, aliases)
        how = (
            "名称"
            if normalize_name(unit.name) == normalize_name(name)
            else ("简称" if normalize_name(unit.short_name) == normalize_name(name) else f"别名「{name}」")
        )
        pu = PlannedUnit(
            name=unit.name,
            row=row.row,
            existing=unit,
            parent_unit=parent,
            kind=unit.kind,
            code=unit.code,
            short_name=unit.short_name,
            matched_by=how,
        )
        self.planned_existing[unit.pk] = pu
        for k in self.keys_of[unit.pk] | {normalize_name(name)}:
            self.planned_children[pid][k] = pu
        self.plan.units.append(pu)
        self.compare_existing(row, pu, kind, code, short, aliases)
        return pu

    def compare_existing(
        self, row: PlannedRow, pu: PlannedUnit, kind: str | None, code: str, short: str, aliases: list[str]
    ) -> None:
        unit = pu.existing
        assert unit is not None
        if code and code.lower() != unit.code.lower():
            row.error(
                "code",
                f"「{code}」与已有单位「{unit.name}」的代码「{unit.code}」不一致，导入不修改已有单位的代码。",
            )
        if kind and kind != unit.kind:
            row.notes.append(f"类型与单位树中的「{KIND_LABEL[unit.kind]}」不同，导入不修改已有单位的类型。")
        known = self.keys_of[unit.pk] | {normalize_name(a) for a in pu.aliases}
        for alias in [short, *aliases]:
            if alias and normalize_name(alias) not in known:
                pu.aliases.append(alias)
                known.add(normalize_name(alias))
                row.notes.append(f"将为「{unit.name}」添加别名「{alias}」。")

    def plan_new(
        self,
        row: PlannedRow,
        pid: tuple[str, int],
        parent: OrgUnit | PlannedUnit,
        name: str,
        kind: str | None,
        code: str,
        short: str,
        aliases: list[str],
    ) -> PlannedUnit:
        if code:
            self.check_code(row, code)
        pu = PlannedUnit(
            name=name,
            row=row.row,
            kind=kind or "",
            code=code,
            short_name=short,
            aliases=aliases,
            parent_plan=parent if isinstance(parent, PlannedUnit) else None,
            parent_unit=parent if isinstance(parent, OrgUnit) else None,
        )
        for k in pu.name_keys():
            self.planned_children[pid].setdefault(k, pu)
            self.new_by_key.setdefault(k, []).append(pu)
        if code:
            self.codes.setdefault(code.lower(), pu)
        if kind is None:
            self.kind_invalid.add(id(pu))
        self.plan.units.append(pu)
        return pu

    def check_code(self, row: PlannedRow, code: str) -> None:
        if not CODE_RE.match(code):
            row.error("code", f"「{code}」格式不正确：只能用字母、数字、-、_ 和 .，不超过32位。")
        elif code.lower() in self.by_code:
            row.error("code", f"「{code}」已被「{self.by_code[code.lower()].name}」使用。")
        elif code.lower() in self.codes:
            other = self.codes[code.lower()]
            row.error("code", f"「{code}」与第{other.row}行「{other.name}」的单位代码重复。")
        elif OrgUnit.objects.filter(code__iexact=code).exists():
            row.error("code", f"「{code}」已被其他地区的单位使用。")

    def repeat(
        self, row: PlannedRow, pu: PlannedUnit, kind: str | None, code: str, short: str, aliases: list[str]
    ) -> PlannedUnit:
        """A further row for a unit named earlier: another contact person; definitions must agree."""
        row.repeat_of = pu.row
        if not pu.is_new:
            self.compare_existing(row, pu, kind, code, short, aliases)
            return pu
        dup = f"「{pu.parent_name}」下的「{pu.name}」已在第{pu.row}行出现"
        hint = "同一上级下不能有两个同名单位；若只是同一单位的另一位联系人，此格可留空。"
        if kind and pu.kind and kind != pu.kind:
            row.error("kind", f"{dup}，类型为「{KIND_LABEL[pu.kind]}」，与本行不一致。{hint}")
        elif kind and not pu.kind:
            pu.kind = kind
        if code and pu.code and code.lower() != pu.code.lower():
            row.error("code", f"{dup}，单位代码为「{pu.code}」，与本行不一致。{hint}")
        elif code and not pu.code:
            self.check_code(row, code)
            pu.code = code
            self.codes.setdefault(code.lower(), pu)
        if short and pu.short_name and normalize_name(short) != normalize_name(pu.short_name):
            row.error("short_name", f"{dup}，简称为「{pu.short_name}」，与本行不一致。{hint}")
        elif short:
            pu.short_name = short
        known = pu.name_keys()
        pu.aliases += [a for a in aliases if normalize_name(a) not in known]
        return pu


def plan_import(fileobj: IO[bytes], *, actor: Any) -> ImportPlan:
    roots = managed_roots(actor)
    plan = ImportPlan(default_parent=roots[0] if roots else None)
    if not roots:
        plan.file_errors.append("您不是任何区域的组织单位，不能导入单位。")
        return plan
    rows, problems = read_rows(fileobj)
    plan.file_errors += problems
    if problems:
        return plan
    Planner(plan=plan, roots=roots).run(rows)
    return plan
