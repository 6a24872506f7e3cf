"""The nomination deadline as a campaign requirement (kind ``nomination``): a nominating unit has done it
once it has sent at least one nomination (a draft, or one returned for changes, does not count).

Registered with campaigns' compliance registry, so the reminder engine reminds the units that have not
nominated, and the organizer's matrix and to-do show them late once the deadline has passed. The
requirement is made and kept by the selection (services/requirement.py): one date for both.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db.models import Count, Min, Q
from django.utils.translation import gettext as _

from sciweek.campaigns.compliance import Compliance, register_batch_checker, register_checker
from sciweek.campaigns.models import Requirement
from sciweek.orgs.models import OrgUnit

from .models import Nomination, NominationRequirement

SENT = [s for s in Nomination.Status.values if s not in (Nomination.Status.DRAFT, Nomination.Status.RETURNED)]


def _selection_id(requirement: Requirement) -> int | None:
    return (
        NominationRequirement.objects.filter(requirement=requirement)
        .values_list("selection_id", flat=True)
        .first()
    )


def _counts(requirement: Requirement, unit_ids: list[int]) -> dict[int, Any]:
    selection_id = _selection_id(requirement)
    if selection_id is None:
        return {}
    rows = (
        Nomination.objects.filter(selection_id=selection_id, unit_id__in=unit_ids)
        .values("unit_id")
        .annotate(
            sent=Count("id", filter=Q(status__in=SENT)),
            returned=Count("id", filter=Q(status=Nomination.Status.RETURNED)),
            first=Min("submitted_at", filter=Q(status__in=SENT)),
        )
    )
    return {r["unit_id"]: r for r in rows}


def _judge(requirement: Requirement, row: Any) -> Compliance:
    if row and row["sent"]:
        late = bool(row["first"] and row["first"] > requirement.due_at)
        return Compliance(done=True, detail=_("已推荐%(n)s人") % {"n": row["sent"]}, late=late)
    if row and row["returned"]:
        return Compliance(done=False, detail=_("推荐材料已退回，待修改后重新推荐"))
    return Compliance(done=False, detail=_("尚未推荐人选"))


@register_checker(Requirement.Kind.NOMINATION)
def nominated(requirement: Requirement, unit: OrgUnit) -> Compliance:
    return _judge(requirement, _counts(requirement, [unit.pk]).get(unit.pk))


@register_batch_checker(Requirement.Kind.NOMINATION)
def nominated_batch(requirement: Requirement, units: Sequence[OrgUnit]) -> dict[int, Compliance]:
    ids = [u.pk for u in units]
    rows = _counts(requirement, ids)
    return {pk: _judge(requirement, rows.get(pk)) for pk in ids}
