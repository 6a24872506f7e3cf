"""Who may do what in a selection.

The bureau runs it: organizers of the campaign's region and its co-organizers (县科协 and 县委宣传部
lead 四.4); reviewers and viewers read. A nominating unit's reporter or head sees and edits only its
own nominations. The public sees candidates and the tally, never a mobile number.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from sciweek.campaigns.access import can_see_campaign
from sciweek.orgs.access import can_manage_unit, is_bureau_member, memberships_of, reporting_units
from sciweek.orgs.models import OrgUnit, Role

from .models import NominatingUnit, Nomination, Selection


def can_run(user: Any, selection: Selection) -> bool:
    region = selection.campaign.org_unit
    if can_manage_unit(user, region):
        return True
    return any(
        m.role == Role.CO_ORGANIZER and region.path.startswith(m.unit.path) for m in memberships_of(user)
    )


def nominating_units(user: Any, selection: Selection) -> list[OrgUnit]:
    mine = {u.pk: u for u in reporting_units(user)}
    ids = NominatingUnit.objects.filter(selection=selection, unit_id__in=mine).values_list(
        "unit_id", flat=True
    )
    return [mine[i] for i in ids]


def access_selection(user: Any, selection_id: Any, *, run: bool = False) -> Selection:
    try:
        selection = Selection.objects.select_related("campaign__org_unit").get(pk=int(selection_id))
    except (Selection.DoesNotExist, TypeError, ValueError):
        raise Http404(_("评选不存在"))
    if not can_see_campaign(user, selection.campaign):
        raise Http404(_("评选不存在"))
    if run and not can_run(user, selection):
        raise PermissionDenied(_("只有主办、协办单位可以管理评选"))
    return selection


def sees_mobiles(user: Any, selection: Selection) -> bool:
    """Only those running the selection need the full number (to reach a candidate)."""
    return can_run(user, selection)


def access_nomination(user: Any, nomination_id: Any, *, edit: bool = False) -> Nomination:
    """The nomination if the user may read it (``edit``: change it); 404 otherwise."""
    try:
        nomination = Nomination.objects.select_related("selection__campaign__org_unit", "unit").get(
            pk=int(nomination_id)
        )
    except (Nomination.DoesNotExist, TypeError, ValueError):
        raise Http404(_("推荐材料不存在"))
    selection = nomination.selection
    # The bureau reads every nomination; only the nominating unit edits its own (the bureau returns it).
    if not edit and (can_run(user, selection) or is_bureau_member(user, selection.campaign.org_unit)):
        return nomination
    if any(u.pk == nomination.unit_id for u in nominating_units(user, selection)):
        return nomination
    raise Http404(_("推荐材料不存在"))
