"""The enterprise service's section of the generated 活动总结 (reports.summary_sections).

For ``root`` (a town, a county, a city …) and the campaign year: what the week did (visits and the
commissioners' service logs dated in the week of that year's campaign over ``root``), then what the
year has done so far (visits, demands raised, contracts signed and their amount, project applications
guided and approved). 涉密 demands are counted but never named: the summary quotes figures only.
The text is the document's Chinese, like every other section of the summary.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.utils import timezone

from sciweek.campaigns.models import Campaign
from sciweek.orgs.models import OrgUnit
from sciweek.reports.summary_sections import SummarySection, register_summary_section

from .choices import ApplicationStatus, LogKind, Status
from .models import Demand, DemandChange, ProjectApplication, ServiceLog, Visit


def _week(year: int, root: OrgUnit) -> tuple[dt.date, dt.date] | None:
    """The dates of that year's campaign run over ``root`` (its own region or one above it)."""
    ancestors = [root.path[:i] for i in range(OrgUnit.steplen, len(root.path) + 1, OrgUnit.steplen)]
    c = (
        Campaign.objects.filter(year=year)
        .filter(Q(org_unit__path__in=ancestors) | Q(org_unit__path__startswith=root.path))
        .order_by("-org_unit__depth", "start_date")
        .first()
    )
    return (c.start_date, c.end_date) if c else None


def innovation_figures(*, year: int, root: OrgUnit) -> dict[str, Decimal]:
    under = {"unit__path__startswith": root.path}
    tz = timezone.get_current_timezone()
    y0 = dt.datetime(year, 1, 1, tzinfo=tz)
    y1 = dt.datetime(year + 1, 1, 1, tzinfo=tz)
    visits = Visit.objects.filter(**under, date__year=year)
    logs = ServiceLog.objects.filter(**under, date__year=year)
    out: dict[str, Decimal] = {"week_visits": Decimal(0), "week_person_times": Decimal(0),
                               "week_commissioners": Decimal(0), "week_people": Decimal(0)}  # fmt: skip
    week = _week(year, root)
    if week:
        wl = logs.filter(date__gte=week[0], date__lte=week[1])
        agg = wl.aggregate(
            n=Count("id"),
            x=Count("expert_id", distinct=True),
            p=Sum("people_served", filter=~Q(kind=LogKind.ONLINE)),
        )
        out |= {
            "week_visits": Decimal(visits.filter(date__gte=week[0], date__lte=week[1]).count()),
            "week_person_times": Decimal(agg["n"] or 0),
            "week_commissioners": Decimal(agg["x"] or 0),
            "week_people": Decimal(agg["p"] or 0),
        }
    demands = Demand.objects.filter(**under)
    changes = DemandChange.objects.filter(at__gte=y0, at__lt=y1)
    signed = demands.filter(pk__in=changes.filter(to_status=Status.SIGNED).values("demand_id")).aggregate(
        n=Count("id"), a=Sum("contract_amount")
    )
    apps = ProjectApplication.objects.filter(**under, year=year)
    approved = apps.filter(status=ApplicationStatus.APPROVED).aggregate(n=Count("id"), a=Sum("amount"))
    out |= {
        "visits": Decimal(visits.count()),
        "enterprises_visited": Decimal(visits.values("enterprise_id").distinct().count()),
        # Raised in the year: the history's first row (created_at is the machine's time, not the clock's).
        "demands": Decimal(demands.filter(pk__in=changes.filter(from_status="").values("demand_id")).count()),
        "contracts": Decimal(signed["n"] or 0),
        "contract_amount": signed["a"] or Decimal(0),
        "person_times": Decimal(logs.count()),
        "applications": Decimal(apps.count()),
        "approved": Decimal(approved["n"] or 0),
        "approved_amount": approved["a"] or Decimal(0),
    }
    return out


LABELS = {
    "week_visits": ("活动周期间走访企业", "次"),
    "week_person_times": ("活动周期间科技特派员服务", "人次"),
    "week_people": ("活动周期间现场服务群众", "人"),
    "visits": ("全年走访企业", "次"),
    "demands": ("征集技术需求", "项"),
    "contracts": ("签约项目", "项"),
    "contract_amount": ("合同金额", "万元"),
    "applications": ("指导申报科技计划项目", "项"),
    "approved": ("获批立项", "项"),
}


def _amount(v: Decimal) -> str:
    return f"{v.normalize():f}" if v == v.to_integral() else f"{v:.2f}"


@register_summary_section("innovation", order=40)
def innovation_section(*, year: int, root: OrgUnit) -> SummarySection | None:
    f = innovation_figures(year=year, root=root)
    if not (f["visits"] or f["demands"] or f["person_times"] or f["applications"]):
        return None
    paragraphs = []
    if f["week_visits"] or f["week_person_times"]:
        paragraphs.append(
            f"活动周期间，深入企业走访{f['week_visits']}次；{f['week_commissioners']}名科技特派员开展送技下乡"
            f"{f['week_person_times']}人次，现场服务群众{f['week_people']}人次。"
        )
    year_text = f"{year}年以来，累计走访企业{f['visits']}次（{f['enterprises_visited']}家），征集技术需求{f['demands']}项"
    if f["contracts"]:
        year_text += f"，促成产学研签约{f['contracts']}项、合同金额{_amount(f['contract_amount'])}万元"
    if f["applications"]:
        year_text += f"；指导企业申报科技计划项目{f['applications']}项，已获批立项{f['approved']}项"
        if f["approved_amount"]:
            year_text += f"、支持资金{_amount(f['approved_amount'])}万元"
    paragraphs.append(year_text + "。")
    return SummarySection(
        key="innovation",
        title="服务企业创新与科技特派员行动",
        paragraphs=tuple(paragraphs),
        figures={LABELS[k][0]: (f[k], LABELS[k][1]) for k in LABELS},
    )
