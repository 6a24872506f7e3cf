"""The innovation records' figures for the statistics table's cross-check (reports.crosscheck).

Additive: events vouch for their own activities and public; service logs tied to an event are left
out here, so what is added never counts one activity twice.
"""

from __future__ import annotations

from decimal import Decimal

from sciweek.reports.crosscheck import KnownFigures, register_batch_provider
from sciweek.reports.models import Report

from .figures import unit_service_figures_many


def known(f: dict[str, int] | None) -> KnownFigures:
    if not f or not f["person_times"]:
        return {}
    out: KnownFigures = {
        "staff_scientists": (Decimal(f["commissioners"]), f"到本单位服务的科技特派员{f['commissioners']}人")
    }
    if f["activities"]:
        out["events_held"] = (
            Decimal(f["activities"]),
            f"科技特派员送技下乡{f['activities']}次（未关联活动的）",
        )
        out["public_offline"] = (Decimal(f["people_offline"]), "送技下乡现场服务人数")
    return out


@register_batch_provider("innovation", additive=True)
def service_figures_many(reports: list[Report]) -> dict[int, KnownFigures]:
    figures = unit_service_figures_many((r.campaign_id, r.unit_id) for r in reports)
    return {r.pk: known(figures.get((r.campaign_id, r.unit_id))) for r in reports}
