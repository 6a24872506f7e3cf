"""Reads behind the bureau's dashboard, the exports and the importer: who reported, with what values.

Status groups, as the bureau sees them:
- 已通过 (approved) and 待审核 (submitted) have reached the bureau: they count as "submitted";
- 已退回 (returned) is back with the unit;
- 未报送 (missing): no report yet, a draft, or waiting for the unit head (head_review).

"All" totals add the submitted reports to the approved ones; drafts, reports waiting for the unit
head and returned reports are never counted: their figures are not yet (or no longer) the unit's word.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from sciweek.campaigns.models import Campaign, Requirement
from sciweek.core import clock
from sciweek.orgs.models import OrgUnit

from .formspec import NOT_APPLICABLE, FormSpec
from .models import FormDefinition, FormRow, Report, ReportValue, counted_statuses
from .rollup import report_filter

MISSING = "missing"

STATE_LABELS = {
    Report.Status.APPROVED: "已通过",
    Report.Status.SUBMITTED: "待审核",
    Report.Status.RETURNED: "已退回",
    MISSING: "未报送",
}


def current_form(campaign: Campaign) -> FormDefinition | None:
    return (
        campaign.forms.filter(is_current=True)
        .order_by("-version")
        .prefetch_related(Prefetch("rows", queryset=FormRow.objects.order_by("order")))
        .first()
    )


def form_spec(campaign: Campaign) -> FormSpec | None:
    form = current_form(campaign)
    return form.to_spec() if form else None


def report_due_at(campaign: Campaign) -> dt.datetime | None:
    """When the statistics table is due: the FINAL_REPORT requirement, at close of business if so set."""
    req = campaign.requirements.filter(kind=Requirement.Kind.FINAL_REPORT).order_by("due_at").first()
    if req is None:
        return None
    if not req.due_is_close_of_business:
        return req.due_at
    day = timezone.localtime(req.due_at).date()
    return timezone.make_aware(dt.datetime.combine(day, campaign.close_of_business))


def previous_campaign(campaign: Campaign) -> Campaign | None:
    """The same region's campaign of the latest earlier year, to put beside this one."""
    return (
        Campaign.objects.filter(org_unit_id=campaign.org_unit_id, year__lt=campaign.year)
        .order_by("-year", "-start_date")
        .first()
    )


def state_of(report: Report | None) -> str:
    if report is None or report.status in (Report.Status.DRAFT, Report.Status.HEAD_REVIEW):
        return MISSING
    return report.status


@dataclass
class UnitRow:
    unit: OrgUnit
    report: Report | None
    state: str
    values: dict[str, Decimal | str] = field(default_factory=dict)
    crosscheck: list = field(default_factory=list)

    @property
    def state_label(self) -> str:
        return STATE_LABELS[self.state]

    @property
    def is_late(self) -> bool:
        return bool(self.report and self.report.is_late and self.state != MISSING)


@dataclass
class Completeness:
    expected: int = 0
    submitted: int = 0  # reached the bureau: submitted + approved
    approved: int = 0
    pending: int = 0  # submitted, waiting for review
    returned: int = 0
    missing: int = 0
    on_time: int = 0
    late: int = 0
    overdue_missing: int = 0  # still missing after the deadline

    @property
    def percent(self) -> int:
        return round(self.submitted * 100 / self.expected) if self.expected else 0


def unit_rows(campaign: Campaign, *, with_values: bool = True) -> list[UnitRow]:
    """Every participating unit of the campaign with its report (or none) and its values."""
    units = list(
        campaign.participating_units().only("id", "name", "short_name", "kind", "code", "path", "is_sample")
    )
    reports = {
        r.unit_id: r
        for r in Report.objects.filter(campaign=campaign).only(
            "id", "unit_id", "status", "is_late", "submitted_at", "approved_at", "version", "campaign_id"
        )
    }
    for u in units:  # the report's unit and campaign are at hand: no query per row for whoever reads them
        if u.pk in reports:
            reports[u.pk].unit, reports[u.pk].campaign = u, campaign
    rows = [UnitRow(unit=u, report=reports.get(u.pk), state=state_of(reports.get(u.pk))) for u in units]
    if with_values:
        by_report: dict[int, dict[str, Decimal | str]] = defaultdict(dict)
        qs = ReportValue.objects.filter(report__campaign=campaign).values_list(
            "report_id", "row_code", "value", "not_applicable"
        )
        for report_id, code, value, na in qs:
            if value is not None:
                by_report[report_id][code] = value
            elif na:
                by_report[report_id][code] = NOT_APPLICABLE
        for row in rows:
            if row.report is not None:
                row.values = by_report.get(row.report.pk, {})
    return rows


