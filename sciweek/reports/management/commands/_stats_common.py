"""Shared by the statistics commands: choosing the campaign by year (and region) and the tree root."""

from __future__ import annotations

from django.core.management.base import CommandError

from sciweek.campaigns.identity import AmbiguousCampaign, resolve_campaign
from sciweek.campaigns.models import Campaign
from sciweek.orgs.models import OrgUnit


def unit_by_code(code: str, what: str = "单位") -> OrgUnit:
    try:
        return OrgUnit.objects.get(code=code)
    except OrgUnit.DoesNotExist:
        raise CommandError(f"没有代码为「{code}」的{what}")


def campaign_by_year(year: int | str, region: str | None) -> Campaign:
    """``--campaign`` as an id (id:N or a number that is no year) or a year (with ``--region``);
    several candidates are refused with the list (campaigns/identity.py)."""
    try:
        return resolve_campaign(year, region)
    except AmbiguousCampaign as exc:
        raise CommandError(str(exc))


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


def year_of(ref: str | int) -> int:
    """The year ``--campaign`` names: itself when it is a year, else that campaign's year."""
    text = str(ref).strip()
    if text.isdigit() and 1900 <= int(text) <= 2999:
        return int(text)
    return campaign_by_year(text, None).year
