"""Builders for the dashboard / roll-up / exchange tests: a small tree, campaigns and filled reports.

Reports are written straight into the models (the unit entry pages are another suite's subject);
everything else in the tests goes through the pages and commands as a user would.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.utils import timezone

from sciweek.campaigns.models import Campaign
from sciweek.orgs.models import Membership, OrgUnit, Role, UnitKind
from sciweek.reports.formspec import SIXIAN_2023_FORM
from sciweek.reports.models import Report, ReportValue, form_from_spec
from sciweek.reports.totals import totals_of_report


def put_report(
    campaign: Campaign,
    unit: OrgUnit,
    values: dict[str, Any],
    *,
    status: str = "submitted",
    is_late: bool = False,
    submitted_at: dt.datetime | None = None,
) -> Report:
    form = campaign.forms.filter(is_current=True).order_by("-version").first()
    report, _ = Report.objects.update_or_create(
        campaign=campaign,
        unit=unit,
        defaults={
            "form": form,
            "status": status,
            "is_late": is_late,
            "submitted_at": submitted_at or (timezone.now() if status != "draft" else None),
        },
    )
    ReportValue.objects.filter(report=report).delete()
    ReportValue.objects.bulk_create(
        [
            ReportValue(
                report=report,
                row_code=code,
                value=None if v == "—" else Decimal(str(v)),
                not_applicable=v == "—",
            )
            for code, v in values.items()
        ]
    )
    report.totals = totals_of_report(report)  # as the services write it beside the values
    report.save(update_fields=["totals"])
    return report


def add_unit(
    parent: OrgUnit, name: str, code: str, kind: str = UnitKind.DEPARTMENT, short: str = ""
) -> OrgUnit:
    return OrgUnit.objects.get(pk=parent.pk).add_child(name=name, code=code, kind=kind, short_name=short)


def campaign_for(region: OrgUnit, year: int, title: str = "") -> Campaign:
    campaign = Campaign.objects.create(
        org_unit=region,
        year=year,
        title=title or f"{year}年{region.name}科技活动周",
        theme="热爱科学 崇尚科学",
        start_date=dt.date(year, 5, 20),
        end_date=dt.date(year, 5, 31),
        status=Campaign.Status.RUNNING,
    )
    form_from_spec(campaign=campaign, spec=SIXIAN_2023_FORM)
    return campaign


def user_with(username: str, unit: OrgUnit, role: str) -> Any:
    user = get_user_model().objects.create_user(username=username, password="x-Pass-12345")
    Membership.objects.create(user=user, unit=unit, role=role)
    return user


class Tree:
    """省 › 市 › 甲县 (two units) and 乙县 (one unit), each county with its own 2023 campaign."""

    def __init__(self) -> None:
        self.province = OrgUnit.add_root(name="测试省", code="T-P", kind=UnitKind.PROVINCE)
        self.city = add_unit(self.province, "测试市", "T-C", UnitKind.CITY)
        self.county_a = add_unit(self.city, "甲县", "T-A", UnitKind.COUNTY)
        self.county_b = add_unit(self.city, "乙县", "T-B", UnitKind.COUNTY)
        self.a1 = add_unit(self.county_a, "甲县气象局", "T-A1", short="气象局")
        self.a2 = add_unit(self.county_a, "甲县示范镇", "T-A2", UnitKind.TOWN)
        self.b1 = add_unit(self.county_b, "乙县科协", "T-B1", UnitKind.ASSOCIATION)
        self.camp_a = campaign_for(self.county_a, 2023)
        self.camp_b = campaign_for(self.county_b, 2023)
        self.org_a = user_with("t-org-a", self.county_a, Role.ORGANIZER)
        self.org_b = user_with("t-org-b", self.county_b, Role.ORGANIZER)
        self.org_city = user_with("t-org-city", self.city, Role.ORGANIZER)
        self.viewer_province = user_with("t-view-p", self.province, Role.VIEWER)
