"""The demo clock's phase jump with the data following it (issue 13): each jump re-states the demo's
reports and events' outcomes, and must stay under 2 s on the full demo.

Loads the full demo once on a throw-away database, then times the jumps 筹备 → 总结上报 → 筹备 → 结束后 →
总结上报 (each the whole `phases.jump`, in its transaction) and a repeated jump to the phase one is in
(nothing to do). Prints each time and its ratio to the 2 s target.

    .venv/bin/python bench/bench_demo_jump.py [--postgres URL]
"""

from __future__ import annotations

import os
import time

from _django import setup

setup(__doc__)

from django.conf import settings  # noqa: E402
from django.urls import get_resolver  # noqa: E402

settings.DEMO_MODE = True
os.environ.setdefault("SCIWEEK_FONT_CACHE", "/work/fontcache")

from sciweek.demo import phases  # noqa: E402
from sciweek.demo.loader import load_demo  # noqa: E402

TARGET_S = 2.0

phases.start_if_unset()
t0 = time.perf_counter()
load_demo(full=True)
print(f"full demo loaded in {time.perf_counter() - t0:.1f} s")
# A web process has its URL conf loaded before any view runs (the jump is a POST to /demo/clock/); the
# services reverse() URLs for their notices, so a cold process would time the API's schema build too.
get_resolver().url_patterns  # noqa: B018
worst = 0.0
for key in ["report", "prepare", "after", "report", "report"]:
    t = time.perf_counter()
    phases.jump(key, actor="bench")
    took = time.perf_counter() - t
    worst = max(worst, took)
    print(f"jump to {key:8s} {took:6.3f} s   {took / TARGET_S:.2f}× the {TARGET_S:.0f} s target")
print(
    f"worst jump: {worst:.3f} s = {worst / TARGET_S:.2f}× the target; load average {os.getloadavg()[0]:.1f}"
)
