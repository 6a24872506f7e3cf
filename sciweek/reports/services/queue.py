"""Reads for the bureau's review queue and for the compliance registry (FINAL_REPORT)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from sciweek.campaigns.compliance import Compliance, register_batch_checker, register_checker
from sciweek.campaigns.models import Campaign, Requirement
from sciweek.campaigns.unit_objects import register_unit_object
from sciweek.orgs.models import OrgUnit

from ..models import Report, ReportDeadlineException
from .deadline import Deadline, final_report_requirement

S = Report.Status
ORDER = {S.SUBMITTED: 0, S.RETURNED: 1, S.HEAD_REVIEW: 2, S.DRAFT: 3, "missing": 4, S.APPROVED: 5}
LABELS = {**dict(S.choices), S.DRAFT: "草稿未提交", "missing": "未填报"}
FILTERS = [
    (S.SUBMITTED, "已提交待审核"),
    (S.RETURNED, "已退回"),
    (S.HEAD_REVIEW, "待单位负责人审核"),
    (S.DRAFT, "草稿未提交"),
    ("missing", "未填报"),
    (S.APPROVED, "已通过"),
    ("late", "逾期"),
    ("notes", "有上报说明"),
]


@dataclass
class QueueRow:
    unit: OrgUnit
    report: Report | None
    state: str
    late: bool
    notes: int = 0
    values: int = 0
    attachments: dict[str, int] = field(default_factory=dict)
    exception: ReportDeadlineException | None = None

    @property
    def label(self) -> str:
        return LABELS[self.state]


def _state(report: Report | None, values: int) -> str:
    if report is None or (report.status == S.DRAFT and values == 0 and report.first_submitted_at is None):
        return "missing"
    return report.status


def review_queue(campaign: Campaign, *, status: str = "") -> list[QueueRow]:
    reports = {
        r.unit_id: r
        for r in Report.objects.filter(campaign=campaign)
        .select_related("submitted_by")
        .annotate(
            n_values=Count("values", distinct=True),
            n_notes=Count("values", filter=~Q(values__override_note=""), distinct=True),
        )
    }
    kinds: dict[int, dict[str, int]] = {}
    for report_id, kind, n in (
        Report.objects.filter(campaign=campaign, attachments__isnull=False)
        .values_list("pk", "attachments__kind")
        .annotate(n=Count("attachments"))
    ):
        kinds.setdefault(report_id, {})[kind] = n
    exceptions = {
        e.unit_id: e for e in ReportDeadlineException.objects.filter(campaign=campaign).order_by("until")
    }
    requirement = campaign.requirements.filter(kind=Requirement.Kind.FINAL_REPORT).order_by("due_at").first()
    overdue = Deadline(requirement).passed() if requirement else False
    rows = []
    for unit in campaign.participating_units():
        report = reports.get(unit.pk)
        values = getattr(report, "n_values", 0)
        state = _state(report, values)
        late = bool(report and report.is_late) or (overdue and state in ("missing", S.DRAFT))
        rows.append(
            QueueRow(
                unit,
                report,
                state,
                late,
                getattr(report, "n_notes", 0),
                values,
                kinds.get(report.pk, {}) if report else {},
                exceptions.get(unit.pk),
            )
        )
    if status == "late":
        rows = [r for r in rows if r.late]
    elif status == "notes":
        rows = [r for r in rows if r.notes]
    elif status:
        rows = [r for r in rows if r.state == status]
    rows.sort(
        key=lambda r: (
            ORDER[r.state],
            r.report.submitted_at.timestamp() if r.report and r.report.submitted_at else 0,
            r.unit.path,
        )
    )
    return rows


@register_checker(Requirement.Kind.FINAL_REPORT)
def final_report_compliance(requirement: Requirement, unit: OrgUnit) -> Compliance:
    report = Report.objects.filter(campaign=requirement.campaign, unit=unit).first()
    return _judge(requirement, report, report.values.count() if report else 0)


@register_batch_checker(Requirement.Kind.FINAL_REPORT)
def final_report_batch(requirement: Requirement, units: Sequence[OrgUnit]) -> dict[int, Compliance]:
    """The same judgement for many units in one query (reminder ticks over thousands of units)."""
    reports = {
        r.unit_id: r
        for r in Report.objects.filter(
            campaign_id=requirement.campaign_id, unit__in=[u.pk for u in units]
        ).annotate(n_values=Count("values"))
    }
    return {
        u.pk: _judge(requirement, reports.get(u.pk), getattr(reports.get(u.pk), "n_values", 0)) for u in units
    }


def _judge(requirement: Requirement, report: Report | None, values: int) -> Compliance:
    state = _state(report, values)
    overdue = Deadline(requirement).passed()
    late = bool(report and report.is_late)
    suffix = _("（逾期）") if late else ""
    if state == S.APPROVED:
        return Compliance(done=True, detail=_("已审核通过") + suffix, late=late)
    if state == S.SUBMITTED:
        return Compliance(done=True, detail=_("已提交，待审核") + suffix, late=late)
    if state == S.RETURNED:
        reason = report.return_reason if report else ""
        short = reason if len(reason) <= 20 else reason[:20] + "…"
        return Compliance(done=False, detail=_("已退回：%(reason)s") % {"reason": short}, late=late)
    if state == S.HEAD_REVIEW:
        return Compliance(done=False, detail=_("待单位负责人审核"), late=overdue)
    if state == S.DRAFT:
        return Compliance(
            done=False, detail=_("草稿未提交") + (_("（已逾期）") if overdue else ""), late=overdue
        )
    return Compliance(done=False, detail=_("未填报") + (_("（已逾期）") if overdue else ""), late=overdue)


def unit_requirement(campaign: Campaign, unit: OrgUnit) -> Requirement | None:
    return final_report_requirement(campaign, unit)


@register_unit_object("report")
def report_ids(unit: OrgUnit, campaign_ids: list[int]) -> dict[int, int]:
    """The unit's report per campaign, for the links on its campaign page."""
    return dict(
        Report.objects.filter(unit=unit, campaign_id__in=campaign_ids).values_list("campaign_id", "pk")
    )
