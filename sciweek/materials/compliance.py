"""The PUBLICITY requirement (notice 五.1): content sent and staff named, judged by the domain that owns it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db.models import Count
from django.utils.translation import gettext as _

from sciweek.campaigns.charts import register_completion
from sciweek.campaigns.compliance import Compliance, register_batch_checker, register_checker
from sciweek.campaigns.models import Requirement
from sciweek.orgs.models import OrgUnit, StaffContact

from .models import PublicitySubmission


@register_checker(Requirement.Kind.PUBLICITY)
def publicity_sent(requirement: Requirement, unit: OrgUnit) -> Compliance:
    sub = PublicitySubmission.objects.filter(campaign=requirement.campaign, unit=unit).first()
    return _judge(requirement, sub, unit.staff.count())


@register_batch_checker(Requirement.Kind.PUBLICITY)
def publicity_batch(requirement: Requirement, units: Sequence[OrgUnit]) -> dict[int, Compliance]:
    """The same judgement for many units in two queries (reminder ticks over thousands of units)."""
    ids = [u.pk for u in units]
    subs = {
        s.unit_id: s
        for s in PublicitySubmission.objects.filter(campaign_id=requirement.campaign_id, unit_id__in=ids)
    }
    staff = dict(
        StaffContact.objects.filter(unit_id__in=ids)
        .values("unit_id")
        .annotate(n=Count("id"))
        .values_list("unit_id", "n")
    )
    return {pk: _judge(requirement, subs.get(pk), staff.get(pk, 0)) for pk in ids}


def _judge(requirement: Requirement, sub: PublicitySubmission | None, staff: int) -> Compliance:
    if sub is None or sub.submitted_at is None or sub.status == PublicitySubmission.Status.DRAFT:
        return Compliance(
            done=False, detail=_("宣传内容尚未报送") if staff else _("宣传内容尚未报送，联系人未登记")
        )
    if sub.status == PublicitySubmission.Status.RETURNED:
        return Compliance(done=False, detail=_("宣传内容已退回，待修改后重新报送"))
    late = sub.submitted_at > requirement.due_at
    if not staff:
        return Compliance(done=False, detail=_("已报送宣传内容，联系人未登记"), late=late)
    return Compliance(done=True, detail=_("已报送（逾期）") if late else _("已报送"), late=late)


@register_completion(Requirement.Kind.PUBLICITY)
def publicity_sent_at(requirement: Requirement) -> list[dt.datetime]:
    """When each unit sent its content (for the campaign page's completion chart)."""
    qs = PublicitySubmission.objects.filter(campaign=requirement.campaign, submitted_at__isnull=False)
    ids = list(requirement.applies_to.values_list("pk", flat=True))
    if ids:
        qs = qs.filter(unit_id__in=ids)
    return list(qs.values_list("submitted_at", flat=True))
