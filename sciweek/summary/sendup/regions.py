"""Where a send-up goes and what it lists: the campaign above, the regions below, the units and their
reports' status, the latest send-up per region and which are outdated (a report changed since)."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.utils.translation import gettext as _

from sciweek.campaigns.models import Campaign
from sciweek.orgs.models import AREA_KINDS, OrgUnit
from sciweek.reports.models import Report

from ..models import SendUp

S = Report.Status


def target_of(source: Campaign) -> Campaign | None:
    """The campaign of the same year run by the nearest region above the source's region."""
    path = source.org_unit.path
    above = [path[:i] for i in range(OrgUnit.steplen, len(path), OrgUnit.steplen)]
    return (
        Campaign.objects.filter(year=source.year, org_unit__path__in=above)
        .select_related("org_unit")
        .order_by("-org_unit__depth")
        .first()
    )


def child_regions(target: Campaign) -> list[OrgUnit]:
    """The regions one level below the target's region: the counties of a city campaign."""
    return list(
        OrgUnit.objects.filter(
            path__startswith=target.org_unit.path,
            depth=target.org_unit.depth + 1,
            kind__in=AREA_KINDS,
            is_active=True,
        )
        .only("id", "name", "code", "path", "depth", "kind", "is_sample")
        .order_by("path")
    )


def source_campaign(target: Campaign, region: OrgUnit) -> Campaign | None:
    return Campaign.objects.filter(year=target.year, org_unit=region).first()


def units_of(source: Campaign) -> list[dict[str, Any]]:
    reports = {
        r.unit_id: r for r in Report.objects.filter(campaign=source).only("unit_id", "status", "is_late")
    }
    labels = dict(S.choices)
    out = []
    for u in source.participating_units().filter(path__startswith=source.org_unit.path).only("id", "name"):
        r = reports.get(u.pk)
        out.append(
            {
                "id": u.pk,
                "name": u.name,
                "status": r.status if r else "missing",
                "label": labels.get(r.status, "") if r else _("未报送"),
                "late": bool(r and r.is_late),
            }
        )
    # lower regions' own send-ups (a city sending to the province lists its counties)
    regions = OrgUnit.objects.filter(
        path__startswith=source.org_unit.path, depth=source.org_unit.depth + 1, kind__in=AREA_KINDS
    )
    latest = latest_by_region(source, [r.pk for r in regions])
    for region in regions:
        s = latest.get(region.pk)
        out.append(
            {
                "id": region.pk,
                "name": region.name,
                "region": True,
                "status": s.status if s else "missing",
                "label": s.get_status_display() if s else _("未上报"),
                "late": False,
            }
        )
    return out


def approved_versions(campaign_ids: list[int]) -> dict[int, dict[str, int]]:
    out: dict[int, dict[str, int]] = defaultdict(dict)
    for cid, rid, version in Report.objects.filter(
        campaign_id__in=campaign_ids, status=S.APPROVED
    ).values_list("campaign_id", "id", "version"):
        out[cid][str(rid)] = version
    return out


def latest_by_region(target: Campaign, region_ids: list[int] | None = None) -> dict[int, SendUp]:
    qs = SendUp.objects.filter(target=target)
    if region_ids is not None:
        qs = qs.filter(region_id__in=region_ids)
    out: dict[int, SendUp] = {}
    for s in qs.defer("mapping", "units", "media").order_by("region_id", "-number"):
        out.setdefault(s.region_id, s)
    return out


def outdated_ids(sendups: list[SendUp]) -> set[int]:
    """Snapshots whose approved reports are no longer those sent (reopened, corrected, newly approved)."""
    current = approved_versions(list({s.source_id for s in sendups}))
    return {s.pk for s in sendups if s.report_versions != current.get(s.source_id, {})}
