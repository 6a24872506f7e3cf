"""Charts on the campaign page (ECharts, drawn by static/sciweek/charts.js from embedded JSON).

Domains above campaigns register what they can chart: ``register_chart`` for whole charts (events by
category, audience, mode, day; participation by day), ``register_completion`` for the moments units
completed a requirement of a kind, from which this module draws completion over time before each
deadline.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import asdict, dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from sciweek.core import clock

from .models import Campaign, Requirement


@dataclass
class Chart:
    id: str
    title: str
    kind: str  # "bar", "hbar", "line", "pie"
    categories: list[str]
    series: list[dict] = field(default_factory=list)  # [{"name": ..., "data": [...]}]
    unit: str = ""  # what the numbers count, shown on the axis

    def as_json(self) -> dict:
        return asdict(self)


ChartProvider = Callable[[Campaign], list[Chart]]
CompletionProvider = Callable[[Requirement], list[dt.datetime]]
_CHARTS: dict[str, ChartProvider] = {}
_COMPLETION: dict[str, CompletionProvider] = {}


def register_chart(name: str) -> Callable[[ChartProvider], ChartProvider]:
    def decorate(fn: ChartProvider) -> ChartProvider:
        _CHARTS[name] = fn
        return fn

    return decorate


def register_completion(kind: str) -> Callable[[CompletionProvider], CompletionProvider]:
    def decorate(fn: CompletionProvider) -> CompletionProvider:
        _COMPLETION[kind] = fn
        return fn

    return decorate


def completion_chart(campaign: Campaign, days: int = 14) -> Chart | None:
    """Units done per day in the two weeks before each deadline, cumulative, one line per requirement."""
    reqs = [
        r
        for r in campaign.requirements.prefetch_related("applies_to").order_by("due_at")
        if r.kind in _COMPLETION
    ]
    if not reqs:
        return None
    end = max(timezone.localtime(r.due_at).date() for r in reqs)
    end = min(end, max(clock.localdate(), min(timezone.localtime(r.due_at).date() for r in reqs)))
    start = min(timezone.localtime(r.due_at).date() for r in reqs) - dt.timedelta(days=days)
    span = [start + dt.timedelta(days=i) for i in range((end - start).days + 1)]
    series = []
    expected = len(list(campaign.participating_units()))
    for r in reqs:
        done_days = sorted(timezone.localtime(t).date() for t in _COMPLETION[r.kind](r))
        total = r.applies_to.count() or expected
        series.append(
            {
                "name": f"{r.title[:14]}（{total}家）",
                "data": [sum(1 for d in done_days if d <= day) for day in span],
                "due": timezone.localtime(r.due_at).strftime("%-m月%-d日"),
            }
        )
    return Chart(
        "completion", _("截止前的完成情况"), "line", [f"{d:%-m月%-d日}" for d in span], series, _("家")
    )


def campaign_charts(campaign: Campaign) -> list[dict]:
    charts: list[Chart] = []
    for provider in _CHARTS.values():
        charts += provider(campaign)
    done = completion_chart(campaign)
    if done is not None:
        charts.append(done)
    return [c.as_json() for c in charts]
