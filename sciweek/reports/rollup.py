"""Live roll-up of the statistics over the unit tree: every level below a root, from the units' reports.

Each county runs its own campaign; a city or province sees all campaigns of the same year in its
subtree, matched by year and row code. One aggregate query sums ReportValue grouped by the unit's
ancestor at the needed depth (the tree is a materialized path with steplen 4, so the ancestor at
depth d is ``substr(path, 1, 4*d)``); the levels above are assembled in Python from those sums,
which is cheap because there are few of them.

If campaigns of one year are nested (a city runs one as well as its counties), a unit's report in the
nearest campaign (the deepest region) wins, so nothing is counted twice.
"""

from __future__ import annotations

import gc
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from operator import itemgetter

from django.db import connection, transaction
from django.db.models import Count, Exists, Max, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import Substr

from sciweek.campaigns.models import Campaign
from sciweek.orgs.models import AREA_KINDS, OrgUnit, UnitKind

from .models import FormRow, Report, ReportValue, counted_statuses
from .totals import DecimalMemo, layout_of, layouts

STEP = OrgUnit.steplen
ZERO = Decimal(0)
FIRST, SECOND = itemgetter(0), itemgetter(1)
NON_REPORTING_KINDS = [*AREA_KINDS, UnitKind.GROUP]


def clean(d: Decimal) -> Decimal:
    """12.5000 -> 12.5, 100.0000 -> 100 (never 1E+2)."""
    if d == d.to_integral_value():
        return d.quantize(Decimal(1))
    return d.normalize()


def _year_regions(year: int, root: OrgUnit) -> list[tuple[int, str, int]]:
    """(campaign, region path, region depth) of the campaigns of ``year`` that reach units below ``root``:
    those run in its subtree and those run by a region above it."""
    above = [root.path[:i] for i in range(STEP, len(root.path) + 1, STEP)]
    return list(
        Campaign.objects.filter(
            Q(org_unit__path__startswith=root.path) | Q(org_unit__path__in=above), year=year
        ).values_list("pk", "org_unit__path", "org_unit__depth")
    )


def _has_nested(regions: list[tuple[int, str, int]]) -> bool:
    paths = sorted({p for _, p, _ in regions})
    return any(b.startswith(a) for a, b in zip(paths, paths[1:], strict=False))


def _nearest_only(year: int, prefix: str) -> Q:
    """Where campaigns of ``year`` are nested, a unit's report in a shallower campaign is left out."""
    deeper = Report.objects.filter(
        unit_id=OuterRef(f"{prefix}unit_id"),
        campaign__year=year,
        campaign__org_unit__depth__gt=OuterRef(f"{prefix}campaign__org_unit__depth"),
    )
    return Q(~Exists(deeper))


def report_filter(*, year: int, root: OrgUnit, approved_only: bool | None, prefix: str = "") -> Q:
    """Reports of ``year``'s campaigns for units below ``root`` (in the counted statuses unless None)."""
    q = Q(**{f"{prefix}campaign__year": year, f"{prefix}unit__path__startswith": root.path})
    if approved_only is not None:
        q &= Q(**{f"{prefix}status__in": counted_statuses(approved_only)})
    if _has_nested(_year_regions(year, root)):
        q &= _nearest_only(year, prefix)
    return q


def _depths(root: OrgUnit, depth: int | None) -> tuple[int, int]:
    """(the depth to group at, the deepest depth below root)."""
    deepest = OrgUnit.objects.filter(path__startswith=root.path).aggregate(d=Max("depth"))["d"] or root.depth
    return (deepest if depth is None else min(root.depth + depth, deepest)), deepest


@contextmanager
def _gc_paused() -> Iterator[None]:
    """The unit level builds some 350,000 lists, tuples and dicts, none of them cyclic: the cyclic
    garbage collector would only scan them again and again meanwhile (a fifth of the time)."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


@contextmanager
def _analytic_session() -> Iterator[None]:
    """On PostgreSQL: no JIT (it costs more than it saves on one aggregate) and room to hash in memory."""
    if connection.vendor != "postgresql":
        yield
        return
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL jit = off")
        cursor.execute("SET LOCAL work_mem = '64MB'")
        yield


def _values(campaign_ids: list[int], approved_only: bool, year: int, nested: bool) -> QuerySet[ReportValue]:
    qs = ReportValue.objects.filter(
        report__campaign_id__in=campaign_ids, report__status__in=counted_statuses(approved_only)
    )
    return qs.filter(_nearest_only(year, "report__")) if nested else qs


def _sum_by_campaign(
    values: QuerySet[ReportValue], level: int, regions: dict[int, str], sums: dict[str, dict[str, Decimal]]
) -> None:
    """Campaigns whose region lies at ``level`` or deeper: every unit of one falls under one node at
    ``level``, so the sums are grouped by campaign (an integer key: no path arithmetic per value)."""
    cut = STEP * level
    for campaign_id, code, total in (
        values.values_list("report__campaign_id", "row_code").annotate(total=Sum("value")).order_by()
    ):
        if total is not None:
            node = sums[regions[campaign_id][:cut]]
            node[code] = node.get(code, Decimal(0)) + total


def _sum_by_prefix(values: QuerySet[ReportValue], level: int, sums: dict[str, dict[str, Decimal]]) -> None:
    """Campaigns whose region is above ``level``: group by the unit's ancestor at ``level``."""
    rows = (
        values.exclude(value__isnull=True)
        .annotate(p=Substr("report__unit__path", 1, STEP * level))
        .values_list("p", "row_code")
        .annotate(total=Sum("value"))
        .order_by()
    )
    for path, code, total in rows:
        node = sums[path]
        node[code] = node.get(code, Decimal(0)) + total


