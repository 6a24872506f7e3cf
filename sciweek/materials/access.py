"""Who may see and change publicity and media reports: the same answers for the pages and the API.

A unit's publicity is its own until it is sent: its reporters (and the organizer over it) edit it,
the bureau sees it once submitted; out of scope is 404, in scope but not allowed 403."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from sciweek.campaigns.access import access_campaign
from sciweek.orgs.access import access_unit, can_manage_unit, reporting_units
from sciweek.orgs.models import OrgUnit
from sciweek.reports.services.access import can_review

from .models import MediaReport, PublicitySubmission


def access_own_unit(user: Any, unit_id: Any) -> OrgUnit:
    unit = access_unit(user, unit_id)
    if unit not in reporting_units(user) and not can_manage_unit(user, unit):
        raise PermissionDenied(_("只有本单位填报员或组织单位可以修改"))
    return unit


def access_submission(user: Any, sub_id: Any) -> PublicitySubmission:
    """The bureau's access to a unit's content: never a draft."""
    try:
        sub = PublicitySubmission.objects.select_related("unit", "campaign").get(pk=int(sub_id))
    except (PublicitySubmission.DoesNotExist, TypeError, ValueError):
        raise Http404(_("宣传内容不存在"))
    access_campaign(user, sub.campaign_id, bureau=True)
    if sub.status == PublicitySubmission.Status.DRAFT:
        raise Http404(_("该单位尚未报送"))
    return sub


def access_media_report(user: Any, report_id: Any, *, edit: bool = False) -> MediaReport:
    """The unit that entered it (to correct or delete while unconfirmed), or the bureau: its reviewers
    read, confirm, withdraw a confirmation, and also correct or delete (a report entered under the wrong
    unit); its other staff only read. Out of scope is 404."""
    try:
        report = MediaReport.objects.select_related("campaign", "outlet", "unit", "entered_by_unit").get(
            pk=int(report_id)
        )
    except (MediaReport.DoesNotExist, TypeError, ValueError):
        raise Http404(_("媒体报道不存在"))
    own = report.entered_by_unit in reporting_units(user)
    if own:
        return report
    campaign = access_campaign(user, report.campaign_id, bureau=True)
    if edit and not can_review(user, campaign):
        raise PermissionDenied(_("只有登记该报道的单位或组织单位的审核人员可以修改"))
    return report
