"""Benchmark: the national 分单位明细 matrix (114,000 units × 16 rows) via export_matrix_streaming.

Baseline, measured in the same run: a bare openpyxl write-only loop appending the same values
(no styles, no merged header, no validation, no totals). Each variant runs in its own subprocess so
its peak memory (ru_maxrss) is its own. Targets: time ≤ 2× the baseline, peak memory < 300 MB.

    .venv/bin/python bench/bench_stat_export.py [--units 114000] [--repeat 2]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sciweek.reports.excel.export import UnitValues, export_matrix_streaming  # noqa: E402
from sciweek.reports.formspec import NOT_APPLICABLE, SIXIAN_2023_FORM  # noqa: E402

SPEC = SIXIAN_2023_FORM
TIME_TARGET = 2.0
MEMORY_TARGET_MB = 300


def synthetic_units(n: int, seed: int = 2023) -> Iterator[UnitValues]:
    """Deterministic units: counts as int, 万元 as Decimal (≤ 4 places), ~3 % blank, ~2 % "—"."""
    rng = random.Random(seed)
    rows = SPEC.rows
    for i in range(n):
        values: dict[str, object] = {}
        for row in rows:
            roll = rng.random()
            if roll < 0.03:
                values[row.code] = None
            elif roll < 0.05:
                values[row.code] = NOT_APPLICABLE
            elif row.value_type == "int":
                values[row.code] = rng.randrange(0, 5000)
            else:
                values[row.code] = Decimal(rng.randrange(0, 10_000_000)).scaleb(-4)
        yield UnitValues(
            code=f"{110000 + i // 1000:06d}{i % 1000:03d}", name=f"第{i + 1}号单位（科普）", values=values
        )


def peak_rss_mb() -> float:
    """This process's peak resident memory. VmHWM belongs to the current address space; ru_maxrss
    would also count the parent's peak, which survives fork + exec on Linux."""
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def run_baseline(n: int, path: str) -> None:
    from openpyxl import Workbook

    codes = [row.code for row in SPEC.rows]
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("分单位明细")
    ws.append(["单位", "单位代码", *(row.section or row.label for row in SPEC.rows)])
    ws.append([None, None, *(row.label_with_unit for row in SPEC.rows)])
    for unit in synthetic_units(n):
        values = unit.values
        ws.append([unit.name, unit.code, *(values.get(code) for code in codes)])
    wb.save(path)


def run_ours(n: int, path: str) -> None:
    export_matrix_streaming(SPEC, synthetic_units(n), path, campaign_title="2023年全国科技活动周", total=n)


def child(variant: str, n: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, f"{variant}.xlsx")
        started = time.perf_counter()
        (run_ours if variant == "ours" else run_baseline)(n, path)
        seconds = time.perf_counter() - started
        size = os.path.getsize(path)
    peak_mb = peak_rss_mb()
    print(json.dumps({"variant": variant, "seconds": seconds, "peak_mb": peak_mb, "bytes": size}))


def measure(variant: str, n: int) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, __file__, "--child", variant, "--units", str(n)],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--units", type=int, default=114_000)
    parser.add_argument(
        "--repeat", type=int, default=2, help="runs per variant, alternating; best time counts"
    )
    parser.add_argument("--child", choices=["baseline", "ours"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.units)
        return

    n = args.units
    print(f"national matrix: {n:,} units × {len(SPEC.rows)} rows, {args.repeat} run(s) per variant")
    runs: dict[str, list[dict[str, float]]] = {"baseline": [], "ours": []}
    for i in range(args.repeat):
        for variant in ("baseline", "ours"):
            result = measure(variant, n)
            runs[variant].append(result)
            print(
                f"  run {i + 1} {variant:<8} {result['seconds']:7.2f} s  "
                f"peak {result['peak_mb']:6.1f} MB  file {result['bytes'] / 1e6:6.1f} MB"
            )
    best = {v: min(r["seconds"] for r in rs) for v, rs in runs.items()}
    peak = {v: max(r["peak_mb"] for r in rs) for v, rs in runs.items()}
    ratio = best["ours"] / best["baseline"]
    print()
    print(
        f"baseline (bare openpyxl write-only loop): {best['baseline']:.2f} s, peak {peak['baseline']:.1f} MB"
    )
    print(f"export_matrix_streaming:                  {best['ours']:.2f} s, peak {peak['ours']:.1f} MB")
    print(f"ratio: {ratio:.2f}× (target ≤ {TIME_TARGET:.0f}×) — {'OK' if ratio <= TIME_TARGET else 'MISSED'}")
    print(
        f"peak memory: {peak['ours']:.1f} MB (target < {MEMORY_TARGET_MB} MB) — "
        f"{'OK' if peak['ours'] < MEMORY_TARGET_MB else 'MISSED'}"
    )
    print(f"throughput: {n / best['ours']:,.0f} units/s")


if __name__ == "__main__":
    main()
