"""Reads for the pages, the API and the command."""

from __future__ import annotations

from collections.abc import Sequence

from .models import Occurrence
from .planning import Planned


def unclaimed(planned: Sequence[Planned]) -> list[Planned]:
    """The planned occurrences nobody claimed yet (what a run now would send)."""
    if not planned:
        return []
    have = set(
        Occurrence.objects.filter(
            requirement_id__in={p.requirement_id for p in planned}, slot__in={p.slot for p in planned}
        ).values_list("requirement_id", "unit_id", "user_id", "channel", "slot")
    )
    seen: set = set()
    out = []
    for p in planned:
        if p.key not in have and p.key not in seen:
            seen.add(p.key)
            out.append(p)
    return out
