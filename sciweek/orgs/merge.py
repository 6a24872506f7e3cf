"""Merging one unit into another (a duplicate, or a sample unit into the real one).

Every row in any app that points at the source is pointed at the target, generically (the related
objects Django knows about), so apps added later are covered without touching this module. Rows
that would collide on a unique constraint (two statistics reports for one campaign) stop the merge
with a message before anything is written.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from sciweek.core.audit import audit_log

from .models import Membership, OrgUnit, OrgUnitAlias, normalize_name


@dataclass(frozen=True)
class MergeItem:
    label: str  # "联系人", "成员资格（账号）", "主要活动（牵头单位）"
    count: int


def _relations(unit: OrgUnit) -> list[Any]:
    return [rel for rel in unit._meta.related_objects if rel.related_model is not OrgUnit]


def _label(rel: Any) -> str:
    model_name = str(rel.related_model._meta.verbose_name)
    if rel.many_to_many:
        return f"{model_name}（{rel.field.verbose_name}）"
    if rel.field.name not in ("unit", "org_unit"):
        return f"{model_name}（{rel.field.verbose_name}）"
    return model_name


def _rows_pointing_at(rel: Any, unit: OrgUnit) -> Any:
    if rel.many_to_many:
        through = rel.through if hasattr(rel, "through") else rel.field.remote_field.through
        return through.objects.filter(**{rel.field.m2m_reverse_field_name(): unit.pk})
    return rel.related_model._default_manager.filter(**{rel.field.name: unit})


def merge_summary(source: OrgUnit) -> list[MergeItem]:
    """What a merge of `source` would carry over, for the confirmation page."""
    items = [MergeItem("下级单位", source.get_children_count())]
    for rel in _relations(source):
        if rel.related_model is OrgUnitAlias:
            continue
        count = _rows_pointing_at(rel, source).count()
        if count:
            items.append(MergeItem(_label(rel), count))
    aliases = 1 + source.aliases.count() + (1 if source.short_name else 0)
    items.append(MergeItem("名称与别名（成为目标单位的别名）", aliases))
    return [i for i in items if i.count]


def merge_conflicts(source: OrgUnit, target: OrgUnit) -> list[str]:
    """Rows of source and target that a unique constraint forbids to coexist after the merge."""
    problems: list[str] = []
    target_children = {normalize_name(c.name) for c in target.get_children()}
    for child in source.get_children():
        if normalize_name(child.name) in target_children:
            problems.append(f"两个单位下都有名为「{child.name}」的下级单位，请先改名或合并这两个下级单位。")
    for rel in _relations(source):
        model, field = rel.related_model, rel.field.name
        if rel.many_to_many or model in (Membership, OrgUnitAlias):
            continue  # duplicates there are resolved by dropping the source's copy
        for fields in _unique_sets(model):
            if field not in fields:
                continue
            others = [f for f in fields if f != field]
            mine = set(model._default_manager.filter(**{field: source}).values_list(*others))
            theirs = set(model._default_manager.filter(**{field: target}).values_list(*others))
            if mine & theirs:
                problems.append(
                    f"「{source.name}」和「{target.name}」都有{model._meta.verbose_name}（共{len(mine & theirs)}条重复），"
                    "同一对象只能保留一份，请先删除或处理其中一份后再合并。"
                )
    return problems


def _unique_sets(model: Any) -> list[tuple[str, ...]]:
    sets = [
        tuple(c.fields)
        for c in model._meta.constraints
        if getattr(c, "fields", None)
        and getattr(c, "condition", None) is None
        and type(c).__name__ == "UniqueConstraint"
    ]
    sets += [tuple(u) for u in model._meta.unique_together]
    sets += [(f.name,) for f in model._meta.concrete_fields if f.unique and not f.primary_key]
    return sets


def _repoint(source: OrgUnit, target: OrgUnit) -> dict[str, int]:
    moved: dict[str, int] = {}
    for rel in _relations(source):
        model, field = rel.related_model, rel.field.name
        if model is OrgUnitAlias:
            continue
        if rel.many_to_many:
            through = rel.through if hasattr(rel, "through") else rel.field.remote_field.through
            owner, other = rel.field.m2m_field_name(), rel.field.m2m_reverse_field_name()
            rows = list(through.objects.filter(**{other: source.pk}))
            for row in rows:
                owner_id = getattr(row, f"{owner}_id")
                if through.objects.filter(**{owner: owner_id, other: target.pk}).exists():
                    row.delete()
                else:
                    through.objects.filter(pk=row.pk).update(**{other: target.pk})
            count = len(rows)
        elif model is Membership and field == "unit":
            memberships = list(Membership.objects.filter(unit=source))
            for m in memberships:
                if Membership.objects.filter(user_id=m.user_id, unit=target, role=m.role).exists():
                    m.delete()
                else:
                    Membership.objects.filter(pk=m.pk).update(unit=target)
            count = len(memberships)
        else:
            count = model._default_manager.filter(**{field: source}).update(**{field: target})
        if count:
            moved[_label(rel)] = moved.get(_label(rel), 0) + count
    return moved


@transaction.atomic
def unit_merge(*, actor: Any, source: OrgUnit, target: OrgUnit) -> OrgUnit:
    """Merge `source` into `target`: its data, people and children go over; its names become aliases."""
    source = OrgUnit.objects.select_for_update().get(pk=source.pk)
    target = OrgUnit.objects.select_for_update().get(pk=target.pk)
    if source.pk == target.pk:
        raise ValidationError({"target": _("不能把单位合并到它自己。")})
    if target.path.startswith(source.path):
        raise ValidationError(
            {
                "target": (
                    _("不能把「%(name)s」合并到它的下级单位「%(name2)s」。")
                    % {"name": source.name, "name2": target.name}
                )
            }
        )
    problems = merge_conflicts(source, target)
    if problems:
        raise ValidationError({"target": problems})
    for child in list(source.get_children()):
        # Paths shift as siblings are inserted in name order: always move freshly loaded nodes.
        OrgUnit.objects.get(pk=child.pk).move(OrgUnit.objects.get(pk=target.pk), pos="last-child")
    source = OrgUnit.objects.get(pk=source.pk)
    target = OrgUnit.objects.get(pk=target.pk)
    names = [source.name, source.short_name, *[a.name for a in source.aliases.all()]]
    moved = _repoint(source, target)
    existing = {a.key for a in target.aliases.all()} | {normalize_name(target.name)}
    added = []
    for alias in filter(None, names):
        if normalize_name(alias) not in existing:
            OrgUnitAlias.objects.create(unit=target, name=alias)
            existing.add(normalize_name(alias))
            added.append(alias)
    OrgUnit.objects.filter(pk=target.pk).update(version=F("version") + 1)
    audit_log(
        actor=actor,
        action="unit.merge",
        obj=target,
        before={"source": source.name, "source_code": source.code, "source_id": source.pk},
        after={"target": target.name, "moved": moved, "aliases_added": added},
    )
    OrgUnit.objects.get(pk=source.pk).delete()
    return OrgUnit.objects.get(pk=target.pk)
