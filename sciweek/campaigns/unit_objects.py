"""Objects that domains above campaigns keep per unit and campaign (a unit's report, ...).

The unit's campaign page links to them without importing those domains: each domain registers a
provider that maps campaign ids to the id of its object for one unit.
"""

from __future__ import annotations

from collections.abc import Callable

from sciweek.orgs.models import OrgUnit

Provider = Callable[[OrgUnit, list[int]], dict[int, int]]
_PROVIDERS: dict[str, Provider] = {}


def register_unit_object(name: str) -> Callable[[Provider], Provider]:
    def decorate(fn: Provider) -> Provider:
        _PROVIDERS[name] = fn
        return fn

    return decorate


def unit_object_ids(name: str, unit: OrgUnit, campaign_ids: list[int]) -> dict[int, int]:
    """{campaign id: object id} for the unit, or {} when no domain provides that name."""
    provider = _PROVIDERS.get(name)
    return provider(unit, campaign_ids) if provider else {}
