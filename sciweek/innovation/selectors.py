"""Reads the pages and API share: units a user may record for, scoped lists with filters."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from sciweek.orgs.access import memberships_of, reporting_units
from sciweek.orgs.models import OrgUnit, Role, UnitKind

from .access import records_q
from .models import Demand, Enterprise

TOWN_KINDS = (UnitKind.TOWN, UnitKind.DEVZONE)


def writable_units(user: Any) -> list[OrgUnit]:
    """Towns and development zones the user records enterprises for (their own, or all below the bureau)."""
    if getattr(user, "is_superuser", False):
        return list(OrgUnit.objects.filter(kind__in=TOWN_KINDS).order_by("path"))
    q = Q(pk__in=[u.pk for u in reporting_units(user)])
    for m in memberships_of(user):
        if m.role == Role.ORGANIZER:
            q |= Q(path__startswith=m.unit.path)
    return list(OrgUnit.objects.filter(q, kind__in=TOWN_KINDS).order_by("path"))


def towns_of(region: OrgUnit) -> list[OrgUnit]:
    return list(OrgUnit.objects.filter(path__startswith=region.path, kind__in=TOWN_KINDS).order_by("path"))


def enterprises_for(user: Any, *, q: str = "", unit_id: Any = None) -> QuerySet[Enterprise]:
    qs = Enterprise.objects.filter(records_q(user)).select_related("unit")
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(credit_code__icontains=q.upper()))
    if unit_id and str(unit_id).isdigit():
        qs = qs.filter(unit_id=int(unit_id))
    return qs.order_by("unit__path", "name")


def demands_for(user: Any, *, status: str = "", field: str = "", unit_id: Any = None) -> QuerySet[Demand]:
    qs = Demand.objects.filter(records_q(user)).select_related("enterprise", "unit")
    if status:
        qs = qs.filter(status=status)
    if field:
        qs = qs.filter(field=field)
    if unit_id and str(unit_id).isdigit():
        qs = qs.filter(unit_id=int(unit_id))
    return qs.order_by("-updated_at", "-id")
