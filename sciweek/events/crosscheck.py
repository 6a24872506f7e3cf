"""The events app's figures for the statistics table's cross-check (reports.crosscheck).

Only what the system really knows is vouched for: the count of published events once the unit has
any, and participant totals only when every held event of that kind has a recorded figure — a
partial total would flag an honest, higher figure as wrong. Cancelled events count for nothing.

Registered in its batch form: the county dashboard's 40 reports cost two queries, not 80.
"""

from __future__ import annotations

from decimal import Decimal

from sciweek.reports.crosscheck import KnownFigures, register_batch_provider
from sciweek.reports.models import Report

from .figures import unit_event_figures_many


def known(f: dict[str, int] | None) -> KnownFigures:
    if not f or not f["events_held"]:
        return {}
    out: KnownFigures = {
        "events_held": (Decimal(f["events_held"]), f"平台登记并发布的活动{f['events_held']}场")
    }
    if f["offline_events"] and f["offline_events_recorded"] == f["offline_events"]:
        out["public_offline"] = (Decimal(f["public_offline"]), "各场线下活动登记的参与人数（含签到）")
    if f["online_events"] and f["online_events_recorded"] == f["online_events"]:
        out["public_online"] = (Decimal(f["public_online"]), "各场线上活动登记的平台观看人数")
    return out


@register_batch_provider("events")
def event_figures_many(reports: list[Report]) -> dict[int, KnownFigures]:
    figures = unit_event_figures_many((r.campaign_id, r.unit_id) for r in reports)
    return {r.pk: known(figures.get((r.campaign_id, r.unit_id))) for r in reports}


def event_figures(report: Report) -> KnownFigures:
    return event_figures_many([report])[report.pk]
