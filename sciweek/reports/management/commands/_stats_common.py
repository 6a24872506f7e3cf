"""Shared by the statistics commands: choosing the campaign by year (and region) and the tree root."""

from __future__ import annotations

from django.core.management.base import CommandError

from sciweek.campaigns.models import Campaign
from sciweek.orgs.models import OrgUnit


def unit_by_code(code: str, what: str = "单位") -> OrgUnit:
    try:
        return OrgUnit.objects.get(code=code)
    except OrgUnit.DoesNotExist:
        raise CommandError(f"没有代码为「{code}」的{what}")


def campaign_by_year(year: int, region: str | None) -> Campaign:
    qs = Campaign.objects.filter(year=year).select_related("org_unit").order_by("org_unit__path")
    if region:
        qs = qs.filter(org_unit=unit_by_code(region, "地区"))
    found = list(qs[:21])
    if not found:
        raise CommandError(f"没有{year}年的活动周" + (f"（地区代码 {region}）" if region else ""))
    if len(found) > 1:
        listing = "\n".join(f"  --region {c.org_unit.code}   {c.title}" for c in found[:20])
        raise CommandError(f"{year}年有多个活动周，请用 --region 指定地区：\n{listing}")
    return found[0]


def common_root(year: int) -> OrgUnit:
    """The deepest unit above every region that ran a campaign in ``year``."""
    paths = list(Campaign.objects.filter(year=year).values_list("org_unit__path", flat=True).distinct())
    if not paths:
        raise CommandError(f"没有{year}年的活动周")
    prefix = paths[0]
    for path in paths[1:]:
        while not path.startswith(prefix):
            prefix = prefix[: -OrgUnit.steplen]
    if not prefix:
        raise CommandError(f"{year}年的活动周分属不同的顶级单位，请用 --root 指定汇总的单位")
    return OrgUnit.objects.get(path=prefix)
