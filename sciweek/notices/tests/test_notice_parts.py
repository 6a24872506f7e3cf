"""The importer's parts on their own: dates, unit lists, numbering, text cleaning, file reading, CLI."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from sciweek.notices.extract import NoticeFileError, parse_notice, parse_notice_file, read_notice_file
from sciweek.notices.extract.dates import cn_int, find_dates, find_range, parse_hhmm
from sciweek.notices.extract.sections import build_outline
from sciweek.notices.extract.text import clean
from sciweek.notices.tests.notice_samples import SEED_PATH, seed_text
from sciweek.orgs.names import is_abbreviation, split_units

COB = dt.time(17, 30)


@pytest.mark.parametrize(
    ("text", "value", "has_year", "deadline"),
    [
        ("2023年5月20日", dt.date(2023, 5, 20), True, False),
        ("二〇二三年五月十五日", dt.date(2023, 5, 15), True, False),
        ("5月18日前", dt.date(2023, 5, 18), False, True),
        ("5月30日下午下班前", dt.datetime(2023, 5, 30, 17, 30), False, True),
        ("5月30日上午下班前", dt.datetime(2023, 5, 30, 12, 0), False, True),
        ("6月3日17:00前", dt.datetime(2023, 6, 3, 17, 0), False, True),
        ("5月24日16：00", dt.datetime(2023, 5, 24, 16, 0), False, False),
        ("5月24日（星期五）下午3点半前", dt.datetime(2023, 5, 24, 15, 30), False, True),
        ("5月24日16时30分", dt.datetime(2023, 5, 24, 16, 30), False, False),
        ("2024.5.18", dt.date(2024, 5, 18), True, False),
        ("2024-05-18", dt.date(2024, 5, 18), True, False),
        ("2024/5/18前", dt.date(2024, 5, 18), True, True),
    ],
)
def test_it_reads_chinese_dates_and_deadlines(
    text: str, value: object, has_year: bool, deadline: bool
) -> None:
    found, invalid = find_dates(text, 2023, COB)
    assert invalid == []
    assert len(found) == 1
    assert (found[0].value, found[0].has_year, found[0].is_deadline) == (value, has_year, deadline)


def test_it_marks_close_of_business_as_implied_and_uses_the_parameter() -> None:
    found, _ = find_dates("5月30日下班前", 2023, dt.time(18, 0))
    assert found[0].value == dt.datetime(2023, 5, 30, 18, 0) and found[0].close_of_business


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("2023年5月20日至31日。", dt.date(2023, 5, 20), dt.date(2023, 5, 31)),
        ("5月25日—6月1日", dt.date(2024, 5, 25), dt.date(2024, 6, 1)),
        ("2024.5.18-5.24", dt.date(2024, 5, 18), dt.date(2024, 5, 24)),
        ("2024-05-18至2024-05-24", dt.date(2024, 5, 18), dt.date(2024, 5, 24)),
        ("2024年12月28日至2025年1月3日", dt.date(2024, 12, 28), dt.date(2025, 1, 3)),
    ],
)
def test_it_reads_date_ranges(text: str, start: dt.date, end: dt.date) -> None:
    found = find_range(text, 2024)
    assert found is not None
    assert (found.start.date, found.end.date) == (start, end)


def test_it_names_dates_that_do_not_exist() -> None:
    found, invalid = find_dates("请于2月30日前报送", 2024)
    assert found == [] and invalid == ["2月30日"]
    draft = parse_notice("关于举办2024年科技活动周的通知\n各单位：\n请于2月30日前报送总结。")
    assert "date_invalid" in draft.warning_codes()


def test_it_reads_chinese_numerals() -> None:
    assert [cn_int(x) for x in ("十", "十五", "二十", "三十一", "二〇二五", "两", "七x")] == [
        10,
        15,
        20,
        31,
        2025,
        2,
        None,
    ]


def test_it_refuses_a_bad_close_of_business() -> None:
    assert parse_hhmm("8:05") == dt.time(8, 5)
    with pytest.raises(ValueError, match="下班时间"):
        parse_hhmm("25:00")


@pytest.mark.parametrize(
    ("text", "names", "etc"),
    [
        ("县科技局、县委宣传部、县科协", ["县科技局", "县委宣传部", "县科协"], False),
        (
            "县畜牧中心、县自然资源规划局（林业局）、县市场监管局。",
            ["县畜牧中心", "县自然资源规划局（林业局）", "县市场监管局"],
            False,
        ),
        (
            "县融媒体中心、泗县发布、县科技局、县科协等。",
            ["县融媒体中心", "泗县发布", "县科技局", "县科协"],
            True,
        ),
        ("各县（市、区）科技局，市直有关单位", ["各县（市、区）科技局", "市直有关单位"], False),
        ("市教育局；市科协等有关单位", ["市教育局", "市科协"], True),
    ],
)
def test_it_splits_unit_lists_as_written(text: str, names: list[str], etc: bool) -> None:
    assert split_units(text) == (names, etc)


def test_it_pairs_short_names_with_full_names() -> None:
    assert is_abbreviation("县科技局", "泗县科学技术局")
    assert is_abbreviation("县科协", "泗县科学技术协会")
    assert not is_abbreviation("县科技局", "泗县科学技术协会")


def test_it_outlines_mixed_numbering_as_one_level() -> None:
    lines = [
        "一、活动时间",
        "2023年5月20日至31日。",
        "2、 活动主题",
        "热爱科学",
        "3、 主要内容",
        "1.甲。",
        "2.乙。",
        "四、主要活动",
        "1.丙",
        "（1）丁",
        "①戊",
        "五、联系方式",
    ]
    outline = build_outline(lines)
    assert [s.title for s in outline.root.children] == [
        "活动时间",
        "活动主题",
        "主要内容",
        "主要活动",
        "联系方式",
    ]
    assert outline.mixed == ["2、", "3、"]
    assert outline.out_of_order == []
    assert [c.title for c in outline.root.children[2].children] == ["甲。", "乙。"]
    assert outline.root.children[3].children[0].children[0].children[0].title == "戊"


def test_it_notices_skipped_and_repeated_numbers() -> None:
    outline = build_outline(["一、甲", "三、乙", "（一）丙", "（一）丁"])
    assert outline.out_of_order == ["三、（应为第2项）", "（一）（应为第2项）"]


def test_it_cleans_width_residue_and_traditional_characters() -> None:
    result = clean(
        "關於舉辦２０２４年科技活動週的通知\n索引號：123\n發佈時間：2024-05-07　來源：縣科技局　瀏覽次數：9\n"
        "【字号：大 中 小】\n[bookmark: _GoBack]各單位：\n一、活動時間\n- 2 -\n"
    )
    assert result.text.splitlines() == ["关于举办2024年科技活动周的通知", "各单位：", "一、活动时间"]
    assert result.metadata["浏览次数"] == "9" and result.metadata["来源"] == "县科技局"
    assert result.converted_chars > 8 and result.residue_lines == 3


def test_it_keeps_a_place_name_that_only_looks_traditional() -> None:
    text = "关于举办2024年乾县科技活动周的通知"
    assert clean(text).text == text  # one "traditional" character is a place name, not a traditional text


def test_it_rejects_files_that_are_not_notices() -> None:
    with pytest.raises(NoticeFileError, match="旧版 Word"):
        read_notice_file(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "a.doc")
    with pytest.raises(NoticeFileError, match="不是 Word"):
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("x.txt", "hello")
        read_notice_file(buffer.getvalue(), "a.docx")
    with pytest.raises(NoticeFileError, match="损坏"):
        read_notice_file(b"%PDF-1.4\n garbage", "a.pdf")
    with pytest.raises(NoticeFileError, match="文本"):
        read_notice_file(b"\x00\x01\x02binary", "a.txt")


def test_it_rejects_a_word_zip_bomb() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document>" + " " * 5_000_000 + "</w:document>")
    with pytest.raises(NoticeFileError, match="过大"):
        read_notice_file(buffer.getvalue(), "bomb.docx")


def test_it_turns_an_unreadable_upload_into_a_warning_not_an_error() -> None:
    draft = parse_notice_file(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 10, "../../etc/passwd.doc")
    assert draft.warning_codes() == ["file_unreadable"]
    assert "/" not in draft.warnings[0].message.split("：")[0]  # the file name is never echoed as a path


def test_it_warns_on_empty_input() -> None:
    assert parse_notice("   \n\t").warning_codes() == ["empty_input"]


def _run_command(*args: str) -> str:
    from django.core.management import call_command

    from sciweek.notices.management.commands.import_notice import Command

    out = io.StringIO()
    call_command(Command(), *args, stdout=out)
    return out.getvalue()


def test_it_prints_the_draft_as_json_from_the_command_line() -> None:
    result = json.loads(_run_command(str(SEED_PATH), "--json", "--close-of-business", "18:00"))
    assert result["title"] == "关于举办2023年科技活动周的通知"
    assert result["deadlines"][1]["due"] == "2023-05-30T18:00"
    assert "热爱科学 崇尚科学" in _run_command(str(SEED_PATH), "--json")  # ensure_ascii=False


def test_it_prints_a_chinese_summary_from_the_command_line() -> None:
    summary = _run_command(str(SEED_PATH))
    assert "活动时间：2023年5月20日至2023年5月31日" in summary
    assert (
        "2023年5月30日17:30  活动总结、开展情况统计表、影像资料及媒体报道资料（原文：5月30日下午下班前）"
        in summary
    )
    assert "[注意] 一级标题编号格式不统一" in summary


def test_it_reports_command_line_mistakes_in_chinese(tmp_path: Path) -> None:
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="找不到文件"):
        _run_command(str(tmp_path / "none.txt"))
    with pytest.raises(CommandError, match="下班时间"):
        _run_command(str(SEED_PATH), "--close-of-business", "5pm")
    bad = tmp_path / "old.doc"
    bad.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 10)
    with pytest.raises(CommandError, match="old.doc：暂不支持旧版 Word"):
        _run_command(str(bad))


def test_it_runs_the_command_without_a_database(tmp_path: Path) -> None:
    """`sciweek import-notice` with a database that does not exist: it must not try to open it."""
    notice = tmp_path / "通知.txt"
    notice.write_text(seed_text(), encoding="utf-8")
    env = {**os.environ, "DATABASE_URL": "postgres://nobody:nothing@127.0.0.1:9/none"}
    run = subprocess.run(
        [sys.executable, "-m", "sciweek.cli", "import-notice", str(notice), "--json"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout)["start_date"] == "2023-05-20"
