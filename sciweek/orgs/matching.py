"""Unit names as a notice writes them, matched against the organizer's region.

A notice names units by full name (泗县科学技术局), by the short name its body uses (县科技局), by an
older name kept as an alias (县林业局), or collectively (各镇（街道）, 县直各学会, 县直有关单位). The
index below is built with one query per request and answers every name of a draft; a name it cannot
place is reported with the closest units as suggestions, for the organizer to map or create.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from sciweek.orgs.models import AREA_KINDS, OrgUnit, OrgUnitAlias, UnitKind, normalize_name
from sciweek.orgs.names import is_abbreviation, looks_like_org, split_units

# How a name was matched, in the words the review screen shows.
HOW_LABELS = {
    "name": "全称",
    "short_name": "简称",
    "alias": "别名",
    "region_prefix": "补全地区名",
    "brackets": "括号内外名称",
    "collective": "统称",
    "ambiguous": "有多个同名单位",
    "none": "未匹配",
}
EXACT = {"name", "short_name", "alias", "collective"}

_TOWNS = re.compile(
    r"^(?:全[县市区])?各(?:乡|镇|乡镇|镇街|街道|乡镇街道|镇\(街道\)|乡镇\(街道\)|镇\(乡\))"
    r"(?:\((?:街道|乡镇|镇|乡|社区)\))?(?:人民政府|政府|办事处)?$"
)
_DEPARTMENTS = re.compile(r"^(?:[县市区]直)各?(?:有关|相关)?(?:单位|部门)$|^各(?:有关|相关)(?:单位|部门)$")
_SOCIETIES = re.compile(r"^(?:[县市区]直)?各?(?:有关|相关)?(?:学会|协会|学协会|学会协会)$")
_EVERYONE = re.compile(r"^各(?:有关|相关)?(?:单位|部门)$")


@dataclass
class UnitMatch:
    written: str  # the name as the notice writes it
    units: list[OrgUnit] = field(default_factory=list)
    how: str = "none"
    note: str = ""
    suggestions: list[OrgUnit] = field(default_factory=list)

    @property
    def matched(self) -> bool:
        return bool(self.units)

    @property
    def how_label(self) -> str:
        return HOW_LABELS.get(self.how, self.how)

    @property
    def needs_check(self) -> bool:
        """Matched, but by a rule a person should glance at (not the exact name, short name or alias)."""
        return self.matched and self.how not in EXACT


def _key(name: str) -> str:
    return normalize_name(name or "").strip("“”\"'")


class UnitIndex:
    """Every active unit below ``region`` (areas excluded), by normalised name, short name and alias."""

    def __init__(self, region: OrgUnit) -> None:
        self.region = region
        self.units: list[OrgUnit] = list(
            OrgUnit.objects.filter(path__startswith=region.path, is_active=True)
            .exclude(kind__in=AREA_KINDS)
            .order_by("path")
        )
        self.by_id = {u.pk: u for u in self.units}
        self.by_name: dict[str, list[OrgUnit]] = {}
        self.by_short: dict[str, list[OrgUnit]] = {}
        self.by_alias: dict[str, list[OrgUnit]] = {}
        self.aliases: dict[int, list[str]] = {}
        for unit in self.units:
            self.by_name.setdefault(_key(unit.name), []).append(unit)
            if unit.short_name:
                self.by_short.setdefault(_key(unit.short_name), []).append(unit)
        for alias in OrgUnitAlias.objects.filter(unit_id__in=self.by_id).only("unit_id", "key", "name"):
            self.by_alias.setdefault(alias.key, []).append(self.by_id[alias.unit_id])
            self.aliases.setdefault(alias.unit_id, []).append(alias.name)
        self._cache: dict[str, UnitMatch] = {}

    # -- collections -------------------------------------------------------------------------------
    def of_kind(self, *kinds: str) -> list[OrgUnit]:
        return [u for u in self.units if u.kind in kinds]

    def children(self, unit: OrgUnit) -> list[OrgUnit]:
        return [u for u in self.units if u.depth == unit.depth + 1 and u.path.startswith(unit.path)]

    def societies(self) -> list[OrgUnit]:
        """Associations grouped under a unit of kind group (县直各学会)."""
        groups = self.of_kind(UnitKind.GROUP)
        return [u for g in groups for u in self.children(g) if u.kind == UnitKind.ASSOCIATION]

    # -- matching ----------------------------------------------------------------------------------
    def match(self, written: str) -> UnitMatch:
        written = (written or "").strip()
        if written not in self._cache:
            self._cache[written] = self._match(written)
        return self._cache[written]

    def match_all(self, names: Iterable[str]) -> list[UnitMatch]:
        return [self.match(n) for n in names if n and n.strip()]

    def _match(self, written: str) -> UnitMatch:
        name = re.sub(r"等$", "", written).strip()
        etc = " 原文以“等”结尾，名单可能不完整。" if name != written else ""
        found = self._lookup(_key(name))
        if found is not None:
            units, how = found
            return self._expand(written, units, how, etc)
        collective = self._collective(_key(name))
        if collective is not None:
            units, note = collective
            return UnitMatch(written, units, "collective", note + etc)
        for candidate, how in self._variants(name):
            found = self._lookup(_key(candidate))
            if found is not None:
                return self._expand(written, found[0], how, f"按“{candidate}”匹配。{etc}".strip())
        return UnitMatch(written, note=etc.strip(), suggestions=self.suggest(name))

    def _lookup(self, key: str) -> tuple[list[OrgUnit], str] | None:
        for table, how in ((self.by_name, "name"), (self.by_short, "short_name"), (self.by_alias, "alias")):
            units = list({u.pk: u for u in table.get(key, [])}.values())
            if units:
                return units, how
        return None

    def _expand(self, written: str, units: list[OrgUnit], how: str, note: str) -> UnitMatch:
        if len(units) > 1:
            names = "、".join(u.name for u in units)
            return UnitMatch(
                written, how="ambiguous", note=f"有多个单位叫这个名称：{names}，请选择。", suggestions=units
            )
        unit = units[0]
        if unit.kind == UnitKind.GROUP:  # 县直各学会 → the societies in the group
            members = [u for u in self.children(unit) if u.kind != UnitKind.GROUP]
            if members:
                return UnitMatch(
                    written, members, how, f"“{unit.name}”下的全部{len(members)}个单位。{note}".strip()
                )
        return UnitMatch(written, [unit], how, note)

    def _collective(self, key: str) -> tuple[list[OrgUnit], str] | None:
        if _TOWNS.match(key):
            towns = self.of_kind(UnitKind.TOWN)
            return (towns, f"全部{len(towns)}个镇（街道）。") if towns else None
        if _DEPARTMENTS.match(key):
            departments = self.of_kind(UnitKind.DEPARTMENT)
            return (departments, f"全部{len(departments)}个县直单位。") if departments else None
        if _SOCIETIES.match(key):
            societies = self.societies()
            return (societies, f"单位分组下的全部{len(societies)}个学会。") if societies else None
        return None

    def _variants(self, name: str) -> list[tuple[str, str]]:
        """Other spellings worth trying: 县水利局 → 泗县水利局; 县自然资源规划局（林业局） → either name."""
        out: list[tuple[str, str]] = []
        level = self.region.name[-1:]
        if level and name.startswith(level) and len(name) > 2:
            out.append((self.region.name + name[1:], "region_prefix"))
        m = re.match(r"^(.+?)[（(]([^（）()]+)[）)]$", name)
        if m:
            outer, inner = m.group(1), m.group(2)
            out.append((outer, "brackets"))
            if looks_like_org(inner):
                prefix = re.match(r"^[县市区省]", outer)
                out.append(((prefix.group(0) if prefix else "") + inner, "brackets"))
        return out

    def suggest(self, name: str, limit: int = 3) -> list[OrgUnit]:
        """Units whose names come closest (same characters in order, or similar enough)."""
        key = _key(name)
        scored: list[tuple[float, OrgUnit]] = []
        for unit in self.units:
            names = [unit.name, unit.short_name, *self.aliases.get(unit.pk, [])]
            score = max(difflib.SequenceMatcher(None, key, _key(n)).ratio() for n in names if n)
            if any(is_abbreviation(name, n) for n in names if n and len(n) > len(name)):
                score = max(score, 0.9)
            if score >= 0.6:
                scored.append((score, unit))
        scored.sort(key=lambda s: (-s[0], s[1].path))
        return [u for _, u in scored[:limit]]

    def is_everyone(self, written: str) -> bool:
        """各有关单位 / 各单位: every participating unit (a requirement without a unit list)."""
        return bool(_EVERYONE.match(_key(written)))


# "…等单位要…": the list ends at 要 / 务必 / 须 ("应" would cut 县应急管理局 in two).
_LIST_BEFORE_VERB = re.compile(r"^(?P<list>[^。；;：:，,]+?)(?:等(?:有关|相关)?(?:单位|部门))?(?:要|务必|须)")


def deadline_unit_names(source: str) -> tuple[list[str], bool]:
    """The units a deadline sentence opens with ("县科协、县教体局…等单位要…" → those names, etc=True).

    ([], False) when the sentence does not start with a list of units (it then applies to every unit).
    """
    text = re.sub(r"^\s*(?:\d+[.、．]|[（(]?[一二三四五六七八九十]+[)）、])", "", source or "").strip()
    m = _LIST_BEFORE_VERB.match(text)
    if not m:
        return [], False
    names, etc = split_units(m.group("list"))
    etc = etc or text[m.end("list") : m.end("list") + 1] == "等"
    if not names or not all(looks_like_org(n) or _TOWNS.match(_key(n)) for n in names):
        return [], False
    return names, etc
