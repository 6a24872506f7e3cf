"""Writes to the unit tree and its people. Keyword-only, audited, transactional."""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext

from sciweek.core.audit import audit_log, snapshot
from sciweek.core.errors import check_version

from .merge import unit_merge  # noqa: F401  (re-exported: the service layer's public name)
from .models import OrgUnit, OrgUnitAlias, StaffContact, UnitKind, normalize_name
from .validators import check_mobile

CODE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,31}$")


def _next_code(parent: OrgUnit | None) -> str:
    base = parent.code if parent else "U"
    n = (parent.get_children_count() if parent else OrgUnit.get_root_nodes().count()) + 1
    while OrgUnit.objects.filter(code=f"{base}-{n:03d}").exists():
        n += 1
    return f"{base}-{n:03d}"[:32]


def check_unit_name(*, parent: OrgUnit | None, name: str, exclude: OrgUnit | None = None) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError({"name": gettext("请填写单位名称。")})
    if len(name) > 100:
        raise ValidationError({"name": gettext("单位名称不能超过100个字。")})
    siblings = parent.get_children() if parent else OrgUnit.get_root_nodes()
    key = normalize_name(name)
    for pk, sibling_name in siblings.values_list("pk", "name"):
        if exclude is not None and pk == exclude.pk:
            continue
        if normalize_name(sibling_name) == key:
            raise ValidationError(
                {
                    "name": (
                        gettext("「%(value)s」下已有同名单位「%(sibling_name)s」。")
                        % {"value": parent or gettext("顶级"), "sibling_name": sibling_name}
                    )
                }
            )
    return name


def check_unit_code(code: str, *, exclude: OrgUnit | None = None) -> str:
    code = (code or "").strip()
    if not CODE_RE.match(code):
        raise ValidationError(
            {
                "code": (
                    gettext("单位代码「%(code)s」格式不正确：只能用字母、数字、-、_ 和 .，不超过32位。")
                    % {"code": code}
                )
            }
        )
    clash = OrgUnit.objects.filter(code__iexact=code).exclude(pk=exclude.pk if exclude else None).first()
    if clash is not None:
        raise ValidationError(
            {
                "code": (
                    gettext("单位代码「%(code)s」已被「%(name)s」使用。") % {"code": code, "name": clash.name}
                )
            }
        )
    return code


def check_short_name_and_aliases(short_name: str, aliases: list[str]) -> tuple[str, list[str]]:
    short_name = (short_name or "").strip()
    if len(short_name) > 50:
        raise ValidationError({"short_name": gettext("简称不能超过50个字。")})
    cleaned = [a.strip() for a in aliases if a and a.strip()]
    for alias in cleaned:
        if len(alias) > 100:
            raise ValidationError(
                {"aliases": (gettext("别名「%(alias)s…」不能超过100个字。") % {"alias": alias[:20]})}
            )
    return short_name, cleaned


def _aliases_of(unit: OrgUnit) -> list[str]:
    return sorted(a.name for a in unit.aliases.all())


def _set_aliases(unit: OrgUnit, aliases: list[str]) -> None:
    wanted = {normalize_name(a): a.strip() for a in aliases if a and a.strip()}
    unit.aliases.exclude(key__in=wanted).delete()
    existing = set(unit.aliases.values_list("key", flat=True))
    for key, name in wanted.items():
        if key not in existing:
            OrgUnitAlias.objects.create(unit=unit, name=name)


def unit_add_aliases(*, actor: Any, unit: OrgUnit, aliases: list[str]) -> list[str]:
    """Add names the unit also goes by (never removes any); returns those actually added."""
    _, aliases = check_short_name_and_aliases("", aliases)
    existing = {a.key for a in unit.aliases.all()} | {
        normalize_name(unit.name),
        normalize_name(unit.short_name),
    }
    added = []
    for alias in aliases:
        if normalize_name(alias) not in existing:
            OrgUnitAlias.objects.create(unit=unit, name=alias)
            existing.add(normalize_name(alias))
            added.append(alias)
    if added:
        audit_log(actor=actor, action="unit.alias_add", obj=unit, after={"aliases_added": added})
    return added


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
    # Lock the parent: two people adding the same name at once must not both pass the name check, and
    # treebeard rewrites sibling paths on a sorted insert. Freshly loaded, as those paths may have moved.
    parent = OrgUnit.objects.select_for_update().get(pk=parent.pk) if parent is not None else None
    name = check_unit_name(parent=parent, name=name)
    if kind not in UnitKind.values:
        raise ValidationError({"kind": (gettext("未知的单位类型「%(kind)s」。") % {"kind": kind})})
    short_name, aliases = check_short_name_and_aliases(short_name, aliases or [])
    code = check_unit_code(code) if (code or "").strip() else _next_code(parent)
    fields = dict(name=name, kind=kind, code=code, short_name=short_name, is_sample=is_sample)
    unit = parent.add_child(**fields) if parent else OrgUnit.add_root(**fields)
    if aliases:
        _set_aliases(unit, aliases)
    audit_log(actor=actor, action="unit.create", obj=unit, after=snapshot(unit) | {"aliases": aliases})
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
    is_active: bool | None = None,
) -> OrgUnit:
    unit = OrgUnit.objects.select_for_update().get(pk=unit.pk)
    check_version(unit, version, gettext("单位「%(name)s」") % {"name": unit.name})
    before = snapshot(unit) | {"aliases": _aliases_of(unit)}
    new_name = check_unit_name(parent=unit.get_parent(), name=name, exclude=unit)
    if kind not in UnitKind.values:
        raise ValidationError({"kind": (gettext("未知的单位类型「%(kind)s」。") % {"kind": kind})})
    short_name, cleaned = check_short_name_and_aliases(short_name, aliases or [])
    OrgUnit.objects.filter(pk=unit.pk).update(
        name=new_name,
        kind=kind,
        short_name=short_name,
        version=F("version") + 1,
        is_active=unit.is_active if is_active is None else is_active,
    )
    unit = OrgUnit.objects.get(pk=unit.pk)
    if aliases is not None:
        _set_aliases(unit, cleaned)
    after = snapshot(unit) | {"aliases": _aliases_of(unit)}
    audit_log(actor=actor, action="unit.update", obj=unit, before=before, after=after)
    return unit


