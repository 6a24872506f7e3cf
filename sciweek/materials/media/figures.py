"""The confirmed registry as figures for the statistics table (参与媒体数量 / 宣传报道数量), offered
to the unit and set beside what it typed by reports' cross-check. Registered in batch form."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from sciweek.reports.crosscheck import KnownFigures, register_batch_provider
from sciweek.reports.models import Report

from ..models import MediaReport


def media_counts_many(pairs: set[tuple[int, int]]) -> dict[tuple[int, int], tuple[int, int]]:
    """{(campaign, unit): (distinct outlets, reports)} over confirmed reports, in one query."""
    if not pairs:
        return {}
    rows = MediaReport.objects.filter(
        campaign_id__in={c for c, _ in pairs},
        unit_id__in={u for _, u in pairs},
        status=MediaReport.Status.CONFIRMED,
    ).values_list("campaign_id", "unit_id", "outlet_id")
    outlets: dict[tuple[int, int], set[int]] = defaultdict(set)
    count: dict[tuple[int, int], int] = defaultdict(int)
    for c, u, o in rows:
        outlets[(c, u)].add(o)
        count[(c, u)] += 1
    return {p: (len(outlets[p]), count[p]) for p in pairs if count.get(p)}


@register_batch_provider("media")
def media_figures_many(reports: list[Report]) -> dict[int, KnownFigures]:
    counts = media_counts_many({(r.campaign_id, r.unit_id) for r in reports})
    out: dict[int, KnownFigures] = {}
    for r in reports:
        found = counts.get((r.campaign_id, r.unit_id))
        out[r.pk] = (
            {
                "media_outlets": (Decimal(found[0]), f"媒体报道登记中已确认的{found[0]}家媒体"),
                "media_reports": (Decimal(found[1]), f"媒体报道登记中已确认的{found[1]}篇报道"),
            }
            if found
            else {}
        )
    return out
