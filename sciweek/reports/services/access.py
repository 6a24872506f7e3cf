"""Who may see, fill, head-approve, review and reopen a report.

Out-of-scope ids answer 404 (no hint that the report exists); in scope but not allowed answers 403.
A unit's reporter and head fill its report; the bureau (organizer, reviewer over the campaign's
region) reviews; only an organizer reopens an approved report or edits the form.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from sciweek.campaigns.access import can_see_campaign
from sciweek.campaigns.models import Campaign
from sciweek.core.statements import select_one
from sciweek.orgs.access import can_manage_unit, can_view_unit, is_bureau_member, memberships_of
from sciweek.orgs.models import UNIT_ROLES, OrgUnit, Role

from ..models import Report, ReportAttachment

REVIEW_ROLES = {Role.ORGANIZER, Role.REVIEWER}


def _superuser(user: Any) -> bool:
    return bool(getattr(user, "is_superuser", False) and user.is_active)


def can_fill(user: Any, unit: OrgUnit) -> bool:
    """A reporter or head of the unit itself (the bureau looks, it does not fill in for a unit)."""
    return any(m.role in UNIT_ROLES and m.unit_id == unit.pk for m in memberships_of(user))


def is_unit_head(user: Any, unit: OrgUnit) -> bool:
    return any(m.role == Role.UNIT_HEAD and m.unit_id == unit.pk for m in memberships_of(user))


def can_review(user: Any, campaign: Campaign) -> bool:
    if _superuser(user):
        return True
    return any(
        m.role in REVIEW_ROLES and campaign.org_unit.path.startswith(m.unit.path)
        for m in memberships_of(user)
    )


def can_reopen(user: Any, campaign: Campaign) -> bool:
    return can_manage_unit(user, campaign.org_unit)


def is_bureau(user: Any, campaign: Campaign) -> bool:
    return is_bureau_member(user, campaign.org_unit)


def access_report(user: Any, report_id: Any) -> Report:
    try:
        pk = int(report_id)
    except (TypeError, ValueError):
        pk = 0
    # One statement built once (every save and submission starts here; the ORM's select_related
    # spent longer building this SQL than the database spends answering it).
    report = (
        select_one(Report, pk, related=("campaign", "campaign__org_unit", "unit", "form"))
        if 0 < pk < 2**63
        else None
    )
    if report is None or not can_view_unit(user, report.unit) or not can_see_campaign(user, report.campaign):
        raise Http404(_("统计表不存在"))
    return report


def access_report_to_fill(user: Any, report_id: Any) -> Report:
    report = access_report(user, report_id)
    if not can_fill(user, report.unit):
        raise PermissionDenied(_("只有本单位的填报员可以修改统计表"))
    return report


def access_report_to_review(user: Any, report_id: Any) -> Report:
    report = access_report(user, report_id)
    if not can_review(user, report.campaign):
        raise PermissionDenied(_("只有组织单位的审核人员可以审核统计表"))
    return report


def access_attachment(user: Any, attachment_id: Any) -> ReportAttachment:
    try:
        attachment = ReportAttachment.objects.select_related("report").get(pk=int(attachment_id))
    except (ReportAttachment.DoesNotExist, TypeError, ValueError):
        raise Http404(_("附件不存在"))
    attachment.report = access_report(user, attachment.report_id)
    return attachment


def filling_units(user: Any, campaign: Campaign) -> list[OrgUnit]:
    """The units below the campaign's region that ``user`` fills reports for."""
    seen: dict[int, OrgUnit] = {}
    for m in memberships_of(user):
        if m.role in UNIT_ROLES and m.unit.path.startswith(campaign.org_unit.path) and not m.unit.is_area:
            seen.setdefault(m.unit.pk, m.unit)
    return list(seen.values())


def unit_to_fill(user: Any, campaign: Campaign, unit_id: Any = None) -> OrgUnit:
    units = filling_units(user, campaign)
    if unit_id not in (None, ""):
        for unit in units:
            if str(unit.pk) == str(unit_id):
                return unit
        raise Http404(_("单位不存在"))
    if not units:
        raise PermissionDenied(_("您的账号不是本次活动周参与单位的填报员"))
    return units[0]