def completeness(rows: Iterable[UnitRow], *, due_at: dt.datetime | None = None) -> Completeness:
    c = Completeness()
    now = clock.now()
    for row in rows:
        c.expected += 1
        if row.state == MISSING:
            c.missing += 1
            if due_at is not None and now > due_at:
                c.overdue_missing += 1
            continue
        if row.state == Report.Status.RETURNED:
            c.returned += 1
            continue
        c.submitted += 1
        if row.state == Report.Status.APPROVED:
            c.approved += 1
        else:
            c.pending += 1
        if row.report is not None and row.report.is_late:
            c.late += 1
        else:
            c.on_time += 1
    return c


def filter_rows(rows: list[UnitRow], *, state: str = "", kind: str = "", late: str = "") -> list[UnitRow]:
    out = rows
    if state:
        out = [r for r in out if r.state == state]
    if kind:
        out = [r for r in out if r.unit.kind == kind]
    if late == "1":
        out = [r for r in out if r.is_late]
    elif late == "0":
        out = [r for r in out if r.state != MISSING and not r.is_late]
    return out


def totals(rows: Iterable[UnitRow], *, approved_only: bool) -> dict[str, Decimal]:
    """Row totals over the units' reports in the counted statuses (blank and 不适用 add nothing)."""
    statuses = set(counted_statuses(approved_only))
    out: dict[str, Decimal] = defaultdict(Decimal)
    for row in rows:
        if row.report is None or row.report.status not in statuses:
            continue
        for code, value in row.values.items():
            if isinstance(value, Decimal):
                out[code] += value
    return dict(out)


def campaign_totals(campaign: Campaign, *, approved_only: bool) -> dict[str, Decimal]:
    """One aggregate query: the campaign's row totals (used for the previous year's column)."""
    from django.db.models import Sum

    qs = (
        ReportValue.objects.filter(
            report__campaign=campaign, report__status__in=counted_statuses(approved_only)
        )
        .values("row_code")
        .annotate(total=Sum("value"))
    )
    return {r["row_code"]: r["total"] for r in qs if r["total"] is not None}


def report_values(report: Report) -> dict[str, Decimal | str]:
    out: dict[str, Decimal | str] = {}
    for code, value, na in report.values.values_list("row_code", "value", "not_applicable"):
        if value is not None:
            out[code] = value
        elif na:
            out[code] = NOT_APPLICABLE
    return out


def campaigns_of_year(year: int) -> QuerySet[Campaign]:
    return Campaign.objects.filter(year=year).select_related("org_unit")


def iter_unit_values(
    *, year: int, root: OrgUnit, approved_only: bool, chunk_size: int = 20000
) -> Iterator[tuple[tuple[str, str, str], dict[str, Decimal | int | str]]]:
    """((name, code, path), values) of every counted report below ``root`` in ``year``, in tree order.

    Streams from the database (server-side cursor on PostgreSQL) so the national matrix never sits in
    memory. Where campaigns are nested, a unit's report in the nearest campaign wins (see rollup).
    """
    qs = (
        ReportValue.objects.filter(
            report_filter(year=year, root=root, approved_only=approved_only, prefix="report__")
        )
        .order_by("report__unit__path", "report_id")
        .values_list(
            "report_id",
            "report__unit__name",
            "report__unit__code",
            "report__unit__path",
            "row_code",
            "value",
            "not_applicable",
        )
    )
    current: int | None = None
    head: tuple[str, str, str] = ("", "", "")
    values: dict[str, Decimal | int | str] = {}
    for report_id, name, code, path, row_code, value, na in qs.iterator(chunk_size=chunk_size):
        if report_id != current:
            if current is not None:
                yield head, values
            current, head, values = report_id, (name, code, path), {}
        if value is not None:
            # 12.0000 from the database is 12: an int goes straight into the sheet, no re-parsing
            values[row_code] = int(value) if value == value.to_integral_value() else value.normalize()
        elif na:
            values[row_code] = NOT_APPLICABLE
    if current is not None:
        yield head, values
