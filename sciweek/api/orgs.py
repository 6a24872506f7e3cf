from __future__ import annotations

from ninja import Router, Schema

from sciweek.orgs.access import access_unit, visible_units

router = Router(tags=["units"])


class UnitOut(Schema):
    id: int
    code: str
    name: str
    short_name: str
    kind: str
    parent_id: int | None
    depth: int
    aliases: list[str]


def _unit_out(unit, parent_ids: dict[str, int]) -> dict:
    parent_path = unit.path[: -unit.steplen]
    return {
        "id": unit.pk, "code": unit.code, "name": unit.name, "short_name": unit.short_name, "kind": unit.kind,
        "parent_id": parent_ids.get(parent_path), "depth": unit.depth,
        "aliases": [a.name for a in unit.aliases.all()],
    }


@router.get("/", response=list[UnitOut])
def list_units(request):
    """Every unit the caller may see, in tree order."""
    units = list(visible_units(request.auth).order_by("path").prefetch_related("aliases"))
    from sciweek.orgs.models import OrgUnit

    parent_paths = {u.path[: -u.steplen] for u in units if u.depth > 1}
    parent_ids = dict(OrgUnit.objects.filter(path__in=parent_paths).values_list("path", "pk"))
    return [_unit_out(u, parent_ids) for u in units]


@router.get("/{unit_id}", response=UnitOut)
def get_unit(request, unit_id: int):
    unit = access_unit(request.auth, unit_id)
    parent = unit.get_parent()
    return _unit_out(unit, {parent.path: parent.pk} if parent else {})
