"""``{% row_suggestion report rv as sg %}``: the suggested value of one row on the entry page (reports.suggestions).

The providers are asked once per page: the answer is kept on the report object the page renders."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import template

from ..crosscheck import disagrees
from ..formspec import format_value
from ..suggestions import Suggestion, suggestions_for

register = template.Library()
_CACHE = "_sw_suggestions"


@dataclass(frozen=True)
class ShownSuggestion:
    suggestion: Suggestion
    text: str  # the value as the input would show it
    adopted: bool  # the input already holds it
    warn: bool  # the typed figure is far from it (the cross-check's rule)

    @property
    def source(self) -> str:
        return self.suggestion.source


@register.simple_tag
def row_suggestion(report: Any, rv: Any) -> ShownSuggestion | None:
    found = getattr(report, _CACHE, None)
    if found is None:
        found = suggestions_for(report)
        setattr(report, _CACHE, found)
    suggestion = found.get(rv.code)
    if suggestion is None:
        return None
    entered = rv.cell.value
    return ShownSuggestion(
        suggestion,
        format_value(suggestion.value, rv.row.to_spec()),
        entered is not None and entered == suggestion.value,
        entered is not None and disagrees(entered, suggestion.value),
    )
