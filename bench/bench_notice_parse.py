"""How long the notice importer takes on the seed notice (泗县, 2023) and on a 30-page notice.

    python bench/bench_notice_parse.py [--repeat N]

Targets (issue 19): parsing a seed-sized notice < 50 ms, a 30-page notice < 500 ms. The 30-page
notice is one of the harness's own (corpus/tuned.py) grown to 30 A4 pages (about 27,000 characters):
a 280-row activity table, 60 prose activities and the usual requirements, as text and as .docx.

Prints the median milliseconds per notice, the ratio to its target, and the ratio to a
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
from sciweek.notices.tests.corpus.render import Table, to_docx, to_text  # noqa: E402
from sciweek.notices.tests.corpus.tuned import QINGFENG  # noqa: E402
from sciweek.notices.tests.notice_files import SEED_TABLE, make_docx, make_pdf, split_seed  # noqa: E402
from sciweek.notices.tests.notice_samples import seed_text  # noqa: E402

TARGET_MS = 50.0  # a seed-sized notice
LONG_TARGET_MS = 500.0  # a 30-page notice
PAGE_CHARS = 900  # an A4 page of a notice in 仿宋 三号, roughly
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


def thirty_pages() -> list[object]:
    """QINGFENG grown to 30 pages: a long table of local events and many prose activities."""
    towns = ["城关镇", "白沙镇", "青山乡", "河口镇", "东岭乡", "西湖街道", "南山镇", "北塘乡"]
    rows = tuple(
        (
            str(i),
            f"{towns[i % 8]}第{i}场科普宣传活动暨科技志愿服务进村入户",
            f"5月{25 + i % 7}日",
            f"{towns[i % 8]}文化广场",
            f"{towns[i % 8]}人民政府",
            "县科协、县科技局、县农业农村局",
        )
        for i in range(1, 281)
    )
    blocks: list[object] = []
    for block in QINGFENG:
        if isinstance(block, Table):
            blocks.append(Table(block.header, block.rows + rows))
        elif block == "四、工作要求":
            for n in range(1, 61):
                blocks += [
                    f"（{n}）专题科普活动{n}。围绕科技创新、乡村振兴和全民科学素质提升，组织专家深入基层开展宣讲、"
                    "咨询和体验活动，做到线上线下相结合。",
                    f"牵头单位：县科协；配合单位：县教育局、县卫生健康委、{towns[n % 8]}人民政府。",
                    f"时间：5月{25 + n % 7}日；地点：{towns[n % 8]}综合文化站。",
                ]
            blocks.append(block)
        else:
            blocks.append(block)
    return blocks


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=50)
    args = parser.parse_args(argv)
    text = seed_text()
    head, tail = split_seed(text)
    docx, pdf = make_docx(head, SEED_TABLE, tail), make_pdf(head, SEED_TABLE, tail)
    long_text = "\n".join([text] * 20)
    thirty = thirty_pages()
    thirty_text = to_text(thirty)  # type: ignore[arg-type]
    thirty_docx = to_docx(thirty)  # type: ignore[arg-type]

    parse = median_ms(lambda: parse_notice(text), args.repeat)
    base = median_ms(lambda: baseline(text), args.repeat)
    docx_ms = median_ms(lambda: parse_notice(read_notice_file(docx, "seed.docx")), max(5, args.repeat // 5))
    pdf_ms = median_ms(lambda: parse_notice(read_notice_file(pdf, "seed.pdf")), max(5, args.repeat // 5))
    long_ms = median_ms(lambda: parse_notice(long_text), max(3, args.repeat // 10))
    thirty_ms = median_ms(lambda: parse_notice(thirty_text), max(3, args.repeat // 10))
    thirty_docx_ms = median_ms(
        lambda: parse_notice(read_notice_file(thirty_docx, "long.docx")), max(3, args.repeat // 10)
    )
    found = len(parse_notice(thirty_text).activities)

    print(f"seed notice: {len(text)} characters, {args.repeat} runs")
    print(
        f"parse_notice (text):        {parse:8.2f} ms median   target {TARGET_MS:.0f} ms   "
        f"ratio to target {parse / TARGET_MS:.3f}"
    )
    print(f"baseline (splitlines+regex): {base:7.3f} ms median   parse / baseline = {parse / base:.1f}x")
    print(
        f"read + parse .docx:         {docx_ms:8.2f} ms median   (reading the file is not part of the parse target)"
    )
    print(f"read + parse .pdf:          {pdf_ms:8.2f} ms median   (pypdf layout extraction dominates)")
    pages = len(thirty_text) / PAGE_CHARS
    print(
        f"30-page notice ({len(thirty_text)} chars, ~{pages:.0f} pages, {found} activities): {thirty_ms:8.2f} ms median   "
        f"target {LONG_TARGET_MS:.0f} ms   ratio to target {thirty_ms / LONG_TARGET_MS:.3f}"
    )
    print(
        f"30-page notice as .docx (read + parse): {thirty_docx_ms:8.2f} ms median   "
        f"ratio to target {thirty_docx_ms / LONG_TARGET_MS:.3f}"
    )
    print(
        f"20x seed ({len(long_text)} chars):  {long_ms:8.2f} ms median   per copy {long_ms / 20:.2f} ms "
        f"(vs {parse:.2f} ms for one: {'linear' if long_ms / 20 < parse * 3 else 'SUPER-LINEAR'})"
    )


if __name__ == "__main__":
    main()
