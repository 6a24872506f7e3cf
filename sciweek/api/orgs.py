"""The unit tree: list, detail, create a child, update (with version), move; a unit's contact staff.

Scope as on the pages (orgs/access.py): units outside the caller's view answer 404; changing a unit
needs an organizer over it (403 otherwise). Staff phone numbers are masked unless the caller manages
the unit.
"""

from __future__ import annotations

from typing import Annotated

from django.db import transaction
from ninja import Field, Router, Schema, Status
from pydantic import StringConstraints

from sciweek.core.masking import mask_phone
from sciweek.orgs import services
from sciweek.orgs.access import access_unit, can_manage_unit, visible_units
from sciweek.orgs.models import OrgUnit

from .common import ERRORS, WRITE_ERRORS, InSchema, absent

router = Router(tags=["units"])
Alias = Annotated[str, StringConstraints(max_length=100)]


class UnitOut(Schema):
    id: int
    code: str
    name: str
    short_name: str
    kind: str
    kind_label: str
    parent_id: int | None
    depth: int
    aliases: list[str]
    is_active: bool
    is_sample: bool
    version: int
    can_manage: bool


class UnitCreate(InSchema):
    name: str = Field(..., max_length=100)
    kind: str = Field(..., max_length=16, description="town / devzone / department / association / media / …")
    code: str = Field("", max_length=32, description="留空则自动编号")
    short_name: str = Field("", max_length=50)
    aliases: list[Alias] = Field(default_factory=list, max_length=50)
    is_sample: bool = False


class UnitPatch(InSchema):
    version: int = Field(..., ge=1, le=2_147_483_647)
    name: str = absent(max_length=100)
    kind: str = absent(max_length=16)
    short_name: str = absent(max_length=50)
    aliases: list[Alias] = absent(max_length=50)
    is_active: bool = absent()


class MoveIn(InSchema):
    parent_id: int = Field(..., ge=1)
    version: int | None = Field(
        None, ge=1, le=2_147_483_647, description="the unit's version you read (409 if stale)"
    )


class StaffOut(Schema):
    id: int
    name: str
    position: str
    mobile: str
    mobile_masked: bool
    email: str
    is_primary: bool
    version: int


def unit_out(unit: OrgUnit, user, parent_ids: dict[str, int] | None = None) -> dict:
    if parent_ids is None:
        parent = unit.get_parent()
        parent_ids = {parent.path: parent.pk} if parent else {}
    return {
        "id": unit.pk,
        "code": unit.code,
        "name": unit.name,
        "short_name": unit.short_name,
        "kind": unit.kind,
        "kind_label": str(unit.get_kind_display()),
        "parent_id": parent_ids.get(unit.path[: -unit.steplen]),
        "depth": unit.depth,
        "aliases": [a.name for a in unit.aliases.all()],
        "is_active": unit.is_active,
        "is_sample": unit.is_sample,
        "version": unit.version,
        "can_manage": can_manage_unit(user, unit),
    }


@router.get("/", response=list[UnitOut])
def list_units(request):
    """Every unit the caller may see, in tree order (a unit user sees only its own unit)."""
    user = request.auth
    units = list(visible_units(user).order_by("path").prefetch_related("aliases"))
    parent_paths = {u.path[: -u.steplen] for u in units if u.depth > 1}
    parent_ids = dict(OrgUnit.objects.filter(path__in=parent_paths).values_list("path", "pk"))
    return [unit_out(u, user, parent_ids) for u in units]


@router.get("/{int:unit_id}", response={200: UnitOut, **ERRORS})
def get_unit(request, unit_id: int):
    return unit_out(access_unit(request.auth, unit_id), request.auth)


@router.post("/{int:unit_id}/children", response={201: UnitOut, **WRITE_ERRORS})
def create_child(request, unit_id: int, payload: UnitCreate):
    """Add a unit below `unit_id` (organizers of that unit only)."""
    user = request.auth
    parent = access_unit(user, unit_id, manage=True)
    unit = services.unit_create(
        actor=user,
        parent=parent,
        name=payload.name,
        kind=payload.kind,
        code=payload.code,
        short_name=payload.short_name,
        aliases=payload.aliases,
        is_sample=payload.is_sample,
    )
    return Status(201, unit_out(OrgUnit.objects.get(pk=unit.pk), user))


@router.patch("/{int:unit_id}", response={200: UnitOut, **WRITE_ERRORS})
def update_unit(request, unit_id: int, payload: UnitPatch):
    """Rename, change kind / short name / aliases, (de)activate. A stale `version` answers 409.

    Deactivating follows orgs/services.unit_set_active (not while sub-units are still active); the whole
    change is one transaction, so a refused deactivation leaves the rename unsaved too."""
    user = request.auth
    unit = access_unit(user, unit_id, manage=True)
    data = payload.dict(exclude_unset=True)
    with transaction.atomic():
        unit = services.unit_update(
            actor=user,
            unit=unit,
            version=data["version"],
            name=data.get("name", unit.name),
            kind=data.get("kind", unit.kind),
            short_name=data.get("short_name", unit.short_name),
            aliases=data.get("aliases"),
        )
        if data.get("is_active") is not None and data["is_active"] != unit.is_active:
            unit = services.unit_set_active(actor=user, unit=unit, active=data["is_active"])
    return unit_out(unit, user)


@router.post("/{int:unit_id}/move", response={200: UnitOut, **WRITE_ERRORS})
def move_unit(request, unit_id: int, payload: MoveIn):
    """Move a unit (with everything below it) under another unit; the caller must manage both."""
    user = request.auth
    unit = access_unit(user, unit_id, manage=True)
    new_parent = access_unit(user, payload.parent_id, manage=True)
    unit = services.unit_move(actor=user, unit=unit, new_parent=new_parent, version=payload.version)
    return unit_out(unit, user)


@router.get("/{int:unit_id}/staff", response={200: list[StaffOut], **ERRORS})
def list_staff(request, unit_id: int):
    """A unit's contact staff. Mobile numbers are masked (138****5678) unless the caller manages the unit."""
    user = request.auth
    unit = access_unit(user, unit_id)
    full = can_manage_unit(user, unit)
    return [
        {
            "id": s.pk,
            "name": s.name,
            "position": s.position,
            "mobile": s.mobile if full else mask_phone(s.mobile),
            "mobile_masked": not full,
            "email": s.email,
            "is_primary": s.is_primary,
            "version": s.version,
        }
        for s in unit.staff.all()
    ]
