"""The county's rows onto the city's form: by row code, else by label (spaces, brackets and units
ignored), else by an alias either form knows. What is left unmatched is listed on the mapping page."""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal

from sciweek.reports.formspec import FormSpec

_NOISE = re.compile(r"[\s（）()【】\[\]:：、，,.。/]|单位|万元|数量")


def norm(label: str) -> str:
    return _NOISE.sub("", unicodedata.normalize("NFKC", label or ""))


def map_rows(source: FormSpec, target: FormSpec) -> list[dict[str, str]]:
    """One entry per target row: {target_code, target_label, source_code, source_label, how}; how is
    code / label / alias / none. Then one entry per source row nothing took (target_code "")."""
    by_code = {r.code: r for r in source.rows}
    by_label = {norm(r.label): r for r in source.rows}
    by_alias = {norm(a): r for r in source.rows for a in r.aliases}
    taken: set[str] = set()
    out = []
    for t in target.rows:
        s, how = by_code.get(t.code), "code"
        if s is None or s.code in taken:
            s, how = by_label.get(norm(t.label)), "label"
        if s is None or s.code in taken:
            s = by_alias.get(norm(t.label)) or next(
                (by_label[norm(a)] for a in t.aliases if norm(a) in by_label), None
            )
            how = "alias"
        if s is None or s.code in taken:
            out.append(
                {
                    "target_code": t.code,
                    "target_label": t.label,
                    "source_code": "",
                    "source_label": "",
                    "how": "none",
                }
            )
            continue
        taken.add(s.code)
        out.append(
            {
                "target_code": t.code,
                "target_label": t.label,
                "source_code": s.code,
                "source_label": s.label,
                "how": how,
            }
        )
    out += [
        {"target_code": "", "target_label": "", "source_code": s.code, "source_label": s.label, "how": "none"}
        for s in source.rows
        if s.code not in taken
    ]
    return out


def mapped_table(mapping: list[dict[str, str]], totals: dict[str, Decimal]) -> dict[str, str]:
    from .data import num

    return {
        m["target_code"]: num(totals[m["source_code"]])
        for m in mapping
        if m["target_code"] and m["source_code"] and m["source_code"] in totals
    }


def differs(mapping: list[dict[str, str]]) -> bool:
    return any(m["how"] != "code" for m in mapping)
