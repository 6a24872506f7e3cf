"""The registry through which each domain adds its part of the built-in demo.

The demo loader (``sciweek.demo``) seeds the tree, the campaign, its activities and deadlines and
the demo accounts, then runs every registered part in order with a ``DemoContext``. A domain
registers its part in its own ``demo.py`` (found by Django's module autodiscovery), so adding a
domain adds its demo without touching the loader or this module's callers.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

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
        password = generate_password(username=username, display_name=display_name)
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


# ---------------------------------------------------------------------------------------------------
# Phase hooks: the demo's data moves with the demo clock.
#
# A part that has time-dependent data (reports submitted on 5月27日, an event's outcome recorded when it
# ended) registers a hook beside it. After a jump to a named phase (``sciweek.demo.phases.jump``) and
# once at load, every hook is called with the phase and its moment and brings its part's own records to
# the state they have at that moment, forward or backward, idempotently (a second call changes nothing).
# The registry lives here, below the domains, for the same reason the parts' registry does: a domain
# may not import ``sciweek.demo``.


@dataclass(frozen=True)
class PhaseChange:
    """What a hook is told: the demo campaign, the phase's key ("prepare", "week", …) and its moment."""

    campaign: Campaign
    phase: str
    at: datetime


PhaseHook = Callable[[PhaseChange], None]
_PHASE_HOOKS: dict[str, PhaseHook] = {}


def register_demo_phase(part: str) -> Callable[[PhaseHook], PhaseHook]:
    """Register ``fn(change)`` as the phase hook of the demo part named ``part``; hooks run in the
    parts' order, and only for parts that were loaded (the tests' quiet demo loads the essential ones)."""

    def decorate(fn: PhaseHook) -> PhaseHook:
        _PHASE_HOOKS[part] = fn
        return fn

    return decorate


def demo_phase_hooks(parts: list[str]) -> list[tuple[str, PhaseHook]]:
    """The hooks of the named parts (those the demo loaded), in the parts' order."""
    return [
        (p.name, _PHASE_HOOKS[p.name]) for p in demo_parts() if p.name in parts and p.name in _PHASE_HOOKS
    ]
