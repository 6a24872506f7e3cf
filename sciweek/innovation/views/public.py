"""The public list of technology demands the bureau published (需求发布): never a 涉密 one, never the
enterprise's contacts; interested experts and institutes contact the bureau."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from ..models import Demand


@require_safe
def published(request: HttpRequest) -> HttpResponse:
    qs = (
        Demand.objects.filter(is_published=True, is_secret=False)
        .exclude(status__in=["collected", "reviewed", "closed"])
        .select_related("unit")
        .order_by("-updated_at", "-id")
    )
    return render(
        request, "innovation/published.html", {"page": Paginator(qs, 20).get_page(request.GET.get("page"))}
    )
