"""The context every page gets: the site's name, demo mode, the unread notification count, the links to
the domains' work areas the user has work in (worklinks.py)."""

from django.conf import settings
from django.db.models import Q
from django.http import HttpRequest

from sciweek.core.cache import cached_fragment
from sciweek.core.models import Notification

from .access import memberships_of
from .worklinks import work_links


def site(request: HttpRequest) -> dict[str, object]:
    data: dict[str, object] = {"SITE_NAME": "科技活动周管理平台", "DEMO_MODE": settings.DEMO_MODE}
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        unit_ids = [m.unit_id for m in memberships_of(user)]
        data["unread_count"] = cached_fragment(
            "unread",
            user.pk,
            build=lambda: (
                Notification.objects.filter(Q(user=user) | Q(unit_id__in=unit_ids, user__isnull=True))
                .exclude(read_by=user)
                .count()
            ),
        )
        data["work_links"] = work_links(user)
    return data
