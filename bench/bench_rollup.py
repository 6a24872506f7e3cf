"""Roll-up over the national tree: reports.rollup.rollup() against hand-written SQL over the same rows.

Measured, median of --repeat runs, on the synthetic tree (bench/synthetic.py):
  areas   every area node (nation, provinces, cities, counties) × every row: what the drill-down and
          the province's overview read (group by county in SQL, the levels above assembled in Python);
  units   every node down to the 114,000 units × every row (the JSON of `sciweek rollup`).
Baseline: the best of a few single hand-written SQL aggregates producing the same groups, run in the
same process, fetched into Python (cursor.fetchall) and nothing else.
Targets (issue): the full roll-up ≤ 1.5 s on PostgreSQL at full scale and ≤ 3× the baseline; applied to
both lines. The units line reads each report's totals text (reports/totals.py) instead of the values, so
a bare fetch of those texts is printed too: the floor of that design, not an aggregate.

    .venv/bin/python bench/bench_rollup.py [--postgres URL] [--scale small|full] [--repeat N]
"""

from __future__ import annotations

import statistics
import time

from synthetic import setup

args = setup(__doc__, extra=lambda p: p.add_argument("--repeat", type=int, default=0))

from django.db import connection, transaction  # noqa: E402
from synthetic import YEAR, ensure  # noqa: E402

from sciweek.orgs.models import OrgUnit  # noqa: E402
from sciweek.reports.formspec import SIXIAN_2023_FORM  # noqa: E402
from sciweek.reports.rollup import rollup  # noqa: E402

TARGET_SECONDS, TARGET_RATIO = 1.5, 3.0
data = ensure(args.scale, fresh=args.fresh)
nation = OrgUnit.objects.get(pk=data.nation_id)
repeat = args.repeat or (5 if args.scale == "full" else 20)


def median(fn) -> float:
    fn()  # warm the caches and the connection
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def sql(query: str, params: list, tuned: bool) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        if tuned and connection.vendor == "postgresql":
            cursor.execute("SET LOCAL jit = off")
            cursor.execute("SET LOCAL work_mem = '64MB'")
        cursor.execute(query, params)
        cursor.fetchall()


STATUS = "r.status IN ('submitted', 'approved')"
JOINS = (
    "FROM reports_reportvalue v JOIN reports_report r ON r.id = v.report_id "
    "JOIN campaigns_campaign c ON c.id = r.campaign_id JOIN orgs_orgunit u ON u.id = r.unit_id"
)
like = nation.path + "%"
county_len = 4 * (nation.depth + 3)
ids = ", ".join(str(i) for i in data.campaign_ids)
CODES = [r.code for r in SIXIAN_2023_FORM.rows]
PIVOT = ", ".join(f"SUM(CASE WHEN v.row_code = '{c}' THEN v.value END)" for c in CODES)
baselines_areas = {
    "group by substr(path) prefix": (
        f"SELECT substr(u.path, 1, %s), v.row_code, SUM(v.value) {JOINS} "
        f"WHERE c.year = %s AND {STATUS} AND u.path LIKE %s AND v.value IS NOT NULL GROUP BY 1, 2",
        [county_len, YEAR, like],
    ),
    "group by campaign, join on year": (
        "SELECT r.campaign_id, v.row_code, SUM(v.value) FROM reports_reportvalue v "
        "JOIN reports_report r ON r.id = v.report_id JOIN campaigns_campaign c ON c.id = r.campaign_id "
        f"WHERE c.year = %s AND {STATUS} GROUP BY 1, 2",
        [YEAR],
    ),
    "group by campaign, ids listed": (
        "SELECT r.campaign_id, v.row_code, SUM(v.value) FROM reports_reportvalue v "
        f"JOIN reports_report r ON r.id = v.report_id WHERE r.campaign_id IN ({ids}) AND {STATUS} GROUP BY 1, 2",
        [],
    ),
}
baselines_units = {
    "plain select (no grouping)": (
        f"SELECT r.unit_id, v.row_code, v.value {JOINS} WHERE c.year = %s AND {STATUS} AND u.path LIKE %s",
        [YEAR, like],
    ),
    "one row per unit (pivot)": (
        "SELECT r.unit_id, "
        + PIVOT
        + " FROM reports_reportvalue v JOIN reports_report r ON r.id = v.report_id "
        f"WHERE r.campaign_id IN ({ids}) AND {STATUS} GROUP BY 1",
        [],
    ),
}


def best(baselines: dict) -> tuple[str, float]:
    """Each statement with PostgreSQL's defaults and with the session settings rollup() uses; the fastest."""
    timed = {}
    for name, (q, p) in baselines.items():
        timed[name] = median(lambda q=q, p=p: sql(q, p, False))
        if connection.vendor == "postgresql":
            timed[name + ", jit off + work_mem 64MB"] = median(lambda q=q, p=p: sql(q, p, True))
    name = min(timed, key=timed.get)
    return name, timed[name]


areas = rollup(year=YEAR, root=nation, approved_only=False, depth=3)
assert len(areas) == OrgUnit.objects.filter(path__startswith=nation.path, depth__lte=nation.depth + 3).count()
print(
    f"bench_rollup ({args.db}, scale {args.scale}: {data.reports:,} reports, {data.values:,} values; "
    f"median of {repeat})"
)
rows = [
    (
        "areas",
        len(areas),
        lambda: rollup(year=YEAR, root=nation, approved_only=False, depth=3),
        baselines_areas,
    ),
    (
        "areas, approved only",
        len(areas),
        lambda: rollup(year=YEAR, root=nation, approved_only=True, depth=3),
        None,
    ),
    ("units", None, lambda: rollup(year=YEAR, root=nation, approved_only=False), baselines_units),
]
for name, nodes, fn, baselines in rows:
    seconds = median(fn)
    nodes = nodes or len(fn())
    line = f"  rollup {name:<22} {nodes:>8,} nodes  {seconds * 1000:8.1f} ms"
    if baselines:
        base_name, base = best(baselines)
        ratio = seconds / base
        ok = ratio <= TARGET_RATIO and (args.scale != "full" or seconds <= TARGET_SECONDS)
        line += (
            f"  = {ratio:4.2f}× best SQL ({base_name}: {base * 1000:.1f} ms)"
            f"  target ≤ {TARGET_RATIO:.0f}×, ≤ {TARGET_SECONDS} s {'OK' if ok else 'OVER'}"
        )
    print(line)
texts = (
    f"SELECT r.unit_id, r.totals FROM reports_report r WHERE r.campaign_id IN ({ids}) AND {STATUS}",
    [],
)
floor = median(lambda: sql(*texts, False))
print(f"  bare fetch of the units' totals texts (floor of the units line)   {floor * 1000:8.1f} ms")
