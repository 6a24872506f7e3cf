"""Scope checks used by every page and API call.

A membership with a subtree role (organizer, co-organizer, reviewer, viewer) reaches the unit and
everything below it; a unit role (reporter, unit head) reaches that unit only. Out-of-scope ids
answer 404 (no hint that the object exists); in-scope but not allowed answers 403.
"""

from __future__ import annotations

from functools import reduce
from operator import or_
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from sciweek.core.cache import cached_access_fragment
from sciweek.core.statements import select_all

from .models import SUBTREE_ROLES, UNIT_ROLES, Membership, OrgUnit, Role

MANAGE_ROLES = {Role.ORGANIZER}


def memberships_of(user: Any) -> list[Membership]:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    found = getattr(user, "_sciweek_memberships", None)
    if found is None:
        # Kept across writes elsewhere (a report save): only a write to units, memberships or users
        # makes it stale (core/cache.py).
        found = cached_access_fragment(
            "memberships",
            user.pk,
            # A statement built once: at a deadline most requests come from a user not seen before.
            build=lambda: select_all(Membership, user.pk, by="user", related=("unit", "acting_for")),
        )
        user._sciweek_memberships = found
    return found


def unit_scope_q(user: Any, *, prefix: str = "", roles: set[str] | None = None) -> Q:
    """Q matching the org units `user` may see (prefix for lookups through a relation, e.g. 'unit__')."""
    if getattr(user, "is_superuser", False) and user.is_active:
        return Q()
    parts = []
    for m in memberships_of(user):
        if roles is not None and m.role not in roles:
            continue
        if m.role in SUBTREE_ROLES:
            parts.append(Q(**{f"{prefix}path__startswith": m.unit.path}))
        elif m.role in UNIT_ROLES or m.role == Role.JUDGE:
            parts.append(Q(**{f"{prefix}pk": m.unit.pk}))
    if not parts:
        return Q(pk__in=[])
    return reduce(or_, parts)


def visible_units(user: Any) -> QuerySet[OrgUnit]:
    return OrgUnit.objects.filter(unit_scope_q(user))


def can_view_unit(user: Any, unit: OrgUnit) -> bool:
    if getattr(user, "is_superuser", False) and user.is_active:
        return True
    for m in memberships_of(user):
        if m.role in SUBTREE_ROLES and unit.path.startswith(m.unit.path):
            return True
        if m.unit_id == unit.pk:
            return True
    return False


def can_manage_unit(user: Any, unit: OrgUnit) -> bool:
    """Organizers manage their subtree (the tree, people, campaigns run there)."""
    if getattr(user, "is_superuser", False) and user.is_active:
        return True
    return any(m.role in MANAGE_ROLES and unit.path.startswith(m.unit.path) for m in memberships_of(user))


def acting_units(user: Any, within: OrgUnit) -> set[int]:
    """Units a co-organizer acts for inside `within` (to edit what those units lead)."""
    return {
        m.acting_for_id
        for m in memberships_of(user)
        if m.role == Role.CO_ORGANIZER and m.acting_for_id and within.path.startswith(m.unit.path)
    }


def is_bureau_member(user: Any, unit: OrgUnit) -> bool:
    """Organizer, co-organizer, reviewer or viewer over `unit`."""
    if getattr(user, "is_superuser", False) and user.is_active:
        return True
    return any(m.role in SUBTREE_ROLES and unit.path.startswith(m.unit.path) for m in memberships_of(user))


def audit_roots(user: Any) -> list[OrgUnit]:
    """The units whose subtree's audit log the user reads: organizers and reviewers (not viewers)."""
    return [m.unit for m in memberships_of(user) if m.role in (Role.ORGANIZER, Role.REVIEWER)]


def can_read_audit(user: Any) -> bool:
    return bool(audit_roots(user)) or bool(getattr(user, "is_superuser", False) and user.is_active)


def reporting_units(user: Any) -> list[OrgUnit]:
    """Units for which the user fills things in (reporter / unit head)."""
    return [m.unit for m in memberships_of(user) if m.role in UNIT_ROLES]


def access_unit(user: Any, unit_id: Any, *, manage: bool = False) -> OrgUnit:
    try:
        unit = OrgUnit.objects.get(pk=int(unit_id))
    except (OrgUnit.DoesNotExist, TypeError, ValueError):
        raise Http404(_("单位不存在"))
    if not can_view_unit(user, unit):
        raise Http404(_("单位不存在"))
    if manage and not can_manage_unit(user, unit):
        raise PermissionDenied(_("您无权管理该单位"))
    return unit
