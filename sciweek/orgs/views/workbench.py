"""Where each person lands, their notifications and the organizer's audit log: pages over core's models
that need to know whose units a user belongs to (hence here, not in core).

Mounted by sciweek/urls.py in the "core" namespace beside the job pages, under the same names as before.
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from sciweek.core.cache import bump_generation
from sciweek.core.models import AuditEvent, Notification
from sciweek.core.users import signed_in

from ..access import audit_roots, memberships_of, reporting_units
from ..landings import landings_for
from ..models import SUBTREE_ROLES


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Send each person where their work is: the bureau to its dashboard, a unit to its page, anyone else
    to the one place a domain registered for them (orgs/landings.py); several places or none: a list."""
    ms = memberships_of(request.user)
    if request.user.is_superuser or any(m.role in SUBTREE_ROLES for m in ms):
        return redirect("campaigns:manage_home")
    if reporting_units(request.user):
        return redirect("campaigns:my_unit")
    places = landings_for(request.user)
    if len(places) == 1:
        return redirect(places[0].url)
    return render(request, "core/no_role.html", {"places": places})


@login_required
def notifications(request: HttpRequest) -> HttpResponse:
    unit_ids = [m.unit_id for m in memberships_of(request.user)]
    user = signed_in(request)
    qs = Notification.objects.filter(Q(user=user) | Q(unit_id__in=unit_ids, user__isnull=True))
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    unread = list(qs.exclude(read_by=user).values_list("pk", flat=True)[:200])
    for n in Notification.objects.filter(pk__in=unread):
        n.read_by.add(user)
    if unread:
        bump_generation()
    return render(request, "core/notifications.html", {"page": page, "unread": set(unread)})


@login_required
def audit_list(request: HttpRequest) -> HttpResponse:
    """The organizer browses the audit log of their subtree, filtered by who, what and when."""
    roots = audit_roots(request.user)
    if not roots and not request.user.is_superuser:
        raise PermissionDenied(_("只有组织单位可以查看操作日志"))
    qs = AuditEvent.objects.all()
    if not request.user.is_superuser:
        scope = Q()
        for unit in roots:
            scope |= Q(unit_path__startswith=unit.path)
        qs = qs.filter(scope)
    f = {k: (request.GET.get(k) or "").strip() for k in ("actor", "action", "object", "date_from", "date_to")}
    if f["actor"]:
        qs = qs.filter(actor_name__icontains=f["actor"])
    if f["action"]:
        qs = qs.filter(action__startswith=f["action"])
    if f["object"]:
        qs = qs.filter(Q(object_repr__icontains=f["object"]) | Q(object_type__icontains=f["object"]))
    # Whole local days as a range on `at` (the (at, id) index serves it; at__date would not).
    for key, lookup, days, label in (
        ("date_from", "at__gte", 0, "起始日期"),
        ("date_to", "at__lt", 1, "截止日期"),
    ):
        if f[key]:
            try:
                day = dt.date.fromisoformat(f[key]) + dt.timedelta(days=days)
            except (ValueError, OverflowError):  # 2023-02-30 or free text: say so instead of failing
                messages.warning(
                    request,
                    (_("%(label)s「%(date)s」不是有效日期，已忽略。") % {"label": label, "date": f[key]}),
                )
            else:
                qs = qs.filter(**{lookup: timezone.make_aware(dt.datetime.combine(day, dt.time()))})
    page = Paginator(qs.select_related("actor"), 50).get_page(request.GET.get("page"))
    return render(request, "core/audit_list.html", {"page": page, "f": f, "actions": audit_action_prefixes()})


def audit_action_prefixes() -> list[str]:
    """The kinds of action in the whole log ("report", "unit", …) for the filter's list. Reading them
    scans the log, so the list is kept ten minutes: a kind first written meanwhile shows up after that."""

    def build() -> list[str]:
        actions = AuditEvent.objects.order_by().values_list("action", flat=True).distinct()
        return sorted({a.split(".")[0] for a in actions})

    return cache.get_or_set("sciweek:audit-action-prefixes", build, 600) or []
