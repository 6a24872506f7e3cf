"""Non-trivial reads about campaigns."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet

from sciweek.orgs.models import OrgUnit

from .compliance import Compliance, countdown, unit_compliance
from .models import Campaign, MainActivity, Requirement


def current_public_campaign() -> Campaign | None:
    """The newest campaign that is not a draft (the portal's front page and calendar).

    One install holds a county's campaign and the city's of the same week (the county sends its result
    up into it) with the same dates: among those, the one with the most published events (what a
    visitor comes for), then the most local unit, then the first created — never the database's whim.
    """
    return (
        Campaign.objects.exclude(status=Campaign.Status.DRAFT)
        .select_related("org_unit")
        .annotate(published_events=Count("events", filter=Q(events__status="approved")))
        .order_by("-year", "-start_date", "-published_events", "-org_unit__depth", "pk")
        .first()
    )


def activities_with_units(campaign: Campaign) -> QuerySet[MainActivity]:
    return campaign.activities.prefetch_related(
        Prefetch("lead_units", queryset=OrgUnit.objects.only("id", "name", "short_name")),
        Prefetch("cooperating_units", queryset=OrgUnit.objects.only("id", "name", "short_name")),
    )


@dataclass
class UnitDeadline:
    requirement: Requirement
    state: Compliance
    countdown: str


def unit_deadlines(campaign: Campaign, unit: OrgUnit) -> list[UnitDeadline]:
    rows = []
    for req in campaign.requirements.prefetch_related("applies_to"):
        if req.applies_to_unit(unit):
            rows.append(UnitDeadline(req, unit_compliance(req, unit), countdown(req)))
    return rows


def campaigns_for_unit(unit: OrgUnit) -> QuerySet[Campaign]:
    """Campaigns run by any region above (or at) the unit."""
    paths = [unit.path[:i] for i in range(OrgUnit.steplen, len(unit.path) + 1, OrgUnit.steplen)]
    return Campaign.objects.filter(org_unit__path__in=paths).exclude(status=Campaign.Status.DRAFT)


def unit_roles_in(activities: list[MainActivity], unit: OrgUnit) -> list[tuple[MainActivity, str]]:
    out = []
    for a in activities:
        if any(u.pk == unit.pk for u in a.lead_units.all()):
            out.append((a, "lead"))
        elif any(u.pk == unit.pk for u in a.cooperating_units.all()):
            out.append((a, "cooperate"))
        else:
            out.append((a, ""))
    return out
