"""The confirmed registry as figures for the statistics table (参与媒体数量 / 宣传报道数量): offered to
the unit as the rows' values on its entry page (reports.suggestions) and set beside what it typed by
reports' cross-check (in batch form, for the dashboard's many units)."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.utils.translation import gettext as _

from sciweek.reports.crosscheck import KnownFigures, register_batch_provider
from sciweek.reports.models import Report
from sciweek.reports.suggestions import Suggestion, register_suggestions

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
                "media_outlets": (
                    Decimal(found[0]),
                    _("媒体报道登记中已确认的%(n)s家媒体") % {"n": found[0]},
                ),
                "media_reports": (
                    Decimal(found[1]),
                    _("媒体报道登记中已确认的%(n)s篇报道") % {"n": found[1]},
                ),
            }
            if found
            else {}
        )
    return out


@register_suggestions("media")
def media_suggestions(*, campaign_id: int, unit_id: int) -> dict[str, Suggestion]:
    """The unit's confirmed reports only: pending and declined ones are not offered."""
    found = media_counts_many({(campaign_id, unit_id)}).get((campaign_id, unit_id))
    if not found:
        return {}
    source = _("媒体报道登记：%(outlets)s 家媒体，%(reports)s 篇报道") % {
        "outlets": found[0],
        "reports": found[1],
    }
    return {
        "media_outlets": Suggestion(Decimal(found[0]), source),
        "media_reports": Suggestion(Decimal(found[1]), source),
    }
