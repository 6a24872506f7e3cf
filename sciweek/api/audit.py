"""The audit log for scripts: organizers query the log of the regions they organize, newest first."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils.translation import gettext as _
from ninja import Router, Schema

from sciweek.core.models import AuditEvent
from sciweek.orgs.access import MANAGE_ROLES, memberships_of

from .common import ERRORS, local

router = Router(tags=["audit"])


class AuditEventOut(Schema):
    id: int
    at: dt.datetime
    actor: str
    action: str
    object_type: str
    object_id: str
    object_repr: str
    note: str


@router.get("/audit", response={200: list[AuditEventOut], **ERRORS})
def audit_query(
    request,
    action: str = "",
    object_type: str = "",
    since: dt.date | None = None,
    until: dt.date | None = None,
    limit: int = 100,
):
    """The audit log of the regions the caller organizes (organizers only), newest first."""
    paths = [m.unit.path for m in memberships_of(request.user) if m.role in MANAGE_ROLES]
    if not paths and not request.user.is_superuser:
        raise PermissionDenied(_("只有组织单位可以查询操作日志"))
    qs = AuditEvent.objects.all()
    if not request.user.is_superuser:
        q = Q(pk__in=[])
        for p in paths:
            q |= Q(unit_path__startswith=p)
        qs = qs.filter(q)
    if action:
        qs = qs.filter(action__startswith=action[:64])
    if object_type:
        qs = qs.filter(object_type=object_type[:100])
    if since:
        qs = qs.filter(at__date__gte=since)
    if until:
        qs = qs.filter(at__date__lte=until)
    rows = qs.order_by("-at", "-id")[: max(1, min(limit, 500))]
    return [
        {
            "id": e.pk,
            "at": local(e.at),
            "actor": e.actor_name,
            "action": e.action,
            "object_type": e.object_type,
            "object_id": e.object_id,
            "object_repr": e.object_repr,
            "note": e.note,
        }
        for e in rows
    ]
