"""Where a judge and a school land after login (registered with orgs.landings): a judge has no unit
role, and a school that does not report in the week has none of the pages the workbench knows."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from sciweek.judging.models import Judge
from sciweek.orgs.access import memberships_of
from sciweek.orgs.landings import register_landing
from sciweek.orgs.models import UNIT_ROLES, UnitKind

from .models import Contest
from .setup import OWNER


@register_landing("contest-judge", order=10)
def judge_pages(user: Any) -> list[tuple[str, str]]:
    ids = Judge.objects.filter(owner_kind=OWNER, user=user, active=True).values_list("owner_id", flat=True)
    contests = Contest.objects.filter(pk__in=list(ids)).order_by("-year", "id")
    return [
        (reverse("contests:judge", args=[c.pk]), _("评审：%(title)s") % {"title": c.title}) for c in contests
    ]


@register_landing("contest-school", order=20)
def school_entries(user: Any) -> list[tuple[str, str]]:
    schools = [
        m.unit for m in memberships_of(user) if m.role in UNIT_ROLES and m.unit.kind == UnitKind.SCHOOL
    ]
    if not schools:
        return []
    out = []
    for c in Contest.objects.select_related("campaign__org_unit").order_by("-year", "id"):
        if any(s.path.startswith(c.campaign.org_unit.path) for s in schools):
            out.append(
                (reverse("contests:entries", args=[c.pk]), _("报送作品：%(title)s") % {"title": c.title})
            )
    return out
