"""Scope helpers shared by the unit pages: who may look (the bureau), who may change (organizers)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _

from ..access import access_unit, can_manage_unit, is_bureau_member, memberships_of
from ..importer import managed_roots
from ..models import SUBTREE_ROLES, OrgUnit, Role


def _outermost(units: list[OrgUnit]) -> list[OrgUnit]:
    roots: list[OrgUnit] = []
    for u in sorted({u.path: u for u in units}.values(), key=lambda u: u.path):
        if not any(u.path.startswith(r.path) for r in roots):
            roots.append(u)
    return roots


def bureau_roots(user: Any) -> list[OrgUnit]:
    """The units whose subtree the user sees as bureau (organizer, co-organizer, reviewer, viewer)."""
    if getattr(user, "is_superuser", False) and user.is_active:
        return list(OrgUnit.get_root_nodes())
    return _outermost([m.unit for m in memberships_of(user) if m.role in SUBTREE_ROLES])


def require_bureau(request: HttpRequest) -> list[OrgUnit]:
    roots = bureau_roots(request.user)
    if not roots:
        raise PermissionDenied(_("只有组织单位可以查看单位与人员。"))
    return roots


def require_organizer(request: HttpRequest) -> list[OrgUnit]:
    require_bureau(request)
    roots = managed_roots(request.user)
    if not roots:
        raise PermissionDenied(_("只有主办（组织）单位可以修改单位与人员，您只能查看。"))
    return roots


def bureau_unit(request: HttpRequest, unit_id: Any, *, manage: bool = False) -> OrgUnit:
    """A unit the user sees as bureau: 404 when out of scope, 403 for a unit's own staff or a viewer."""
    unit = access_unit(request.user, unit_id)
    if not is_bureau_member(request.user, unit):
        raise PermissionDenied(_("单位与人员只有组织单位可以查看。"))
    if manage and not can_manage_unit(request.user, unit):
        raise PermissionDenied(_("您只能查看，不能修改单位与人员。"))
    return unit


def is_own_region(user: Any, unit: OrgUnit) -> bool:
    """The unit holding the user's own organizer role: moving, merging or stopping it would cut their branch."""
    return any(m.unit_id == unit.pk and m.role == Role.ORGANIZER for m in memberships_of(user))


def subtree_q(roots: list[OrgUnit], prefix: str = "") -> Q:
    q = Q(pk__in=[])
    for r in roots:
        q |= Q(**{f"{prefix}path__startswith": r.path})
    return q


def managed_units(user: Any) -> QuerySet[OrgUnit]:
    return OrgUnit.objects.filter(subtree_q(managed_roots(user))).order_by("path")


def crumbs(user: Any, unit: OrgUnit) -> list[OrgUnit]:
    """The unit's ancestors the user may open (a county organizer's trail starts at the county)."""
    return [a for a in unit.get_ancestors() if is_bureau_member(user, a)]
