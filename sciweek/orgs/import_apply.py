"""Write an import plan: every unit and contact, or nothing."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from sciweek.core.audit import audit_log

from .importer import ImportPlan, PlannedUnit
from .models import OrgUnit
from .services import staff_save, unit_add_aliases, unit_create


@dataclass(frozen=True)
class ImportResult:
    units_created: int
    units_matched: int
    aliases_added: int
    staff_added: int


@transaction.atomic
def units_import(
    *,
    actor: Any,
    plan: ImportPlan,
    source_name: str = "",
    progress: Callable[[int, int, str], None] | None = None,
) -> ImportResult:
    """Create the plan's new units (in file order, parents first), add aliases to matched units, add the
    contacts. A plan with any error is refused; a service refusing a row (someone created the same name
    since the preview) rolls back everything already written."""
    if not plan.ok:
        raise ValidationError(_("导入文件中还有问题，未导入任何数据：") + "；".join(plan.errors[:5]))
    created: dict[int, OrgUnit] = {}  # id(PlannedUnit) -> unit
    aliases_added = 0
    total = len(plan.units) + len(plan.staff_to_add)

    def tick(done: int, what: str) -> None:
        if progress is not None and (done % 10 == 0 or done == total):
            progress(done, total, what)

    def unit_of(pu: PlannedUnit) -> OrgUnit:
        return pu.existing if pu.existing is not None else created[id(pu)]

    for n, pu in enumerate(plan.units, start=1):
        tick(n, "正在写入单位")
        try:
            if pu.is_new:
                parent = unit_of(pu.parent_plan) if pu.parent_plan else pu.parent_unit
                created[id(pu)] = unit_create(
                    actor=actor,
                    parent=parent,
                    name=pu.name,
                    kind=pu.kind,
                    code=pu.code,
                    short_name=pu.short_name,
                    aliases=pu.aliases,
                )
            elif pu.aliases and pu.existing is not None:
                aliases_added += len(unit_add_aliases(actor=actor, unit=pu.existing, aliases=pu.aliases))
        except ValidationError as exc:
            raise ValidationError(
                _("第%(row)s行「%(name)s」：%(messages)s（未导入任何数据）")
                % {"row": pu.row, "name": pu.name, "messages": "；".join(exc.messages)}
            ) from exc
    # Inserting in name order shifts sibling paths: reload so audit entries carry today's paths.
    fresh = OrgUnit.objects.in_bulk([unit_of(pu).pk for pu in plan.units])
    staff_added = 0
    for n, row in enumerate(plan.staff_to_add, start=len(plan.units) + 1):
        tick(n, "正在写入联系人")
        assert row.unit is not None and row.staff is not None
        try:
            s = row.staff
            staff_save(
                actor=actor,
                unit=fresh[unit_of(row.unit).pk],
                name=s["name"],
                mobile=s["mobile"],
                position=s["position"],
                email=s["email"],
            )
        except ValidationError as exc:
            raise ValidationError(
                _("第%(row)s行：%(messages)s（未导入任何数据）")
                % {"row": row.row, "messages": "；".join(exc.messages)}
            ) from exc
        staff_added += 1
    result = ImportResult(
        units_created=len(created),
        units_matched=len(plan.matched_units),
        aliases_added=aliases_added,
        staff_added=staff_added,
    )
    root = OrgUnit.objects.get(pk=plan.default_parent.pk) if plan.default_parent else None
    audit_log(
        actor=actor,
        action="unit.import",
        obj=root,
        object_repr=f"导入单位名单 {source_name}"[:255],
        after={
            "file": source_name,
            "units_created": result.units_created,
            "units_matched": result.units_matched,
            "aliases_added": aliases_added,
            "staff_added": staff_added,
            "created": [u.name for u in created.values()],
        },
    )
    return result
