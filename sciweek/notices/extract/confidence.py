"""How sure the importer is of each field, so the review screen can show the doubtful ones first.

Each score is in [0, 1] and comes with the field's source (``draft.sources`` or the item's own
``source``). The rules are plain and few: a value read from its own labelled heading or line is
surer than one found inside a sentence; a table that had to be rebuilt from flattened text, a notice
whose line breaks were lost, or a field a consistency check complained about lowers the score.
Fields the notice does not give get no score (the screen already marks them as not found).
"""

from __future__ import annotations

import re

from sciweek.orgs.names import looks_like_org

from .draft import NoticeDraft

LOW_CONFIDENCE = 0.7  # below this the review screen highlights the field


def _activity(draft: NoticeDraft, i: int, flat_table: bool) -> float:
    a = draft.activities[i]
    score = 0.92
    if not a.lead_units:
        score -= 0.3
    units = a.lead_units + a.cooperating_units
    if any(not looks_like_org(u) for u in units):
        score -= 0.25  # a cell that slid into the wrong column reads as a date or a place
    if not a.title or len(a.title) > 40 or re.search(r"^\d|[：:]", a.title):
        score -= 0.3
    if a.schedule_announced and a.starts_at is None:
        score -= 0.15
    if a.venue and re.search(r"\d{1,2}\s*月\s*\d{1,2}|^\d{4}[.\-/年]", a.venue):
        score -= 0.25  # a date under 地点: the columns were read in the wrong order
    if flat_table and not a.content:
        score -= 0.1
    return score


def score_fields(draft: NoticeDraft, *, flattened: bool, flat_tables: bool) -> dict[str, float]:
    c: dict[str, float] = {}
    src = draft.sources
    if draft.title:
        c["title"] = 0.95 if re.search(r"(?:通知|方案|意见)$", draft.title) else 0.65
    if draft.doc_number:
        c["doc_number"] = 0.95 if src.get("doc_number") == draft.doc_number else 0.8
    if draft.issue_date:
        c["issue_date"] = 0.95 if "：" not in src.get("issue_date", "") else 0.75
    if draft.start_date and draft.end_date:
        ok = draft.start_date <= draft.end_date and (draft.end_date - draft.start_date).days <= 62
        c["start_date"] = c["end_date"] = (
            (0.92 if len(src.get("start_date", "")) < 40 else 0.8) if ok else 0.4
        )
    if draft.theme:
        c["theme"] = 0.9 if len(draft.theme) <= 30 else 0.6
    if draft.issuers:
        c["issuers"] = 0.9 if all(looks_like_org(n) for n in draft.issuers) else 0.6
    if draft.references:
        c["references"] = 0.9
    for i, _ in enumerate(draft.activities):
        c[f"activities[{i}]"] = _activity(draft, i, flat_tables)
    for i, d in enumerate(draft.deadlines):
        c[f"deadlines[{i}]"] = 0.9 if d.kind != "other" else 0.65
    contact = draft.contact
    if contact.person or contact.phone or contact.email:
        c["contact"] = 0.9 if contact.person and (contact.phone or contact.email) else 0.6
    if draft.stat_form.rows:
        inferred = sum(1 for r in draft.stat_form.rows if r.unit is None)
        c["stat_form"] = 0.9 if not inferred else 0.65
    if flattened:
        c = {k: v * 0.85 for k, v in c.items()}
    for w in draft.warnings:
        if w.severity == "warning" and w.field in c:
            c[w.field] = min(c[w.field], 0.5)
    return {k: round(max(0.0, min(1.0, v)), 2) for k, v in c.items()}


def low_fields(confidence: dict[str, float], threshold: float = LOW_CONFIDENCE) -> list[str]:
    return [k for k, v in confidence.items() if v < threshold]