def _reports(campaign_ids: list[int], approved_only: bool, year: int, nested: bool) -> QuerySet[Report]:
    qs = Report.objects.filter(campaign_id__in=campaign_ids, status__in=counted_statuses(approved_only))
    return qs.filter(_nearest_only(year, "")) if nested else qs


Vector = tuple[list[Decimal | None], bool]  # totals in ``codes`` order; True when no cell is blank


def _unit_vectors(
    reports: QuerySet[Report], codes: list[str], form_ids: Callable[[], Iterable[int]]
) -> dict[int, Vector]:
    """Down to the units: each report's totals text (totals.py) read as a list in ``codes`` order:
    114,000 short texts rather than 1.8 million value rows. ``form_ids``: the forms to learn other
    layouts from, asked only when a text is not in ``codes`` order."""
    rows = reports.exclude(totals="").values_list("unit_id", "totals").order_by()
    ordered = layout_of(codes)
    others: dict[str, list[int]] = {}  # another layout -> where its fields go in ``codes``
    number = DecimalMemo().__getitem__
    out: dict[int, Vector] = {}
    for unit_id, text in rows:
        layout, _, body = text.partition("|")
        parts = body.split(",")
        fields = list(map(number, parts))
        if layout == ordered:  # a blank field is an empty string: no Decimal compared with None
            out[unit_id] = fields, "" not in parts
            continue
        if not others:
            others.update((k, [codes.index(c) for c in own]) for k, own in layouts(form_ids()).items())
        where = others.get(layout, ())
        vector: list[Decimal | None] = [None] * len(codes)
        for i, value in zip(where, fields, strict=False):
            vector[i] = value
        out[unit_id] = vector, False
    return out


def _add_vectors(vectors: list[Vector]) -> Vector:
    if len(vectors) == 1:
        return vectors[0]
    columns = zip(*map(FIRST, vectors), strict=True)
    if all(map(SECOND, vectors)):
        return [sum(column, ZERO) for column in columns], True
    out: list[Decimal | None] = []
    for column in columns:
        # "is not None" only: comparing a Decimal with None goes through the numbers ABCs, slowly
        present = [v for v in column if v is not None]
        out.append(sum(present, ZERO) if present else None)
    return out, all(v is not None for v in out)


def _assemble_vectors(
    root: OrgUnit,
    level: int,
    codes: list[str],
    own: dict[int, Vector],
    sums: dict[str, dict[str, Decimal]],
) -> dict[str, dict[str, Decimal]]:
    """The unit-level assembly: nodes' totals as lists in ``codes`` order, children added column-wise."""
    nodes = list(
        OrgUnit.objects.filter(path__startswith=root.path, depth__lte=level)
        .values_list("pk", "path", "code", "depth")
        .order_by("-depth")
    )
    children: dict[str, list[Vector]] = defaultdict(list)
    out: dict[str, dict[str, Decimal]] = {}
    top = root.depth
    for pk, path, code, depth in nodes:  # deepest first: a node is complete before its parent is reached
        kids = children.pop(path, None)
        total = own.get(pk)
        if kids is not None or path in sums:  # an area (or a unit with units below it): add up
            vectors = kids or []
            if total is not None:
                vectors.append(total)
            if path in sums:
                values = [sums[path].get(c) for c in codes]
                vectors.append((values, all(v is not None for v in values)))
            total = _add_vectors(vectors)
        elif total is None:  # a unit without a counted report
            out[code] = {}
            continue
        values, full = total
        if full:
            out[code] = dict(zip(codes, values, strict=True))  # type: ignore[arg-type]
        else:
            out[code] = {c: v for c, v in zip(codes, values, strict=True) if v is not None}
        if depth > top:
            children[path[:-STEP]].append(total)
    return out


def _assemble(
    root: OrgUnit, level: int, sums: dict[str, dict[str, Decimal]]
) -> dict[str, dict[str, Decimal]]:
    nodes = list(
        OrgUnit.objects.filter(path__startswith=root.path, depth__lte=level)
        .values_list("path", "code", "depth")
        .order_by("-depth")
    )
    totals = {path: sums.get(path) or {} for path, _, _ in nodes}
    stop = root.depth
    for path, _, depth in nodes:  # deepest first: each node is complete before it is added to its parent
        if depth <= stop:
            continue
        parent = totals.get(path[:-STEP])
        mine = totals[path]
        if parent is None or not mine:
            continue
        for code, value in mine.items():
            parent[code] = parent[code] + value if code in parent else value
    return {code: totals[path] for path, code, _ in nodes}


