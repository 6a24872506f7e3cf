"""Loads the demo: the seed, then every domain's registered part, in one transaction."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from django.db import transaction
from django.utils.module_loading import autodiscover_modules

from sciweek.campaigns.demo_parts import DemoContext, DemoLogin, demo_parts
from sciweek.campaigns.models import Campaign
from sciweek.core import clock
from sciweek.orgs.models import OrgUnit

from . import phases
from .seed import seed_demo


@dataclass(frozen=True)
class DemoLoad:
    context: DemoContext
    parts: list[str]

    @property
    def logins(self) -> list[DemoLogin]:
        return self.context.logins

    @property
    def campaign(self) -> Campaign:
        return self.context.campaign


def demo_exists() -> bool:
    return OrgUnit.objects.exists() or Campaign.objects.exists()


@transaction.atomic
def load_demo(*, full: bool = True, only: Collection[str] | None = None) -> DemoLoad:
    """Seed the demo and run the domains' parts; ``full=False`` runs only the essential parts (the
    statistics form), as the tests' ``demo`` fixture does, so tests start from a quiet campaign;
    ``only``: the essential parts and these (a test of one part's phase hook loads no more)."""
    autodiscover_modules("demo")  # each domain's demo.py registers its part on import
    ctx = seed_demo()
    parts = [p for p in demo_parts(essential_only=not full) if only is None or p.essential or p.name in only]
    for part in parts:
        part.run(ctx)
    # Then the parts' time-dependent records are put in the state of the phase the clock is in (the real
    # time, outside demo mode, is after the 2023 week: 结束后).
    names = [p.name for p in parts]
    phases.record_load(campaign=ctx.campaign, parts=names)
    phases.bring_data_to(phases.phase_at(clock.now()))
    return DemoLoad(ctx, names)
