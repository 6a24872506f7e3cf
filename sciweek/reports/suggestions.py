"""Suggested values: a figure another part of the system already holds, offered beside a row's input.

Where ``crosscheck`` sets a known figure beside what a unit typed (for the bureau), a suggestion is
offered to the unit itself while it fills its table: "媒体报道登记：3 家媒体，7 篇报道 [采用]". One
click (or, without JavaScript, the same button posting the form) puts the value into the input; the
unit may still type another figure, which the cross-check then judges.

A domain registers a provider::

    from sciweek.reports.suggestions import Suggestion, register_suggestions

    @register_suggestions("media")
    def media_suggestions(*, campaign_id: int, unit_id: int) -> dict[str, Suggestion]:
        return {"media_outlets": Suggestion(Decimal(3), "媒体报道登记：3 家媒体，7 篇报道")}

The keys are row codes of the statistics form; a key that is no code of the report's form is tried as
a row label (a campaign whose form was imported with other codes). A provider answers only for rows it
can vouch for and only for the unit asked about. When two providers answer for one row the first
registered wins. A provider that fails is logged and skipped: a suggestion never stops the page.

Rows no provider answers for are offered the cross-check's known figure (``crosscheck.known_figures``):
the unit's approved events for 举办活动次数 and its participants, plus what the enterprise service's
commissioners did for it that no event counts (additive) — the same figure the bureau will see beside
what the unit types, so adopting it never raises a cross-check warning.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from .crosscheck import known_figures
from .models import Report

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Suggestion:
    value: Decimal
    source: str  # short and already translated: where the figure comes from, shown beside the input


SuggestionProvider = Callable[..., dict[str, Suggestion]]
_PROVIDERS: dict[str, SuggestionProvider] = {}


def register_suggestions(name: str) -> Callable[[SuggestionProvider], SuggestionProvider]:
    """Decorator: ``@register_suggestions("media")`` on ``def f(*, campaign_id, unit_id) -> {code: Suggestion}``."""

    def decorate(fn: SuggestionProvider) -> SuggestionProvider:
        _PROVIDERS[name] = fn
        return fn

    return decorate


def unregister_suggestions(name: str) -> None:
    _PROVIDERS.pop(name, None)


def suggestions_for(report: Report) -> dict[str, Suggestion]:
    """{row code: suggestion} for ``report``'s unit and campaign, keyed by the codes of its form."""
    rows = list(report.form.rows.values_list("code", "label"))
    codes = {code for code, _ in rows}
    by_label = {label: code for code, label in rows}
    out: dict[str, Suggestion] = {}
    for name, provider in _PROVIDERS.items():
        try:
            found = provider(campaign_id=report.campaign_id, unit_id=report.unit_id) or {}
        except Exception:  # noqa: BLE001 — see the module's docstring
            log.exception("suggestion provider %r failed", name)
            continue
        for key, suggestion in found.items():
            code = key if key in codes else by_label.get(key)
            if code is not None:
                out.setdefault(code, Suggestion(Decimal(suggestion.value), str(suggestion.source)))
    if report.pk is not None:
        for key, (value, source) in known_figures(report).items():
            code = key if key in codes else by_label.get(key)
            if code is not None:
                out.setdefault(code, Suggestion(Decimal(value), source))
    return out


def suggestion_for(report: Report, code: str) -> Suggestion | None:
    return suggestions_for(report).get(code)
