"""Writes to the unit tree and its people. Keyword-only, audited, transactional."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F

from sciweek.core.audit import audit_log, snapshot
from sciweek.core.errors import check_version

from .models import Membership, OrgUnit, OrgUnitAlias, StaffContact, UnitKind, normalize_name
from .validators import check_mobile


def _next_code(parent: OrgUnit | None) -> str:
    base = parent.code if parent else "U"
    n = (parent.get_children_count() if parent else OrgUnit.get_root_nodes().count()) + 1
    while OrgUnit.objects.filter(code=f"{base}-{n:03d}").exists():
        n += 1
    return f"{base}-{n:03d}"


def check_unit_name(*, parent: OrgUnit | None, name: str, exclude: OrgUnit | None = None) -> str:
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": "请填写单位名称。"})
    if len(name) > 100:
        raise ValidationError({"name": "单位名称不能超过100个字。"})
    siblings = parent.get_children() if parent else OrgUnit.get_root_nodes()
    key = normalize_name(name)
    for sibling in siblings:
        if exclude is not None and sibling.pk == exclude.pk:
            continue
        if normalize_name(sibling.name) == key:
            raise ValidationError({"name": f"「{parent or '顶级'}」下已有同名单位「{sibling.name}」。"})
    return name


def _set_aliases(unit: OrgUnit, aliases: list[str]) -> None:
    wanted = {normalize_name(a): a.strip() for a in aliases if a and a.strip()}
    unit.aliases.exclude(key__in=wanted).delete()
    existing = set(unit.aliases.values_list("key", flat=True))
    for key, name in wanted.items():
        if key not in existing:
            OrgUnitAlias.objects.create(unit=unit, name=name)


@transaction.atomic
def unit_create(
    *,
    actor: Any,
    parent: OrgUnit | None,
    name: str,
    kind: str,
    code: str = "",
    short_name: str = "",
    aliases: list[str] | None = None,
    is_sample: bool = False,
) -> OrgUnit:
    name = check_unit_name(parent=parent, name=name)
    if kind not in UnitKind.values:
        raise ValidationError({"kind": f"未知的单位类型「{kind}」。"})
    code = (code or "").strip() or _next_code(parent)
    if OrgUnit.objects.filter(code=code).exists():
        raise ValidationError({"code": f"单位代码「{code}」已被使用。"})
    fields = dict(name=name, kind=kind, code=code, short_name=short_name.strip(), is_sample=is_sample)
    unit = parent.add_child(**fields) if parent else OrgUnit.add_root(**fields)
    _set_aliases(unit, aliases or [])
    audit_log(actor=actor, action="unit.create", obj=unit, after=snapshot(unit) | {"aliases": aliases or []})
    return unit


@transaction.atomic
def unit_update(
    *,
    actor: Any,
    unit: OrgUnit,
    version: int | None,
    name: str,
    kind: str,
    short_name: str = "",
    aliases: list[str] | None = None,
    is_active: bool = True,
) -> OrgUnit:
    unit = OrgUnit.objects.select_for_update().get(pk=unit.pk)
    check_version(unit, version, f"单位「{unit.name}」")
    before = snapshot(unit) | {"aliases": sorted(a.name for a in unit.aliases.all())}
    unit.name = check_unit_name(parent=unit.get_parent(), name=name, exclude=unit)
    if kind not in UnitKind.values:
        raise ValidationError({"kind": f"未知的单位类型「{kind}」。"})
    unit.kind, unit.short_name, unit.is_active = kind, short_name.strip(), is_active
    unit.version = F("version") + 1
    unit.save()
    unit.refresh_from_db()
    if aliases is not None:
        _set_aliases(unit, aliases)
    after = snapshot(unit) | {"aliases": sorted(a.name for a in unit.aliases.all())}
    audit_log(actor=actor, action="unit.update", obj=unit, before=before, after=after)
    return unit


@transaction.atomic
def unit_move(*, actor: Any, unit: OrgUnit, new_parent: OrgUnit) -> OrgUnit:
    unit = OrgUnit.objects.get(pk=unit.pk)
    if new_parent.pk == unit.pk or new_parent.path.startswith(unit.path):
        raise ValidationError({"parent": f"不能把「{unit.name}」移到它自己或它的下级单位「{new_parent.name}」之下。"})
    check_unit_name(parent=new_parent, name=unit.name, exclude=unit)
    before = {"parent": str(unit.get_parent() or "")}
    unit.move(new_parent, pos="sorted-child")
    unit = OrgUnit.objects.get(pk=unit.pk)
    audit_log(actor=actor, action="unit.move", obj=unit, before=before, after={"parent": new_parent.name})
    return unit


def _repoint_relations(source: OrgUnit, target: OrgUnit) -> dict[str, int]:
    """Every row in any app that points at `source` is pointed at `target` instead."""
    moved: dict[str, int] = {}
    for rel in source._meta.related_objects:
        if rel.related_model is OrgUnit:
            continue  # children are moved with the tree API
        accessor = rel.field.name
        model = rel.related_model
        if rel.many_to_many:
            through = rel.through if hasattr(rel, "through") else rel.field.remote_field.through
            for row in through.objects.filter(**{f"{rel.field.m2m_reverse_field_name()}": source.pk}):
                owner_id = getattr(row, rel.field.m2m_field_name() + "_id")
                if not through.objects.filter(
                    **{rel.field.m2m_field_name(): owner_id, rel.field.m2m_reverse_field_name(): target.pk}
                ).exists():
                    setattr(row, rel.field.m2m_reverse_field_name() + "_id", target.pk)
                    row.save()
                else:
                    row.delete()
                moved[model._meta.label] = moved.get(model._meta.label, 0) + 1
        elif rel.one_to_many or rel.one_to_one:
            if model is Membership:
                for m in Membership.objects.filter(**{accessor: source}):
                    dup = Membership.objects.filter(user=m.user, unit=target, role=m.role).exclude(pk=m.pk)
                    if accessor == "unit" and dup.exists():
                        m.delete()
                    else:
                        setattr(m, accessor, target)
                        m.save()
                continue
            if model is OrgUnitAlias:
                continue
            count = model._default_manager.filter(**{accessor: source}).update(**{accessor: target})
            if count:
                moved[model._meta.label] = count
    return moved


@transaction.atomic
def unit_merge(*, actor: Any, source: OrgUnit, target: OrgUnit) -> OrgUnit:
    """Merge `source` into `target`: its data, people and children go over; its name becomes an alias."""
    source = OrgUnit.objects.get(pk=source.pk)
    target = OrgUnit.objects.get(pk=target.pk)
    if source.pk == target.pk:
        raise ValidationError({"target": "不能把单位合并到它自己。"})
    if target.path.startswith(source.path):
        raise ValidationError({"target": f"不能把「{source.name}」合并到它的下级单位「{target.name}」。"})
    for child in list(source.get_children()):
        check_unit_name(parent=target, name=child.name)
        OrgUnit.objects.get(pk=child.pk).move(OrgUnit.objects.get(pk=target.pk), pos="sorted-child")
    source = OrgUnit.objects.get(pk=source.pk)
    aliases = [source.name, *[a.name for a in source.aliases.all()]]
    if source.short_name:
        aliases.append(source.short_name)
    moved = _repoint_relations(source, target)
    existing = {a.key for a in target.aliases.all()} | {normalize_name(target.name)}
    for alias in aliases:
        if normalize_name(alias) not in existing:
            OrgUnitAlias.objects.create(unit=target, name=alias)
            existing.add(normalize_name(alias))
    audit_log(
        actor=actor, action="unit.merge", obj=target,
        before={"source": source.name, "source_code": source.code}, after={"target": target.name, "moved": moved},
    )
    OrgUnit.objects.get(pk=source.pk).delete()
    return OrgUnit.objects.get(pk=target.pk)


def find_unit_by_name(name: str, *, within: OrgUnit | None = None) -> OrgUnit | None:
    """Exact name, short name or alias (normalised) inside `within`'s subtree."""
    key = normalize_name(name)
    qs = OrgUnit.objects.filter(path__startswith=within.path) if within else OrgUnit.objects.all()
    for unit in qs.filter(name=name.strip()):
        return unit
    for unit in qs.only("id", "name", "short_name", "path"):
        if normalize_name(unit.name) == key or (unit.short_name and normalize_name(unit.short_name) == key):
            return unit
    alias = OrgUnitAlias.objects.filter(key=key, unit__in=qs).select_related("unit").first()
    return alias.unit if alias else None


@transaction.atomic
def staff_save(
    *,
    actor: Any,
    unit: OrgUnit,
    staff: StaffContact | None = None,
    version: int | None = None,
    name: str,
    mobile: str,
    position: str = "",
    email: str = "",
    is_primary: bool = False,
) -> StaffContact:
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": "请填写联系人姓名。"})
    mobile = check_mobile(mobile, field="mobile")
    if staff is None:
        staff = StaffContact(unit=unit)
        before = None
    else:
        staff = StaffContact.objects.select_for_update().get(pk=staff.pk, unit=unit)
        check_version(staff, version, f"联系人「{staff.name}」")
        before = snapshot(staff)
        staff.version += 1
    staff.name, staff.mobile, staff.position, staff.email = name, mobile, position.strip(), email.strip()
    staff.is_primary = is_primary
    staff.save()
    audit_log(actor=actor, action="staff.save", obj=staff, before=before, after=snapshot(staff))
    return staff


@transaction.atomic
def staff_delete(*, actor: Any, staff: StaffContact) -> None:
    audit_log(actor=actor, action="staff.delete", obj=staff, before=snapshot(staff))
    staff.delete()
