"""Who may see and do what in a contest.

- **organizer**: the campaign's organizers, and the lead unit's own staff (县科协 runs the contest);
- **viewer**: other bureau members over the campaign (co-organizers, reviewers, viewers): read only;
- **school**: staff of a school in the campaign's region: its own entries only;
- **judge**: a judge of this contest: their assigned entries only, without names in blind mode.

Out of scope → 404; in scope but not allowed → 403 (as everywhere).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from sciweek.judging.models import Judge
from sciweek.orgs.access import can_manage_unit, is_bureau_member, memberships_of
from sciweek.orgs.models import UNIT_ROLES, OrgUnit, Role, UnitKind

from .models import Contest
from .setup import OWNER

ORGANIZER, VIEWER, SCHOOL, JUDGE = "organizer", "viewer", "school", "judge"


def schools_of(user: Any, contest: Contest) -> list[OrgUnit]:
    region = contest.campaign.org_unit.path
    return [
        m.unit
        for m in memberships_of(user)
        if m.role in UNIT_ROLES and m.unit.kind == UnitKind.SCHOOL and m.unit.path.startswith(region)
    ]


def judge_of(user: Any, contest: Contest) -> Judge | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return Judge.objects.filter(owner_kind=OWNER, owner_id=contest.pk, user=user, active=True).first()


def contest_roles(user: Any, contest: Contest) -> set[str]:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return set()
    roles: set[str] = set()
    region = contest.campaign.org_unit
    # The lead unit runs it: its own staff, or a co-organizer acting for it (县科协 on the county).
    if can_manage_unit(user, region) or any(
        (m.unit_id == contest.org_unit_id and m.role in UNIT_ROLES)
        or (m.role == Role.CO_ORGANIZER and m.acting_for_id == contest.org_unit_id)
        for m in memberships_of(user)
    ):
        roles.add(ORGANIZER)
    elif is_bureau_member(user, region):
        roles.add(VIEWER)
    if schools_of(user, contest):
        roles.add(SCHOOL)
    if judge_of(user, contest) is not None:
        roles.add(JUDGE)
    return roles


def visible_contests(user: Any) -> list[Contest]:
    contests = Contest.objects.select_related("campaign__org_unit", "org_unit").order_by("-year", "id")
    return [c for c in contests if contest_roles(user, c)]


def access_contest(user: Any, contest_id: Any, *, need: set[str] | None = None) -> tuple[Contest, set[str]]:
    """The contest and the caller's roles in it; 404 when they have none, 403 without one of ``need``."""
    try:
        contest = Contest.objects.select_related("campaign__org_unit", "org_unit").get(pk=int(contest_id))
    except (Contest.DoesNotExist, TypeError, ValueError):
        raise Http404(_("大赛不存在"))
    roles = contest_roles(user, contest)
    if not roles:
        raise Http404(_("大赛不存在"))
    if need is not None and not roles & need:
        raise PermissionDenied(_("您无权进行此操作"))
    return contest, roles


def sees_names(roles: set[str], contest: Contest) -> bool:
    """Judges never see student, tutor or school names in blind mode; everyone else in scope does."""
    return bool(roles - {JUDGE}) or not contest.blind
