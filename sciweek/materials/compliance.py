"""The PUBLICITY requirement (notice 五.1): content sent and staff named, judged by the domain that owns it."""

from __future__ import annotations

from sciweek.campaigns.compliance import Compliance, register_checker
from sciweek.campaigns.models import Requirement
from sciweek.orgs.models import OrgUnit

from .models import PublicitySubmission


@register_checker(Requirement.Kind.PUBLICITY)
def publicity_sent(requirement: Requirement, unit: OrgUnit) -> Compliance:
    sub = PublicitySubmission.objects.filter(campaign=requirement.campaign, unit=unit).first()
    staff = unit.staff.count()
    if sub is None or sub.submitted_at is None or sub.status == PublicitySubmission.Status.DRAFT:
        return Compliance(done=False, detail="宣传内容尚未报送" + ("" if staff else "，联系人未登记"))
    if sub.status == PublicitySubmission.Status.RETURNED:
        return Compliance(done=False, detail="宣传内容已退回，待修改后重新报送")
    late = sub.submitted_at > requirement.due_at
    if not staff:
        return Compliance(done=False, detail="已报送宣传内容，联系人未登记", late=late)
    return Compliance(done=True, detail="已报送" + ("（逾期）" if late else ""), late=late)
