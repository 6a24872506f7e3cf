"""Who may see and change a campaign.

Bureau members (organizer, co-organizer, reviewer, viewer) of the campaign's region or above see it
whole; organizers change it; co-organizers change the main activities their unit leads. A unit
sees the published campaigns of the regions above it.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from sciweek.orgs.access import acting_units, can_manage_unit, is_bureau_member, memberships_of
from sciweek.orgs.models import SUBTREE_ROLES, OrgUnit

from .models import Campaign, MainActivity


def visible_campaigns(user: Any) -> QuerySet[Campaign]:
    if getattr(user, "is_superuser", False) and user.is_active:
        return Campaign.objects.all()
    q = Q(pk__in=[])
    for m in memberships_of(user):
        if m.role in SUBTREE_ROLES:
            q |= Q(org_unit__path__startswith=m.unit.path)
        # Regions above the member's unit run campaigns the unit takes part in.
        ancestors = [m.unit.path[:i] for i in range(OrgUnit.steplen, len(m.unit.path) + 1, OrgUnit.steplen)]
        q |= Q(org_unit__path__in=ancestors) & ~Q(status=Campaign.Status.DRAFT)
    return Campaign.objects.filter(q).select_related("org_unit").distinct()


def can_see_campaign(user: Any, campaign: Campaign) -> bool:
    """``visible_campaigns``' rule for one campaign, decided in Python (no query)."""
    if getattr(user, "is_superuser", False) and user.is_active:
        return True
    region = campaign.org_unit.path
    for m in memberships_of(user):
        if m.role in SUBTREE_ROLES and region.startswith(m.unit.path):
            return True
        if m.unit.path.startswith(region) and campaign.status != Campaign.Status.DRAFT:
            return True
    return False


def access_campaign(user: Any, campaign_id: Any, *, manage: bool = False, bureau: bool = False) -> Campaign:
    try:
        campaign = Campaign.objects.select_related("org_unit").get(pk=int(campaign_id))
    except (Campaign.DoesNotExist, TypeError, ValueError):
        raise Http404(_("活动周不存在"))
    if not can_see_campaign(user, campaign):
        raise Http404(_("活动周不存在"))
    if bureau and not is_bureau_member(user, campaign.org_unit):
        raise PermissionDenied(_("只有组织单位可以查看此页面"))
    if manage and not can_manage_unit(user, campaign.org_unit):
        raise PermissionDenied(_("只有组织单位（主办）可以修改活动周"))
    return campaign


def can_edit_activity(user: Any, activity: MainActivity) -> bool:
    campaign = activity.campaign
    if can_manage_unit(user, campaign.org_unit):
        return True
    mine = acting_units(user, campaign.org_unit)
    return bool(mine & set(activity.lead_units.values_list("pk", flat=True)))
