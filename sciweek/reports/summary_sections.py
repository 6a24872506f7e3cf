"""Sections other domains add to the generated 活动总结 (sciweek.summary), without summary importing them.

The youth contest, the 最美 selection and the enterprise service live in sibling domains that the
summary may not import. Each registers a provider here: ``@register_summary_section("contest",
order=30)`` on ``def f(*, year, root) -> SummarySection | None``, answering for everything below the
unit tree node ``root`` (a unit, a county, a city …) in the campaign year ``year``. A provider with
nothing to say returns None; one that fails is logged and left out (a summary must still draft).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from sciweek.orgs.models import OrgUnit

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SummarySection:
    key: str
    title: str  # a heading, e.g. "青少年科技创新大赛"
    paragraphs: tuple[str, ...]
    # name -> (value, unit of measure): the figures the paragraphs quote, for charts and checks
    figures: dict[str, tuple[Decimal, str]] = field(default_factory=dict)


SectionProvider = Callable[..., SummarySection | None]
_SECTIONS: dict[str, tuple[int, SectionProvider]] = {}


def register_summary_section(key: str, *, order: int = 50) -> Callable[[SectionProvider], SectionProvider]:
    def decorate(fn: SectionProvider) -> SectionProvider:
        _SECTIONS[key] = (order, fn)
        return fn

    return decorate


def unregister_summary_section(key: str) -> None:
    _SECTIONS.pop(key, None)


def summary_sections(*, year: int, root: OrgUnit) -> list[SummarySection]:
    out = []
    for key, (_order, fn) in sorted(_SECTIONS.items(), key=lambda kv: (kv[1][0], kv[0])):
        try:
            section = fn(year=year, root=root)
        except Exception:  # noqa: BLE001 — see the module docstring
            log.exception("summary section %r failed", key)
            continue
        if section is not None and section.paragraphs:
            out.append(section)
    return out
