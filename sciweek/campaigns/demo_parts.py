"""The registry through which each domain adds its part of the built-in demo.

The demo loader (``sciweek.demo``) seeds the tree, the campaign, its activities and deadlines and
the demo accounts, then runs every registered part in order with a ``DemoContext``. A domain
registers its part in its own ``demo.py`` (found by Django's module autodiscovery), so adding a
domain adds its demo without touching the loader or this module's callers.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from sciweek.accounts.services import generate_password, membership_grant, user_create
from sciweek.orgs.models import OrgUnit

from .models import Campaign

DEMO_ACTOR = "演示数据"


@dataclass(frozen=True)
class DemoLogin:
    who: str
    username: str
    password: str


@dataclass
class DemoContext:
    """What the seed built, handed to every part."""

    campaign: Campaign
    county: OrgUnit
    city: OrgUnit
    province: OrgUnit
    units: dict[str, OrgUnit]  # the county's units by the short name the notice uses
    towns: list[OrgUnit]
    societies: list[OrgUnit]
    logins: list[DemoLogin] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)  # what `load_demo` prints after the accounts

    def unit(self, short_name: str) -> OrgUnit:
        return self.units[short_name]

    def add_account(
        self, *, who: str, username: str, display_name: str, grants: list[tuple[OrgUnit, str, OrgUnit | None]]
    ) -> object:
        """A demo account with a one-time password printed once (no forced change: it is a demo)."""
        password = generate_password()
        user = user_create(
            actor=DEMO_ACTOR,
            username=username,
            password=password,
            display_name=display_name,
            must_change_password=False,
        )
        for unit, role, acting in grants:
            membership_grant(actor=DEMO_ACTOR, user=user, unit=unit, role=role, acting_for=acting)
        self.logins.append(DemoLogin(who, username, password))
        return user


Part = Callable[[DemoContext], None]


@dataclass(frozen=True)
class DemoPart:
    name: str
    order: int
    essential: bool  # loaded by the test fixture too, not only by `sciweek load_demo`
    run: Part


_PARTS: dict[str, DemoPart] = {}


def register_demo_part(name: str, *, order: int, essential: bool = False) -> Callable[[Part], Part]:
    """Register ``fn(ctx)`` as the demo part ``name``; parts run by ascending ``order``."""

    def decorate(fn: Part) -> Part:
        _PARTS[name] = DemoPart(name, order, essential, fn)
        return fn

    return decorate


def demo_parts(*, essential_only: bool = False) -> list[DemoPart]:
    parts = sorted(_PARTS.values(), key=lambda p: (p.order, p.name))
    return [p for p in parts if p.essential or not essential_only]