@transaction.atomic
def unit_set_active(*, actor: Any, unit: OrgUnit, active: bool, version: int | None = None) -> OrgUnit:
    """Deactivate (or reactivate) a unit: it drops out of campaigns' participant lists, its data stays."""
    unit = OrgUnit.objects.select_for_update().get(pk=unit.pk)
    check_version(unit, version, gettext("单位「%(name)s」") % {"name": unit.name})
    if (
        not active
        and OrgUnit.objects.filter(path__startswith=unit.path, is_active=True).exclude(pk=unit.pk).exists()
    ):
        raise ValidationError(
            {
                "is_active": (
                    gettext("「%(name)s」下还有启用的下级单位，请先停用或移走它们。") % {"name": unit.name}
                )
            }
        )
    if unit.is_active == active:
        return unit
    OrgUnit.objects.filter(pk=unit.pk).update(is_active=active, version=F("version") + 1)
    unit = OrgUnit.objects.get(pk=unit.pk)
    audit_log(
        actor=actor,
        action="unit.activate" if active else "unit.deactivate",
        obj=unit,
        before={"is_active": not active},
        after={"is_active": active},
    )
    return unit


@transaction.atomic
def unit_move(*, actor: Any, unit: OrgUnit, new_parent: OrgUnit, version: int | None = None) -> OrgUnit:
    unit = OrgUnit.objects.select_for_update().get(pk=unit.pk)
    check_version(unit, version, gettext("单位「%(name)s」") % {"name": unit.name})
    new_parent = OrgUnit.objects.select_for_update().get(pk=new_parent.pk)
    if new_parent.pk == unit.pk or new_parent.path.startswith(unit.path):
        raise ValidationError(
            {
                "parent": (
                    gettext("不能把「%(name)s」移到它自己或它的下级单位「%(name2)s」之下。")
                    % {"name": unit.name, "name2": new_parent.name}
                )
            }
        )
    old_parent = unit.get_parent()
    if old_parent is not None and old_parent.pk == new_parent.pk:
        raise ValidationError(
            {
                "parent": (
                    gettext("「%(name)s」已经在「%(name2)s」之下。")
                    % {"name": unit.name, "name2": new_parent.name}
                )
            }
        )
    check_unit_name(parent=new_parent, name=unit.name, exclude=unit)
    unit.move(new_parent, pos="last-child")
    OrgUnit.objects.filter(pk=unit.pk).update(version=F("version") + 1)
    unit = OrgUnit.objects.get(pk=unit.pk)
    audit_log(
        actor=actor,
        action="unit.move",
        obj=unit,
        before={"parent": str(old_parent or "")},
        after={"parent": new_parent.name},
    )
    return unit


def check_staff(*, name: str, mobile: str, position: str = "", email: str = "") -> dict[str, str]:
    """Clean a contact's fields, or raise a ValidationError naming the field."""
    name, position, email = " ".join((name or "").split()), (position or "").strip(), (email or "").strip()
    if not name:
        raise ValidationError({"name": gettext("请填写联系人姓名。")})
    if len(name) > 50:
        raise ValidationError({"name": gettext("姓名不能超过50个字。")})
    if len(position) > 50:
        raise ValidationError({"position": gettext("职务不能超过50个字。")})
    mobile = check_mobile(mobile, field="mobile")
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise ValidationError(
                {"email": (gettext("电子邮箱「%(email)s」格式不正确。") % {"email": email})}
            ) from None
    return {"name": name, "mobile": mobile, "position": position, "email": email}


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
    fields = check_staff(name=name, mobile=mobile, position=position, email=email)
    if staff is None:
        staff = StaffContact(unit=unit)
        before = None
    else:
        found = StaffContact.objects.select_for_update().filter(pk=staff.pk, unit=unit).first()
        if found is None:
            raise ValidationError(gettext("该联系人已被其他人删除，请刷新页面。"))
        staff = found
        check_version(staff, version, gettext("联系人「%(name)s」") % {"name": staff.name})
        before = snapshot(staff)
        staff.version += 1
    for field, value in fields.items():
        setattr(staff, field, value)
    staff.is_primary = is_primary
    staff.save()
    if is_primary:  # one primary contact per unit: the one printed on display boards
        StaffContact.objects.filter(unit=unit, is_primary=True).exclude(pk=staff.pk).update(is_primary=False)
    audit_log(actor=actor, action="staff.save", obj=staff, before=before, after=snapshot(staff))
    return staff


@transaction.atomic
def staff_delete(*, actor: Any, staff: StaffContact, version: int | None = None) -> None:
    found = StaffContact.objects.select_for_update().filter(pk=staff.pk).first()
    if found is None:
        return  # already gone: deleting twice is not an error
    check_version(found, version, gettext("联系人「%(name)s」") % {"name": found.name})
    audit_log(actor=actor, action="staff.delete", obj=found, before=snapshot(found))
    found.delete()
