"""Statistics tables that units sent by e-mail: read them, match each sheet to its unit, preview, commit.

``import_read`` turns files into a JSON-able preview (every problem by file, sheet and cell; every
value as read). ``import_plan`` sets that preview beside what is stored now: the values that would
change (current → new) and everything that blocks a commit. ``import_commit`` (import_commit.py)
writes all of it in one transaction or nothing: it refuses while any file has an error, a sheet has
no unit, two sheets name the same unit, an approved (locked) report would be overwritten without the
organizer's consent, or a report changed since the preview was shown.

A committed table counts as the unit's submission by e-mail: a draft, returned or waiting report
becomes 已提交 on the day the e-mail was received; a submitted one stays submitted; an approved one
stays approved (its values are replaced only with consent).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from sciweek.campaigns.models import Campaign
from sciweek.orgs.matching import UnitIndex
from sciweek.orgs.models import OrgUnit, normalize_name

from .excel import read_stat_files
from .formspec import FormSpec
from .models import FormRow, Report
from .validation import Cell, check_cell, display

Progress = Callable[[int, int, str], None]
_SEAL_RE = re.compile(r"[（(]\s*(?:盖章|公章|签章|章)\s*[)）]|盖章|公章")
_LABEL_RE = re.compile(r"^\s*(?:填报)?单位(?:名称)?\s*[：:]")  # the cell's own label, when it came along


# ---------------------------------------------------------------------------------------------
# Matching a sheet's 单位（盖章） text to a participating unit


class UnitMatcher:
    """A sheet's 单位（盖章） text → one participating unit of the campaign.

    Built once per import: the region's units and aliases are loaded once by the notice import's
    UnitIndex (full name, short name, alias, 县… → 泗县…, either name of 甲（乙）), so a sheet costs no
    query. A collective name (各镇（街道）) or a name several units share matches no single unit: the
    organizer picks one on the preview.
    """

    def __init__(self, campaign: Campaign) -> None:
        self.campaign = campaign
        self.index = UnitIndex(campaign.org_unit)
        participating = set(campaign.participating_units().values_list("pk", flat=True))
        self.units = {pk: u for pk, u in self.index.by_id.items() if pk in participating}
        names: dict[int, set[str]] = {
            pk: {normalize_name(u.name)} | ({normalize_name(u.short_name)} if u.short_name else set())
            for pk, u in self.units.items()
        }
        for key, units in self.index.by_alias.items():
            for unit in units:
                if unit.pk in names:
                    names[unit.pk].add(key)
        self.names = names
        # "安徽省宿州市泗县" may stand before a unit's name; any other place name may not (灵璧县气象局 is
        # not 泗县's 县气象局). The units' own words come first so that "泗县" is removed whole.
        region = campaign.org_unit
        self.place_names = sorted(
            {
                normalize_name(n)
                for u in [*region.get_ancestors(), region]
                for n in (u.name, u.short_name)
                if n
            },
            key=len,
            reverse=True,
        )
        self._cache: dict[str, OrgUnit | None] = {}

    def match(self, text: str | None) -> OrgUnit | None:
        text = _LABEL_RE.sub("", _SEAL_RE.sub("", text or "")).strip(" ：:_")
        if not text:
            return None
        if text not in self._cache:
            self._cache[text] = self._match(text)
        return self._cache[text]

    def _match(self, text: str) -> OrgUnit | None:
        found = self.index.match(text)
        if len(found.units) == 1 and found.units[0].pk in self.units:
            return self.units[found.units[0].pk]
        if found.how == "ambiguous":
            return None
        # "泗县气象局（2023年5月30日）", "气象局": one unit whose name holds the text or is held by it
        key = normalize_name(text)
        if len(key) < 2:
            return None
        best: list[tuple[int, int]] = []
        for pk, keys in self.names.items():
            score = max((len(k) for k in keys if len(k) >= 2 and self._holds(key, k)), default=0)
            if score:
                best.append((score, pk))
        best.sort(reverse=True)
        if best and (len(best) == 1 or best[0][0] > best[1][0]):
            return self.units[best[0][1]]
        return None

    def _holds(self, text: str, name: str) -> bool:
        """``text`` is a shortened ``name``, or ``name`` with notes after it and at most the region's own
        place names before it."""
        if text in name:
            return True
        at = text.find(name)
        if at < 0:
            return False
        before = text[:at]
        for place in self.place_names:
            before = before.replace(place, "")
        return not before


# ---------------------------------------------------------------------------------------------
# Reading files into a preview


def _problem(p: Any) -> dict[str, str]:
    return {"where": p.where, "message": p.message_zh, "severity": p.severity}


def import_read(
    *,
    campaign: Campaign,
    spec: FormSpec,
    rows: dict[str, FormRow],
    files: Iterable[tuple[str, bytes]],
    total: int = 0,
    progress: Progress | None = None,
    matcher: UnitMatcher | None = None,
) -> list[dict[str, Any]]:
    """One entry per file (a ZIP gives one per table inside it), each with its sheets and problems."""
    matcher = matcher or UnitMatcher(campaign)
    out: list[dict[str, Any]] = []
    for n, (name, data) in enumerate(files, 1):
        for result in read_stat_files([(name, data)], spec):
            entry: dict[str, Any] = {
                "name": result.name,
                "kind": result.kind,
                "problems": [_problem(p) for p in result.problems],
                "sheets": [],
            }
            for sheet in result.sheets:
                problems = [_problem(p) for p in sheet.problems]
                values: dict[str, dict[str, Any]] = {}
                for code, parsed in sheet.values.items():
                    cell, issues = check_cell(rows[code], parsed) if code in rows else (None, [])
                    for issue in issues:
                        if issue.is_error and not parsed.error:
                            problems.append(
                                {
                                    "where": sheet.source,
                                    "severity": "error",
                                    "message": f"{sheet.source}：{issue.message}",
                                }
                            )
                    values[code] = (cell.as_json() or {"v": None, "na": False}) if cell else {"error": True}
                unit = matcher.match(sheet.unit_text)
                entry["sheets"].append(
                    {
                        "source": sheet.source,
                        "unit_text": sheet.unit_text or "",
                        "values": values,
                        "problems": problems,
                        "unit_id": unit.pk if unit else None,
                        "auto": bool(unit),
                    }
                )
            out.append(entry)
        if progress:
            progress(n, total or n, name)
    return out


def sheets_of(files: list[dict[str, Any]]) -> list[tuple[int, dict[str, Any], dict[str, Any]]]:
    """(global sheet index, file entry, sheet entry) in upload order."""
    out: list[tuple[int, dict[str, Any], dict[str, Any]]] = []
    for f in files:
        for s in f["sheets"]:
            out.append((len(out), f, s))
    return out


def file_has_error(f: dict[str, Any]) -> bool:
    return any(p["severity"] == "error" for p in f["problems"]) or any(
        p["severity"] == "error" for s in f["sheets"] for p in s["problems"]
    )


# ---------------------------------------------------------------------------------------------
# The plan: what would change, what blocks


@dataclass
class Change:
    code: str
    label: str
    before: str
    after: str


@dataclass
class SheetPlan:
    index: int
    file: dict[str, Any]
    sheet: dict[str, Any]
    unit: OrgUnit | None
    report: Report | None
    cells: dict[str, Cell]
    changes: list[Change] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)  # rows the sheet lacks: left as they are


@dataclass
class Plan:
    sheets: list[SheetPlan]
    errors: list[str]
    fingerprint: str

    @property
    def change_count(self) -> int:
        return sum(len(s.changes) for s in self.sheets)


def import_plan(
    *, campaign: Campaign, rows: dict[str, FormRow], files: list[dict[str, Any]], overwrite_approved: bool
) -> Plan:
    from .services.entry import report_cells

    errors = [p["message"] for f in files for p in f["problems"] if p["severity"] == "error"]
    errors += [
        p["message"] for f in files for s in f["sheets"] for p in s["problems"] if p["severity"] == "error"
    ]
    indexed = sheets_of(files)
    unit_ids = {s["unit_id"] for _, _, s in indexed if s.get("unit_id")}
    units = {u.pk: u for u in campaign.participating_units().filter(pk__in=unit_ids)}
    reports = {
        r.unit_id: r
        for r in Report.objects.filter(campaign=campaign, unit_id__in=unit_ids).prefetch_related("values")
    }
    plans: list[SheetPlan] = []
    seen: dict[int, str] = {}
    for index, f, s in indexed:
        unit = units.get(s.get("unit_id") or 0)
        report = reports.get(unit.pk) if unit else None
        new = {code: Cell.from_json(v) for code, v in s["values"].items() if "error" not in v}
        plan = SheetPlan(index, f, s, unit, report, new)
        if unit is None:
            text = f"（单位（盖章）：{s['unit_text']}）" if s["unit_text"] else "（未填写单位名称）"
            errors.append(f"{s['source']}：未能确定是哪个单位的统计表{text}，请在下拉框中选择单位")
        elif unit.pk in seen:
            errors.append(f"「{unit.name}」同时对应 {seen[unit.pk]} 和 {s['source']}，请只保留一份或改选单位")
        else:
            seen[unit.pk] = s["source"]
            if report is not None and report.status == Report.Status.APPROVED and not overwrite_approved:
                errors.append(
                    f"「{unit.name}」的统计表已审核通过（已锁定），{s['source']} 不会覆盖它；"
                    f"如确需覆盖，请勾选“覆盖已通过的报表”"
                )
        stored = report_cells(report) if report is not None else {}
        for code, row in rows.items():
            if code not in s["values"]:
                plan.kept.append(row.label)
                continue
            if code not in new:
                continue
            before, after = stored.get(code, Cell()), new[code]
            if (before.value, before.not_applicable) != (after.value, after.not_applicable):
                plan.changes.append(Change(code, row.label, display(before, row), display(after, row)))
        plans.append(plan)
    state = sorted((r.unit_id, r.version) for r in reports.values())
    fingerprint = hashlib.sha256(repr(state).encode()).hexdigest()[:16]
    return Plan(plans, errors, fingerprint)
