"""The organizer's to-do for a campaign (the /manage/ landing): overdue units per requirement, and what
other domains say waits for the bureau (reports and events to review, ...), each with a link.

Domains above campaigns register a provider with ``register_todo``; it returns zero or more items.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext as _

from sciweek.core import clock

from .compliance import unit_compliance
from .models import Campaign


@dataclass(frozen=True)
class TodoItem:
    title: str
    count: int
    url: str
    detail: str = ""
    tone: str = "warning"  # "danger" for what is overdue
    order: int = 50


Provider = Callable[[Campaign], list[TodoItem]]
_PROVIDERS: dict[str, Provider] = {}


def register_todo(name: str) -> Callable[[Provider], Provider]:
    def decorate(fn: Provider) -> Provider:
        _PROVIDERS[name] = fn
        return fn

    return decorate


def current_campaign(campaigns: list[Campaign]) -> Campaign | None:
    """The campaign the organizer is working on: the one whose week is nearest today (by the clock),
    preferring published over draft."""
    if not campaigns:
        return None
    today = clock.localdate()

    def distance(c: Campaign) -> tuple[int, int]:
        if c.start_date <= today <= c.end_date:
            days = 0
        else:
            days = min(abs((c.start_date - today).days), abs((today - c.end_date).days))
        return (c.status == Campaign.Status.DRAFT, days)

    return min(campaigns, key=distance)


def overdue_items(campaign: Campaign) -> list[TodoItem]:
    """Per requirement whose deadline has passed: the units that have not done it."""
    now = clock.now()
    units = list(campaign.participating_units())
    items = []
    for req in campaign.requirements.prefetch_related("applies_to").order_by("due_at"):
        applies = [u for u in units if req.applies_to_unit(u)]
        missing = [u for u in applies if not unit_compliance(req, u).done]
        if not missing:
            continue
        base = reverse("campaigns:dashboard", args=[campaign.pk])
        if req.due_at <= now:
            items.append(
                TodoItem(
                    _("已逾期：%(title)s") % {"title": req.title},
                    len(missing),
                    f"{base}?show=overdue#matrix",
                    detail=_("%(n)s家单位（共%(total)s家）尚未完成")
                    % {"n": len(missing), "total": len(applies)},
                    tone="danger",
                    order=10,
                )
            )
        elif (req.due_at - now).days < 3:
            items.append(
                TodoItem(
                    _("即将截止：%(title)s") % {"title": req.title},
                    len(missing),
                    f"{base}?show=todo#matrix",
                    detail=_("%(n)s家单位尚未完成") % {"n": len(missing)},
                    order=20,
                )
            )
    return items


def campaign_todo(campaign: Campaign) -> list[TodoItem]:
    items = overdue_items(campaign)
    for provider in _PROVIDERS.values():
        items += [i for i in provider(campaign) if i.count]
    return sorted(items, key=lambda i: i.order)
