"""Benchmark: display boards. One 80×200 cm roll-up with 6 photos (3000×2250 JPEG) — target < 2 s —
and a set of N boards (default 300) built as the ZIP job, with its peak memory.

Each part runs in its own subprocess on its own throw-away database, so ru_maxrss is its own. The
baseline for memory, measured in the same run: one board's process peak × N (what building the set
in memory would cost); the set's peak should stay near one board's, far below that.
The CJK fonts are built once into var/cache/fonts (shared through SCIWEEK_FONT_CACHE).

    .venv/bin/python bench/bench_boards.py [--boards 300] [--postgres URL]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
TARGET_S = 2.0


def _prepare(n: int, argv: list[str]) -> list[int]:
    """Seed the demo, N units with approved content sharing six stored photos; return submission ids."""
    from bench._django import setup

    setup("boards", argv)
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from sciweek.demo.loader import load_demo
    from sciweek.materials.demo import sample_photo
    from sciweek.materials.models import PublicityImage, PublicitySubmission
    from sciweek.orgs.models import UnitKind

    campaign = load_demo(full=False).campaign
    county = campaign.org_unit
    photos = []
    for k in range(6):
        name = default_storage.save(
            f"bench/p{k}.jpg", ContentFile(sample_photo(k, (90, 150, 220), (250, 200, 70), (3000, 2250)))
        )
        photos.append(name)
    body = "【活动概况】\n" + "科技活动周期间，本单位组织科技工作者深入社区、农村、学校开展科普活动。" * 8
    ids = []
    for i in range(n):
        # Test data straight into the tree (unit_create's checks are not what is measured here).
        unit = county.add_child(name=f"基准测试单位{i:03d}", kind=UnitKind.DEPARTMENT, code=f"bench{i:04d}")
        county.refresh_from_db()
        sub = PublicitySubmission.objects.create(
            campaign=campaign,
            unit=unit,
            headline=f"科普宣传进万家（{i}）",
            body=body,
            status="approved",
            layout="classic",
        )
        PublicityImage.objects.bulk_create(
            PublicityImage(
                submission=sub,
                file=p,
                thumbnail=p,
                original_name=f"p{k}.jpg",
                caption=f"现场照片{k + 1}",
                position=k,
                width=3000,
                height=2250,
            )
            for k, p in enumerate(photos)
        )
        ids.append(sub.pk)
    return ids


def _rss_mb() -> float:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def one(argv: list[str]) -> dict:
    ids = _prepare(1, argv)
    from sciweek.core.pdffonts import board_fonts
    from sciweek.materials.boards.build import board_pdf
    from sciweek.materials.models import PublicitySubmission

    sub = PublicitySubmission.objects.get(pk=ids[0])
    t0 = time.perf_counter()
    board_fonts("")  # built once per machine, then read from var/cache/fonts
    fonts_s = time.perf_counter() - t0
    times, size = [], 0
    for _ in range(4):
        out = open(os.devnull, "wb")  # noqa: SIM115
        t0 = time.perf_counter()
        board_pdf(submission=sub, out=out, size="rollup")
        times.append(time.perf_counter() - t0)
        out.close()
    import io

    buf = io.BytesIO()
    before = _rss_mb()
    board_pdf(submission=sub, out=buf, size="rollup")
    size = len(buf.getvalue())
    one_board_mb = max(0.1, _rss_mb() - before + size / 1e6)
    return {
        "first_s": times[0],
        "median_s": statistics.median(times[1:]),
        "fonts_s": fonts_s,
        "pdf_mb": size / 1e6,
        "board_mb": one_board_mb,
        "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def many(n: int, argv: list[str]) -> dict:
    t0 = time.perf_counter()
    _prepare(n, argv)
    prepare_s = time.perf_counter() - t0
    from sciweek.core.jobs import job_run
    from sciweek.core.models import Job
    from sciweek.core.pdffonts import board_fonts
    from sciweek.demo.loader import Campaign
    from sciweek.materials.boards.build import JOB_KIND

    board_fonts("")
    campaign = Campaign.objects.get()
    job = Job.objects.create(
        kind=JOB_KIND,
        params={"campaign_id": campaign.pk, "size": "rollup", "template": "", "crop_marks": False},
    )
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    # The set-up's own peak (photos drawn, migrations) would hide the job's: sample the resident size.
    import threading

    start_rss, samples, done = _rss_mb(), [], threading.Event()

    def sample() -> None:
        while not done.is_set():
            samples.append(_rss_mb())
            time.sleep(0.02)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    t0 = time.perf_counter()
    job_run(job_id=job.pk)
    elapsed = time.perf_counter() - t0
    done.set()
    sampler.join()
    job.refresh_from_db()
    assert job.status == "done", job.message
    return {
        "prepare_s": prepare_s,
        "job_start_rss_mb": start_rss,
        "job_max_rss_mb": max(samples or [start_rss]),
        "seconds": elapsed,
        "count": job.result["count"],
        "zip_mb": job.result_file.size / 1e6,
        "rss_before_mb": rss_before,
        "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def _child(mode: str, n: int, rest: list[str]) -> dict:
    env = dict(os.environ, SCIWEEK_FONT_CACHE=str(ROOT / "var" / "cache" / "fonts"))
    out = subprocess.run(
        [sys.executable, __file__, "--child", mode, "--boards", str(n), *rest],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--boards", type=int, default=300)
    parser.add_argument("--child")
    args, rest = parser.parse_known_args()
    if args.child:
        print(json.dumps(one(rest) if args.child == "one" else many(args.boards, rest)))
        return
    single = _child("one", 1, rest)
    print(
        f"one roll-up (80×200 cm, 6 photos 3000×2250): {single['median_s']:.2f} s "
        f"(first {single['first_s']:.2f} s; fonts ready in {single['fonts_s']:.2f} s), PDF {single['pdf_mb']:.1f} MB, "
        f"peak RSS {single['rss_mb']:.0f} MB — {single['median_s'] / TARGET_S:.2f}× the 2 s target"
    )
    s = _child("many", args.boards, rest)
    grown = s["job_max_rss_mb"] - s["job_start_rss_mb"]
    baseline = single["board_mb"] * s["count"]
    print(f"(set-up of {s['count']} units with content: {s['prepare_s']:.0f} s)")
    print(
        f"set of {s['count']} boards as the ZIP job: {s['seconds']:.1f} s ({s['seconds'] / s['count']:.2f} s/board), "
        f"ZIP {s['zip_mb']:.0f} MB; resident size during the job {s['job_start_rss_mb']:.0f} → max "
        f"{s['job_max_rss_mb']:.0f} MB (+{grown:.0f} MB); one board in memory ≈ {single['board_mb']:.1f} MB, "
        f"× {s['count']} = {baseline:.0f} MB; ratio {max(grown, single['board_mb']) / baseline:.3f}; "
        f"process peak {s['rss_mb']:.0f} MB vs one board's process {single['rss_mb']:.0f} MB"
    )


if __name__ == "__main__":
    main()
