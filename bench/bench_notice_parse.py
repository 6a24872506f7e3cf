"""How long the notice importer takes on the seed notice (泗县, 2023).

    python bench/bench_notice_parse.py [--repeat N]

Prints the median milliseconds per notice, the ratio to the 200 ms target, and the ratio to a
baseline measured in the same run on the same text: splitting it into lines and running one regex
scan over it (the least any parser must do), so that the figure means something on any machine.
Also times the .docx and .pdf readers and a 20-times-longer notice (to catch super-linear blow-ups).
No database is needed.
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sciweek.notices.extract import parse_notice, read_notice_file  # noqa: E402
from sciweek.notices.tests.notice_files import SEED_TABLE, make_docx, make_pdf, split_seed  # noqa: E402
from sciweek.notices.tests.notice_samples import seed_text  # noqa: E402

TARGET_MS = 200.0
_BASELINE_RX = re.compile(r"(\d{4}年)?\d{1,2}月\d{1,2}日|^[一二三四五六七八九十]+、|牵头单位|配合单位", re.M)


def median_ms(fn: Callable[[], object], repeat: int) -> float:
    fn()  # warm-up: imports, regex compilation, zhconv's dictionary
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def baseline(text: str) -> int:
    return sum(len(_BASELINE_RX.findall(line)) for line in text.splitlines())


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=50)
    args = parser.parse_args(argv)
    text = seed_text()
    head, tail = split_seed(text)
    docx, pdf = make_docx(head, SEED_TABLE, tail), make_pdf(head, SEED_TABLE, tail)
    long_text = "\n".join([text] * 20)

    parse = median_ms(lambda: parse_notice(text), args.repeat)
    base = median_ms(lambda: baseline(text), args.repeat)
    docx_ms = median_ms(lambda: parse_notice(read_notice_file(docx, "seed.docx")), max(5, args.repeat // 5))
    pdf_ms = median_ms(lambda: parse_notice(read_notice_file(pdf, "seed.pdf")), max(5, args.repeat // 5))
    long_ms = median_ms(lambda: parse_notice(long_text), max(3, args.repeat // 10))

    print(f"seed notice: {len(text)} characters, {args.repeat} runs")
    print(
        f"parse_notice (text):        {parse:8.2f} ms median   target {TARGET_MS:.0f} ms   "
        f"ratio to target {parse / TARGET_MS:.3f}"
    )
    print(f"baseline (splitlines+regex): {base:7.3f} ms median   parse / baseline = {parse / base:.1f}x")
    print(f"read + parse .docx:         {docx_ms:8.2f} ms median   ratio to target {docx_ms / TARGET_MS:.3f}")
    print(f"read + parse .pdf:          {pdf_ms:8.2f} ms median   ratio to target {pdf_ms / TARGET_MS:.3f}")
    print(
        f"20x seed ({len(long_text)} chars):  {long_ms:8.2f} ms median   per copy {long_ms / 20:.2f} ms "
        f"(vs {parse:.2f} ms for one: {'linear' if long_ms / 20 < parse * 3 else 'SUPER-LINEAR'})"
    )


if __name__ == "__main__":
    main()
