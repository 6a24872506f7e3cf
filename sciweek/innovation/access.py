"""Who sees and changes what (orgs.access underneath): a town's own records, the bureau over them.

- see an enterprise and its records: anyone whose scope reaches its town (unit_scope_q);
- write them: the town's reporter / head, or an organizer over the town;
- the expert registry, reviews, status changes past 审核, confirming matches: organizers over the region;
- a commissioner (an expert with a login) records their own service logs.
Out of scope → 404, in scope but not allowed → 403.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext as _

from sciweek.orgs.access import can_manage_unit, can_view_unit, memberships_of, reporting_units, unit_scope_q
from sciweek.orgs.models import OrgUnit, Role

from .models import Demand, Enterprise, Expert, ProjectApplication, ServiceLog, Visit


def records_q(user: Any) -> Q:
    """Rows with a `unit` the user may see."""
    return unit_scope_q(user, prefix="unit__")


def can_write_for(user: Any, unit: OrgUnit) -> bool:
    return can_manage_unit(user, unit) or any(u.pk == unit.pk for u in reporting_units(user))


def bureau_regions(user: Any) -> list[OrgUnit]:
    """Units (county or above) over which the user is an organizer: they keep the expert registry."""
    return [m.unit for m in memberships_of(user) if m.role == Role.ORGANIZER and m.unit.is_area]


def is_bureau(user: Any, unit: OrgUnit) -> bool:
    return can_manage_unit(user, unit)


def commissioner_of(user: Any) -> Expert | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return (
        Expert.objects.filter(user=user, is_active=True, is_commissioner=True)
        .select_related("region")
        .first()
    )


def _get(model: Any, user: Any, pk: Any, what: str) -> Any:
    try:
        obj = model.objects.select_related("unit").get(pk=int(pk))
    except (model.DoesNotExist, TypeError, ValueError, OverflowError):
        raise Http404(_("%(what)s不存在") % {"what": what})
    if not can_view_unit(user, obj.unit):
        raise Http404(_("%(what)s不存在") % {"what": what})
    return obj


def access_enterprise(user: Any, pk: Any, *, write: bool = False) -> Enterprise:
    obj = _get(Enterprise, user, pk, _("企业"))
    if write and not can_write_for(user, obj.unit):
        raise PermissionDenied(_("您无权修改该企业"))
    return obj


def access_demand(user: Any, pk: Any, *, write: bool = False, matched: bool = False) -> Demand:
    """With ``matched`` (the demand's own page, read only), also an expert with a login whom the bureau
    matched to it: match_confirm sends them a link to the demand and asks them to get in touch."""
    try:
        obj = _get(Demand, user, pk, _("技术需求"))
    except Http404:
        if not matched or write or not getattr(user, "is_authenticated", False):
            raise
        obj = Demand.objects.select_related("unit").filter(pk=int(pk), matches__expert__user=user).first()
        if obj is None:
            raise
        return obj
    if write and not can_write_for(user, obj.unit):
        raise PermissionDenied(_("您无权修改该技术需求"))
    return obj


def access_visit(user: Any, pk: Any, *, write: bool = False) -> Visit:
    obj = _get(Visit, user, pk, _("走访记录"))
    if write and not can_write_for(user, obj.unit):
        raise PermissionDenied(_("您无权修改该走访记录"))
    return obj


def access_application(user: Any, pk: Any, *, write: bool = False) -> ProjectApplication:
    obj = _get(ProjectApplication, user, pk, _("项目申报记录"))
    if write and not can_write_for(user, obj.unit):
        raise PermissionDenied(_("您无权修改该项目申报记录"))
    return obj


def access_log(user: Any, pk: Any, *, write: bool = False) -> ServiceLog:
    try:
        obj = ServiceLog.objects.select_related("unit", "expert").get(pk=int(pk))
    except (ServiceLog.DoesNotExist, TypeError, ValueError, OverflowError):
        raise Http404(_("服务日志不存在"))
    own = obj.expert.user_id is not None and obj.expert.user_id == getattr(user, "pk", None)
    if not own and not can_view_unit(user, obj.unit):
        raise Http404(_("服务日志不存在"))
    if write and not (own or can_manage_unit(user, obj.unit)):
        raise PermissionDenied(_("只有特派员本人或主办单位可以修改服务日志"))
    return obj


def access_expert(user: Any, pk: Any, *, manage: bool = False) -> Expert:
    try:
        obj = Expert.objects.select_related("region").get(pk=int(pk))
    except (Expert.DoesNotExist, TypeError, ValueError, OverflowError):
        raise Http404(_("专家不存在"))
    if not (can_view_unit(user, obj.region) or obj.user_id == getattr(user, "pk", None)):
        raise Http404(_("专家不存在"))
    if manage and not can_manage_unit(user, obj.region):
        raise PermissionDenied(_("只有主办单位可以修改专家库"))
    return obj


def region_for(user: Any, region_id: Any = None) -> OrgUnit:
    """The region whose registry the bureau user works on (their first, or the one asked for)."""
    regions = bureau_regions(user)
    if region_id:
        found = [r for r in regions if str(r.pk) == str(region_id)]
        if not found:
            raise Http404(_("地区不存在"))
        return found[0]
    if not regions:
        raise PermissionDenied(_("只有主办单位（科技局）可以管理专家库"))
    return regions[0]


def can_view_region(user: Any, region: OrgUnit) -> bool:
    return can_view_unit(user, region)