def rollup(
    *, year: int, root: OrgUnit, approved_only: bool, depth: int | None = None
) -> dict[str, dict[str, Decimal]]:
    """{unit code: {row code: total}} for ``root`` and every node below it, ``depth`` levels deep
    (None: down to the units). A node with nothing counted has an empty dict."""
    if depth is None:
        level, deepest = _depths(root, None)
    else:
        level, deepest = root.depth + depth, root.depth + depth + 1  # deeper nodes are simply not listed
    every = _year_regions(year, root)
    nested = _has_nested(every)
    regions = {pk: path for pk, path, _ in every if path.startswith(root.path) or root.path.startswith(path)}
    deep = [pk for pk, path, d in every if pk in regions and d >= level]  # whole campaigns under one node
    shallow = [pk for pk, path, d in every if pk in regions and d < level]
    shallow_set = set(shallow)
    above_root = any(
        root.path.startswith(path) and path != root.path for pk, path in regions.items() if pk in shallow_set
    )
    sums: dict[str, dict[str, Decimal]] = defaultdict(dict)
    with _analytic_session():
        if deep:
            _sum_by_campaign(_values(deep, approved_only, year, nested), level, regions, sums)
        if shallow:
            if level >= deepest:
                forms = FormRow.objects.filter(form__campaign_id__in=shallow + deep)
                codes = sorted(
                    set(forms.values_list("code", flat=True).distinct().order_by())
                    | {c for v in sums.values() for c in v}
                )
                reports = _reports(shallow, approved_only, year, nested)
                if above_root:  # a campaign of a region above the root: keep to the root's units
                    reports = reports.filter(unit__path__startswith=root.path)
                with _gc_paused():
                    own = _unit_vectors(
                        reports, codes, lambda: forms.values_list("form_id", flat=True).distinct().order_by()
                    )
                    return _assemble_vectors(root, level, codes, own, sums)
            values = _values(shallow, approved_only, year, nested)
            if above_root:
                values = values.filter(report__unit__path__startswith=root.path)
            _sum_by_prefix(values, level, sums)
    return _assemble(root, level, sums)


@dataclass
class Counts:
    expected: int = 0
    submitted: int = 0  # submitted + approved
    approved: int = 0
    returned: int = 0

    @property
    def missing(self) -> int:
        return max(self.expected - self.submitted - self.returned, 0)

    @property
    def percent(self) -> int:
        return round(self.submitted * 100 / self.expected) if self.expected else 0


def rollup_counts(*, year: int, root: OrgUnit, depth: int = 1) -> dict[str, Counts]:
    """Expected / submitted / approved reports for ``root`` and each node ``depth`` levels below it.

    A unit is expected when a campaign of ``year`` runs over its region."""
    level = root.depth + depth
    regions = _year_regions(year, root)
    region_paths = {p for _, p, _ in regions}
    region_depths = sorted({d for _, _, d in regions})
    counts: dict[str, Counts] = defaultdict(Counts)
    if region_depths:
        annotations = {f"r{d}": Substr("path", 1, STEP * d) for d in region_depths}
        units = (
            OrgUnit.objects.filter(path__startswith=root.path, is_active=True)
            .exclude(kind__in=NON_REPORTING_KINDS)
            .annotate(p=Substr("path", 1, STEP * level), **annotations)
            .values("p", *annotations)
            .annotate(n=Count("pk"))
            .order_by()
        )
        for row in units:
            if any(row[f"r{d}"] in region_paths for d in region_depths):
                counts[row["p"]].expected += row["n"]
    reports = (
        Report.objects.filter(report_filter(year=year, root=root, approved_only=None))
        .annotate(p=Substr("unit__path", 1, STEP * level))
        .values_list("p", "status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for path, status, n in reports:
        if status in (Report.Status.SUBMITTED, Report.Status.APPROVED):
            counts[path].submitted += n
        if status == Report.Status.APPROVED:
            counts[path].approved += n
        if status == Report.Status.RETURNED:
            counts[path].returned += n
    nodes = dict(
        OrgUnit.objects.filter(path__startswith=root.path, depth__lte=level).values_list("path", "code")
    )
    out: dict[str, Counts] = {
        path: Counts(**vars(counts[path])) if path in counts else Counts() for path in nodes
    }
    for path in sorted(out, key=len, reverse=True):
        parent = out.get(path[:-STEP]) if len(path) > len(root.path) else None
        if parent is not None:
            mine = out[path]
            parent.expected += mine.expected
            parent.submitted += mine.submitted
            parent.approved += mine.approved
            parent.returned += mine.returned
    return {nodes[p]: c for p, c in out.items()}
