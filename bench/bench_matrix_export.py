"""Export of the national per-unit matrix (分单位明细) to xlsx, from the database, as the export job does.

Ours: reports.exporting.export_subtree_matrix (values streamed from the database in tree order, the
official two-row header, styles, totals) for every unit below the nation. Baseline, same run: the
same values, fetched beforehand (not timed), appended to a bare openpyxl write-only sheet. Each runs
in its own subprocess so its peak memory (ru_maxrss) is its own. Targets (issue): peak < 300 MB,
time ≤ 2× the baseline.

    .venv/bin/python bench/bench_matrix_export.py [--postgres URL] [--scale small|full]
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile
import time

from synthetic import setup

args = setup(__doc__, extra=lambda p: p.add_argument("--child", choices=["ours", "bare"]))

from synthetic import YEAR, ensure  # noqa: E402

from sciweek.orgs.models import OrgUnit  # noqa: E402

TIME_TARGET, MEMORY_TARGET_MB = 2.0, 300


def child(kind: str) -> None:
    data = ensure(args.scale)
    nation = OrgUnit.objects.get(pk=data.nation_id)
    fd, path = tempfile.mkstemp(suffix=".xlsx")
    os.close(fd)
    if kind == "ours":
        from sciweek.reports.exporting import export_subtree_matrix

        t0 = time.perf_counter()
        n = export_subtree_matrix(year=YEAR, root=nation, out=path, approved_only=False)
        seconds = time.perf_counter() - t0
    else:
        from openpyxl import Workbook

        from sciweek.reports.formspec import SIXIAN_2023_FORM
        from sciweek.reports.selectors import iter_unit_values

        codes = [r.code for r in SIXIAN_2023_FORM.rows]
        rows = [
            [name, code, *(values.get(c) for c in codes)]
            for (name, code, _), values in iter_unit_values(year=YEAR, root=nation, approved_only=False)
        ]
        t0 = time.perf_counter()
        wb = Workbook(write_only=True)
        ws = wb.create_sheet("分单位明细")
        for row in rows:
            ws.append(row)
        wb.save(path)
        seconds, n = time.perf_counter() - t0, len(rows)
    size = os.path.getsize(path)
    os.unlink(path)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": seconds, "peak_mb": peak, "units": n, "size_mb": size / 1024 / 1024}))


if args.child:
    child(args.child)
    sys.exit(0)

ensure(args.scale, fresh=args.fresh)  # generate once, before the children run
argv = [sys.executable, __file__, "--scale", args.scale] + (
    ["--postgres", args.postgres] if args.postgres else []
)
results = {}
for kind in ("bare", "ours"):
    out = subprocess.run(
        [*argv, "--child", kind],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONWARNINGS": "ignore"},
    ).stdout
    results[kind] = json.loads(out.strip().splitlines()[-1])
ours, bare = results["ours"], results["bare"]
ratio = ours["seconds"] / bare["seconds"]
print(
    f"bench_matrix_export ({args.db}, scale {args.scale}): {ours['units']:,} units × 16 rows, "
    f"{ours['size_mb']:.1f} MB xlsx"
)
print(
    f"  bare openpyxl write-only loop   {bare['seconds']:6.1f} s   peak {bare['peak_mb']:5.0f} MB "
    f"(values held in memory beforehand)"
)
print(
    f"  export_subtree_matrix           {ours['seconds']:6.1f} s   peak {ours['peak_mb']:5.0f} MB   "
    f"= {ratio:.2f}× bare (target ≤ {TIME_TARGET:.0f}×) {'OK' if ratio <= TIME_TARGET else 'OVER'}, "
    f"memory target < {MEMORY_TARGET_MB} MB {'OK' if ours['peak_mb'] < MEMORY_TARGET_MB else 'OVER'}"
)
