"""The final-report deadline of a unit, and exceptions the organizer grants when it locks.

The deadline is the campaign's FINAL_REPORT requirement that applies to the unit (05-30 17:30 in the
demo). After it a first submission is still accepted but flagged late, unless the organizer chose
``lock_at_deadline``: then a unit that has not submitted can no longer fill or submit, except with a
``ReportDeadlineException``. A report the bureau returned can always be corrected and resubmitted.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sciweek.campaigns.lifecycle import check_open
from sciweek.campaigns.models import Campaign, Requirement
from sciweek.core import clock
from sciweek.core.audit import audit_log, snapshot
from sciweek.core.cache import cached_access_fragment
from sciweek.orgs.models import OrgUnit

from ..models import Report, ReportDeadlineException
from ..validation import check_text


@dataclass(frozen=True)
class Deadline:
    requirement: Requirement | None
    exception: ReportDeadlineException | None = None

    @property
    def due_at(self) -> dt.datetime | None:
        return self.requirement.due_at if self.requirement else None

    @property
    def locks(self) -> bool:
        return bool(self.requirement and self.requirement.lock_at_deadline)

    def passed(self, now: dt.datetime | None = None) -> bool:
        return self.due_at is not None and (now or clock.now()) > self.due_at

    def blocks(self, report: Report | None, now: dt.datetime | None = None) -> bool:
        """True when the deadline locks this unit out (never for a report already submitted once)."""
        now = now or clock.now()
        if not self.locks or not self.passed(now):
            return False
        if report is not None and report.first_submitted_at is not None:
            return False
        return not (self.exception and now <= self.exception.until)

    def locked_message(self) -> str:
        due = timezone.localtime(self.due_at) if self.due_at else None
        when = f"{due.year}年{due.month}月{due.day}日 {due:%H:%M}" if due else ""
        return f"报送截止时间（{when}）已过，统计表已锁定。如需补报，请联系组织单位开通补报。"


def final_report_requirement(campaign: Campaign, unit: OrgUnit) -> Requirement | None:
    """The first FINAL_REPORT requirement that applies to ``unit`` (no 适用单位 = every unit).

    A campaign's few final-report requirements are cached until a requirement changes (the access
    generation, core/cache.py): every save and submission asks, hundreds a second at a deadline."""
    for requirement, unit_ids in _final_reports(campaign.pk):
        if not unit_ids or unit.pk in unit_ids:
            return requirement
    return None


def _final_reports(campaign_id: int) -> list[tuple[Requirement, frozenset[int]]]:
    """The campaign's FINAL_REPORT requirements in deadline order, each with the ids of the units it
    applies to (empty: all)."""

    def build() -> list[tuple[Requirement, frozenset[int]]]:
        requirements = list(
            Requirement.objects.filter(campaign_id=campaign_id, kind=Requirement.Kind.FINAL_REPORT).order_by(
                "due_at", "id"
            )
        )
        units: dict[int, set[int]] = {}
        through = Requirement.applies_to.through.objects.filter(requirement__in=requirements)
        for requirement_id, unit_id in through.values_list("requirement_id", "orgunit_id"):
            units.setdefault(requirement_id, set()).add(unit_id)
        return [(r, frozenset(units.get(r.pk, ()))) for r in requirements]

    return cached_access_fragment("final-reports", campaign_id, build=build)


def report_deadline(campaign: Campaign, unit: OrgUnit) -> Deadline:
    requirement = final_report_requirement(campaign, unit)
    exception = (
        ReportDeadlineException.objects.filter(campaign=campaign, unit=unit).order_by("-until").first()
        if requirement is not None and requirement.lock_at_deadline
        else None
    )
    return Deadline(requirement, exception)


def deadline_of(report: Report) -> Deadline:
    """``report_deadline`` of the report's unit, read once per report object: a save checks it, then
    its reply shows it; a submission checks, judges lateness and replies."""
    deadline = getattr(report, "_deadline", None)
    if deadline is None:
        deadline = report._deadline = report_deadline(report.campaign, report.unit)  # type: ignore[attr-defined]
    return deadline


def check_not_locked(report: Report) -> Deadline:
    deadline = deadline_of(report)
    # The campaign's status first (campaigns/lifecycle.py); closed, only a unit the organizer reopened
    # (a 补报 granted with a reason) may still write.
    closed = report.campaign.status == Campaign.Status.CLOSED
    reopened = (
        closed
        and ReportDeadlineException.objects.filter(
            campaign_id=report.campaign_id, unit_id=report.unit_id, until__gte=clock.now()
        ).exists()
    )
    check_open(report.campaign, "report", reopened=reopened)
    if deadline.blocks(report):
        raise ValidationError(deadline.locked_message(), code="deadline")
    return deadline


@transaction.atomic
def deadline_exception_grant(
    *, actor: Any, campaign: Campaign, unit: OrgUnit, until: dt.datetime, reason: str
) -> ReportDeadlineException:
    reason = check_text(reason, field="reason", label="原因", max_length=300)
    if not reason:
        raise ValidationError({"reason": _("请填写允许补报的原因")})
    if until <= clock.now():
        raise ValidationError({"until": _("补报截止时间应晚于现在")})
    if not unit.path.startswith(campaign.org_unit.path) or unit.pk == campaign.org_unit_id:
        raise ValidationError({"unit": _("该单位不是本次活动周的参与单位")})
    exception = ReportDeadlineException.objects.create(
        campaign=campaign, unit=unit, until=until, reason=reason, granted_by=actor
    )
    audit_log(
        actor=actor,
        action="report.deadline_exception",
        obj=exception,
        unit_path=unit.path,
        after=snapshot(exception),
    )
    return exception
