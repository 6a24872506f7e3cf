"""Scale-out: the deadline rush (bench_deadline_rush.py) through two gunicorn instances at once, which
share PostgreSQL and Redis (a dedicated Redis database), against one instance on the same machine.

Both runs must show the rush's own checks: no 5xx or connection errors, every report submitted, and
every report's stored values equal to its last accepted write (a unit's two reporters mostly write
through different instances here). Printed: both figures and the ratio two instances / one. On one
machine the two instances share its cores, so the ratio shows what the shared state costs (Redis for
the cache generations and rate limits instead of local memory), not extra capacity; on two machines
each instance brings its own cores.

    .venv/bin/python bench/bench_scaleout.py --postgres URL [--units 1000] [--clients 100]
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from pathlib import Path

import redis

HERE = Path(__file__).resolve().parent
parser = argparse.ArgumentParser(description=__doc__)
parser.add_argument("--postgres", required=True)
parser.add_argument("--units", type=int, default=1000)
parser.add_argument("--clients", type=int, default=100)
parser.add_argument("--redis", default="redis://127.0.0.1:6379/7")
args = parser.parse_args()


def run(instances: int, workers: int) -> tuple[float, str]:
    redis.Redis.from_url(args.redis).flushdb()  # only the dedicated database
    cmd = [sys.executable, str(HERE / "bench_deadline_rush.py"), "--postgres", args.postgres]
    cmd += ["--units", str(args.units), "--clients", str(args.clients), "--instances", str(instances)]
    cmd += ["--redis", args.redis, "--workers", str(workers)]
    done = subprocess.run(cmd, capture_output=True, text=True, cwd=HERE.parent)
    out = done.stdout
    if done.returncode or "FAILED" in out:
        sys.exit(f"rush with {instances} instance(s) failed:\n{out}\n{done.stderr[-3000:]}")
    rate = float(re.search(r"submissions\s+([\d.]+) /s", out)[1])
    return rate, out


# The same processes and threads in both: one instance of 2 workers, or two of 1 worker each (and so
# the same number of PostgreSQL connections: max_connections is 100 by default).
one, out_one = run(1, workers=2)
two, out_two = run(2, workers=1)
print(out_one.rstrip())
print(out_two.rstrip())
print(
    f"bench_scaleout: two instances {two:.1f} submissions/s, one instance {one:.1f}/s; "
    f"ratio {two / one:.2f}× (same machine, {args.units:,} units, {args.clients} clients; "
    "0 errors and last-write-wins in both: OK)"
)
