"""Figures the system already knows, set beside what a unit typed into its statistics table.

Other apps register providers: the events app can count a unit's approved events of the week, the
media registry its reports, check-ins the offline participants. A provider receives a report and
returns ``{row_code: (value, source label)}`` for the rows it can vouch for. None is registered by
the reports app itself: nothing it holds is an independent source.

A figure "disagrees widely" with the entered value when they differ by more than 50 % of the known
figure and by more than 5 in absolute terms (small counts differ by one or two for honest reasons).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal

from .models import Report

log = logging.getLogger(__name__)

KnownFigures = dict[str, tuple[Decimal, str]]
Provider = Callable[[Report], KnownFigures]
BatchProvider = Callable[[list[Report]], dict[int, KnownFigures]]
_PROVIDERS: dict[str, Provider] = {}
_BATCH: dict[str, BatchProvider] = {}
# Providers whose figures count things no other provider counts (commissioners' service logs not tied to
# an event): added to the row's figure from the others instead of losing to the first.
_ADDITIVE: set[str] = set()

RELATIVE_LIMIT = Decimal("0.5")
ABSOLUTE_LIMIT = Decimal(5)


def register_provider(name: str) -> Callable[[Provider], Provider]:
    """Decorator: ``@register_provider("events")`` on ``def f(report) -> {code: (value, label)}``."""

    def decorate(fn: Provider) -> Provider:
        _PROVIDERS[name] = fn
        return fn

    return decorate


def register_batch_provider(name: str, *, additive: bool = False) -> Callable[[BatchProvider], BatchProvider]:
    """The same for many reports at once (the dashboard's 40 units in a few queries, not 40 × a few):
    ``@register_batch_provider("events")`` on ``def f(reports) -> {report id: {code: (value, label)}}``.
    A provider registered both ways under one name is used in its batch form for lists. An ``additive``
    provider's figures are added to those of the others for the same row (disjoint sources)."""

    def decorate(fn: BatchProvider) -> BatchProvider:
        _BATCH[name] = fn
        if additive:
            _ADDITIVE.add(name)
        return fn

    return decorate


def unregister_provider(name: str) -> None:
    _PROVIDERS.pop(name, None)
    _BATCH.pop(name, None)
    _ADDITIVE.discard(name)


def has_providers() -> bool:
    return bool(_PROVIDERS or _BATCH)


def known_figures(report: Report) -> KnownFigures:
    """Every registered provider's figures for ``report``; when two vouch for one row, the first wins.

    A provider that fails is logged and skipped: a cross-check must never stop a page from showing."""
    return known_figures_many([report]).get(report.pk, {})


def known_figures_many(reports: list[Report]) -> dict[int, KnownFigures]:
    out: dict[int, KnownFigures] = {r.pk: {} for r in reports}
    extra: dict[int, KnownFigures] = {}
    names = list(dict.fromkeys([*_PROVIDERS, *_BATCH]))
    for name in names:
        try:
            if name in _BATCH:
                found = _BATCH[name](reports) or {}
            else:
                found = {r.pk: _PROVIDERS[name](r) or {} for r in reports}
        except Exception:  # noqa: BLE001 — see docstring
            log.exception("cross-check provider %r failed", name)
            continue
        for report_id, figures in found.items():
            mine = (extra if name in _ADDITIVE else out).setdefault(report_id, {})
            for code, (value, label) in figures.items():
                mine.setdefault(code, (Decimal(value), str(label)))
    for report_id, figures in extra.items():
        mine = out.setdefault(report_id, {})
        for code, (value, label) in figures.items():
            if code in mine:
                mine[code] = (mine[code][0] + value, f"{mine[code][1]}；{label}")
            else:
                mine[code] = (value, label)
    return out


def disagrees(entered: Decimal | None, known: Decimal) -> bool:
    """More than 5 apart and more than 50 % of the known figure apart (any gap over 5 from a known 0)."""
    entered = entered or Decimal(0)
    diff = abs(entered - known)
    if diff <= ABSOLUTE_LIMIT:
        return False
    return known == 0 or diff / abs(known) > RELATIVE_LIMIT


@dataclass(frozen=True)
class Check:
    row_code: str
    label: str
    entered: Decimal | None
    known: Decimal
    source: str
    warn: bool

    @property
    def message(self) -> str:
        shown = "未填" if self.entered is None else f"{self.entered.normalize():f}"
        text = f"「{self.label}」填报 {shown}，系统记录 {self.known.normalize():f}（{self.source}）"
        return text + ("，相差较大，请核实" if self.warn else "")


def crosscheck(
    report: Report,
    values: dict[str, Decimal | str],
    labels: dict[str, str],
    known: KnownFigures | None = None,
) -> list[Check]:
    """The known figures of ``report`` beside its entered ``values`` (strings like "—" count as blank)."""
    checks = []
    for code, (figure, source) in (known_figures(report) if known is None else known).items():
        raw = values.get(code)
        entered = raw if isinstance(raw, Decimal) else None
        checks.append(
            Check(code, labels.get(code, code), entered, figure, source, disagrees(entered, figure))
        )
    order = list(labels)
    checks.sort(key=lambda c: order.index(c.row_code) if c.row_code in order else len(order))
    return checks


def crosscheck_many(
    reports: Iterable[tuple[Report, dict[str, Decimal | str]]], labels: dict[str, str]
) -> dict[int, list[Check]]:
    """{report id: checks}; costs nothing when no provider is registered."""
    if not has_providers():
        return {}
    pairs = list(reports)
    known = known_figures_many([report for report, _ in pairs])
    return {
        report.pk: crosscheck(report, values, labels, known.get(report.pk, {})) for report, values in pairs
    }
