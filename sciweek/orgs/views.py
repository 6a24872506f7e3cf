from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .access import memberships_of, visible_units
from .models import SUBTREE_ROLES


@login_required
def tree(request: HttpRequest) -> HttpResponse:
    if not request.user.is_superuser and not any(m.role in SUBTREE_ROLES for m in memberships_of(request.user)):
        raise PermissionDenied("只有组织单位可以管理单位")
    units = list(visible_units(request.user).order_by("path").prefetch_related("aliases"))
    return render(request, "orgs/tree.html", {"units": units})
