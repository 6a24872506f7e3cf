"""Field accuracy of an ``import-notice --json`` draft against the expected JSON written by hand.

Every key of the schema that a reviewer would correct counts alike (weight 1 each, see SCORED_KEYS),
whether the notice fills it or leaves it empty: a field the notice does not have must come out empty.
Keys left out are bookkeeping, not extracted content: ``warnings``, ``sources``, ``confidence``,
``metadata`` (the web page's info bar, copied as is), ``content_theme_items`` (the same items as
``content_themes`` with their bodies) and ``issuer_short_names`` / ``leading_group`` (scored by the
seed's own test).

A scalar is right or wrong. A list of names scores its F1 (order does not matter). A list of records
(activities, deadlines, references, contacts, statistics rows) aligns each expected record with the best
unused extracted one (best pairs first); a record scores the share of its sub-fields that are right, and the list's score is
the sum of record scores over the longer of the two lists, so both a missed and an invented record cost.
"""

from __future__ import annotations

from typing import Any

SCORED_KEYS = (
    "title",
    "kind",
    "year",
    "doc_number",
    "issue_date",
    "issuers",
    "addressees",
    "references",
    "start_date",
    "end_date",
    "theme",
    "content_themes",
    "activities",
    "deadlines",
    "min_activities_per_unit",
    "target_activities_per_unit",
    "max_video_minutes",
    "contact",
    "contacts",
    "stat_form",
)
RECORD_FIELDS = {
    "activities": (
        "number",
        "title",
        "lead_units",
        "cooperating_units",
        "starts_at",
        "venue",
        "schedule_announced",
    ),
    "deadlines": ("due", "kind"),
    "references": ("title", "doc_number"),
    "contacts": ("person", "phone", "email"),
    "rows": ("section", "label", "unit"),
}
LIST_KEYS = {"issuers", "addressees", "content_themes", "lead_units", "cooperating_units"}


def _norm(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


def _names(expected: list[str], actual: list[str]) -> float:
    if not expected and not actual:
        return 1.0
    exp, act = [_norm(x) for x in expected], [_norm(x) for x in actual or []]
    hit = 0
    pool = list(act)
    for name in exp:
        if name in pool:
            pool.remove(name)
            hit += 1
    return 2 * hit / (len(exp) + len(act)) if exp or act else 1.0


def _field(name: str, expected: Any, actual: Any) -> float:
    if name in LIST_KEYS:
        return _names(expected or [], actual or [])
    return 1.0 if _norm(expected) == _norm(actual) else 0.0


def _record(fields: tuple[str, ...], expected: dict[str, Any], actual: dict[str, Any]) -> float:
    return sum(_field(f, expected.get(f), actual.get(f)) for f in fields) / len(fields)


def _records(fields: tuple[str, ...], expected: list[dict[str, Any]], actual: list[dict[str, Any]]) -> float:
    """Pairs taken best first (a global greedy alignment), each record used once."""
    actual = actual or []
    if not expected and not actual:
        return 1.0
    pairs = sorted(
        ((_record(fields, e, a), i, j) for i, e in enumerate(expected) for j, a in enumerate(actual)),
        reverse=True,
    )
    used_e: set[int] = set()
    used_a: set[int] = set()
    total = 0.0
    for value, i, j in pairs:
        if i in used_e or j in used_a:
            continue
        used_e.add(i)
        used_a.add(j)
        total += value
    return total / max(len(expected), len(actual))


def score_key(key: str, expected: Any, actual: Any) -> float:
    if key in RECORD_FIELDS:
        return _records(RECORD_FIELDS[key], expected or [], actual or [])
    if key == "contact":
        return _record(RECORD_FIELDS["contacts"], expected or {}, actual or {})
    if key == "stat_form":
        expected, actual = expected or {}, actual or {}
        title = 1.0 if _norm(expected.get("title")) == _norm(actual.get("title")) else 0.0
        return (
            title + _records(RECORD_FIELDS["rows"], expected.get("rows") or [], actual.get("rows") or [])
        ) / 2
    return _field(key, expected, actual)


def score(expected: dict[str, Any], actual: dict[str, Any]) -> tuple[float, dict[str, float]]:
    """(overall, per-key) accuracy of ``actual`` (a draft's JSON) against ``expected``."""
    per_key = {key: score_key(key, expected.get(key), actual.get(key)) for key in SCORED_KEYS}
    return sum(per_key.values()) / len(per_key), per_key


def expect(**fields: Any) -> dict[str, Any]:
    """Expected JSON with the schema's empty values for every key the notice does not fill."""
    empty: dict[str, Any] = {key: None for key in SCORED_KEYS}
    empty.update(
        kind="notice",
        issuers=[],
        addressees=[],
        references=[],
        content_themes=[],
        activities=[],
        deadlines=[],
        contacts=[],
        contact={"person": None, "phone": None, "email": None},
        stat_form={"title": None, "rows": []},
    )
    empty.update(fields)
    if fields.get("contacts") and "contact" not in fields:
        empty["contact"] = fields["contacts"][0]
    return empty


def activity(
    number: int | None,
    title: str,
    lead: list[str],
    coop: list[str] | None = None,
    starts_at: str | None = None,
    venue: str | None = None,
    announced: bool | None = None,
) -> dict[str, Any]:
    return {
        "number": number,
        "title": title,
        "lead_units": lead,
        "cooperating_units": coop or [],
        "starts_at": starts_at,
        "venue": venue,
        "schedule_announced": bool(starts_at or venue) if announced is None else announced,
    }


def person(name: str | None, phone: str | None = None, email: str | None = None) -> dict[str, Any]:
    return {"person": name, "phone": phone, "email": email}
