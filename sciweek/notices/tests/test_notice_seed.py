"""The seed notice (泗县, 2023) must import completely right: as text, as a Word file and as a PDF.

Issuers: the draft keeps the signature block's full names in ``issuers`` (泗县科学技术局 …, as the
stamps read) and the body's short names in ``issuer_short_names`` (泗县科学技术局 -> 县科技局), so the
unit registry can be matched by either.
"""

from __future__ import annotations

import json
import re

import pytest

from sciweek.demo.seed import ACTIVITIES as DEMO_ACTIVITIES  # the one copy of the unit lists
from sciweek.demo.seed import COLLECTIVE_NAMES
from sciweek.notices.extract import parse_notice, parse_notice_file, read_notice_file
from sciweek.notices.tests.notice_files import SEED_TABLE, make_docx, make_pdf, split_seed
from sciweek.notices.tests.notice_samples import seed_text


def _as_written(units: list[str]) -> list[str]:
    """The demo's unit list as the notice writes it (各镇（街道） for the demo's @towns …)."""
    return [COLLECTIVE_NAMES.get(u, u) for u in units]


# The notice's titles carry the verb the demo leaves out; the units are the demo's.
TITLES = {
    1: "举办科技活动周政策宣传活动",
    2: "开展服务企业创新专项行动",
    3: "举办青少年科技创新大赛",
    4: "组织开展全国科技工作者日暨最美科技工作者评选活动",
    5: "开展各具特色的科普活动",
    6: "开展系列宣传活动",
}
ACTIVITIES = [
    (
        a.number,
        TITLES[a.number],
        _as_written(a.lead),
        _as_written(a.cooperate),
        "另行通知" if a.number == 1 else None,
    )
    for a in DEMO_ACTIVITIES
]
STAT_ROWS = [
    ("科普活动开展次数", "举办活动次数", "次"),
    ("活动经费投入数量", "县级(单位)财政经费投入情况", "万元"),
    ("活动经费投入数量", "企业赞助经费情况", "万元"),
    ("活动经费投入数量", "实物投入情况（如：捐赠图书、光盘、创新操作室等）", "万元"),
    ("活动经费投入数量", "其他经费情况", "万元"),
    ("科普工作人员参与数量", "科普专职人员数量", "人"),
    ("科普工作人员参与数量", "科技工作者参与数量", "人"),
    ("科普工作人员参与数量", "招募科技志愿者数量", "人"),
    ("科普工作人员参与数量", "其他人员数量", "人"),
    ("科普活动群众参与数量", "线下活动群众参与数量", "人次"),
    ("科普活动群众参与数量", "线上活动群众参与数量", "人次"),
    ("宣传报道情况", "参与媒体数量", "家"),
    ("宣传报道情况", "宣传报道数量", "篇"),
    (None, "活动周期间开放的科普场馆数量", "个"),
    (None, "活动周期间开放活动的科研机构数量", "个"),
    (None, "活动周期间开放活动的大学数量", "所"),
]


def _seed_contents() -> list[str]:
    """The six "活动内容：" texts as the seed writes them."""
    return [
        line[len("活动内容：") :].strip()
        for line in seed_text().splitlines()
        if line.startswith("活动内容：")
    ]


def assert_seed(result: dict) -> None:
    assert result["title"] == "关于举办2023年科技活动周的通知"
    assert result["kind"] == "notice"
    assert result["year"] == 2023
    assert result["doc_number"] is None  # the seed carries no 文号 of its own
    assert result["issue_date"] == "2023-05-15"
    assert result["issuers"] == ["泗县科学技术局", "中共泗县县委宣传部", "泗县科学技术协会"]
    assert result["issuer_short_names"] == {
        "泗县科学技术局": "县科技局",
        "中共泗县县委宣传部": "县委宣传部",
        "泗县科学技术协会": "县科协",
    }
    assert result["addressees"] == ["各镇（街道）", "经济开发区（泗涂产业园）", "县直各有关单位"]
    assert result["references"] == [
        {
            "title": "关于举办2023年全国科技活动周的通知",
            "doc_number": "国科函才〔2023〕65号",
            "issued_by": ["科技部", "中央宣传部", "中国科协"],
            "source": "根据科技部、中央宣传部、中国科协《关于举办2023年全国科技活动周的通知》（国科函才〔2023〕65号）"
            "和省、市有关通知精神",
        }
    ]
    assert (result["start_date"], result["end_date"]) == ("2023-05-20", "2023-05-31")
    assert result["theme"] == "热爱科学 崇尚科学"
    assert result["content_themes"] == [
        "突出宣传贯彻党的二十大精神",
        "深入宣传《关于新时代进一步加强科学技术普及工作的意见》精神",
        "大力弘扬科学家精神",
        "广泛开展面向公众的特色科技活动",
    ]
    assert [t["number"] for t in result["content_theme_items"]] == [1, 2, 3, 4]
    assert result["content_theme_items"][3]["body"].endswith("不断激发青少年好奇心、想象力、探求欲。")

    contents = _seed_contents()
    assert len(result["activities"]) == 6
    for activity, (number, title, lead, cooperating, schedule), content in zip(
        result["activities"], ACTIVITIES, contents, strict=True
    ):
        assert activity["number"] == number
        assert activity["title"] == title
        assert activity["lead_units"] == lead
        assert activity["cooperating_units"] == cooperating
        assert activity["content"] == content
        assert activity["schedule"] == schedule
        assert activity["schedule_announced"] is False
        assert activity["starts_at"] is None and activity["venue"] is None
        assert activity["source"].startswith(f"{number}.{title}")
    assert [a["cooperating_units_etc"] for a in result["activities"]] == [False] * 5 + [True]

    assert [(d["due"], d["kind"], d["raw"], d["close_of_business"]) for d in result["deadlines"]] == [
        ("2023-05-18", "publicity", "5月18日前", False),
        ("2023-05-30T17:30", "final_report", "5月30日下午下班前", True),
        ("2023-05-30", "stat_table", "5月30日前", False),
    ]
    assert [d["what"] for d in result["deadlines"]] == [
        "本单位宣传内容和具体工作人员姓名、手机号",
        "活动总结、开展情况统计表、影像资料及媒体报道资料",
        "2023年全县科技活动周开展情况统计表",
    ]
    assert result["deadlines"][0]["source"].endswith("现场宣传材料由各单位自行印制。")
    assert result["deadlines"][2]["source"] == "注：此表请按通知要求填写表格于5月30日前报县科技局"

    assert result["min_activities_per_unit"] == 1
    assert result["target_activities_per_unit"] == 2
    assert result["max_video_minutes"] == 3
    contact = result["contact"]
    assert (contact["person"], contact["phone"], contact["email"]) == (
        "陈曦",
        "7022310",
        "sxkjj7022310@163.com",
    )
    assert contact["organisation"] == "县科学技术局"

    form = result["stat_form"]
    assert form["title"] == "2023年全县科技活动周开展情况统计表"
    assert form["stamp_required"] is True
    assert form["note"] == "此表请按通知要求填写表格于5月30日前报县科技局"
    assert [(r["section"], r["label"], r["unit"]) for r in form["rows"]] == STAT_ROWS
    written = [r["label"] for r in form["rows"] if not r["unit_inferred"]]
    assert written == [row[1] for row in STAT_ROWS if row[2] == "万元"]  # only 万元 is written in the table

    assert result["leading_group"] is None
    assert [w["code"] for w in result["warnings"]] == [
        "numbering_mixed",
        "date_without_year",
        "report_before_end",
        "report_before_end",
        "deadline_conflict",
    ]
    by_code = {w["code"]: w for w in result["warnings"]}
    assert "一、2、3、四、五、六" in by_code["numbering_mixed"]["message"]
    assert "5月18日前、5月30日下午下班前、5月30日前" in by_code["date_without_year"]["message"]
    assert by_code["date_without_year"]["severity"] == "info"
    before_end = [w for w in result["warnings"] if w["code"] == "report_before_end"]
    assert [w["field"] for w in before_end] == ["deadlines[1]", "deadlines[2]"]
    assert "2023年5月30日17:30" in before_end[0]["message"] and "2023年5月31日" in before_end[0]["message"]
    conflict = by_code["deadline_conflict"]["message"]
    assert "统计表" in conflict and "5月30日下午下班前" in conflict and "5月30日前" in conflict


def assert_seed_sources(result: dict, text: str) -> None:
    sources = result["sources"]
    assert sources["title"] == "关于举办2023年科技活动周的通知"
    assert sources["start_date"] == sources["end_date"] == "2023年5月20日至31日。"
    assert sources["theme"] == "热爱科学 崇尚科学"
    assert sources["issue_date"] == "2023年5月15日"
    assert sources["min_activities_per_unit"] == "在活动周期间至少要开展1-2次专题活动（线上、线下均可）。"
    assert "视频时长不超过3分钟" in sources["max_video_minutes"]
    assert sources["issuers"].startswith("县科技局、县委宣传部、县科协将共同主办2023年泗县科技活动周。")
    assert sources["activities"] == "四、主要活动"
    assert sources["contact"] == "县科学技术局：陈曦      电话：7022310\n电子邮箱：sxkjj7022310@163.com"
    flat = re.sub(r"\s+", "", text)
    for key in (
        "title",
        "addressees",
        "year",
        "issue_date",
        "issuers",
        "references",
        "start_date",
        "theme",
        "content_themes",
        "activities",
        "min_activities_per_unit",
        "max_video_minutes",
        "contact",
        "stat_form",
    ):
        for piece in sources[key].split("\n"):
            assert re.sub(r"\s+", "", piece) in flat, (key, piece)


def test_it_imports_the_seed_text_completely() -> None:
    draft = parse_notice(seed_text())
    result = draft.to_json()
    assert_seed(result)
    assert_seed_sources(result, seed_text())
    json.dumps(result, ensure_ascii=False)


def test_it_reads_the_seed_from_bytes_in_gb18030_too() -> None:
    data = seed_text().encode("gb18030")
    assert_seed(parse_notice_file(data, "泗县通知.txt").to_json())


def test_it_imports_the_seed_as_a_word_file_with_a_real_table() -> None:
    head, tail = split_seed(seed_text())
    data = make_docx(head, SEED_TABLE, tail)
    text = read_notice_file(data, "通知.docx")
    assert "\t县级(单位)财政经费投入情况" in text  # the table came out as cells, not as paragraphs
    assert_seed(parse_notice(text).to_json())


def test_it_imports_the_seed_as_a_pdf() -> None:
    head, tail = split_seed(seed_text())
    data = make_pdf(head, SEED_TABLE, tail)
    assert data.startswith(b"%PDF-")
    text = read_notice_file(data, "通知.pdf")
    assert "县科技志愿服务队" in text  # a list the page width wrapped is joined again
    assert_seed(parse_notice(text).to_json())


def test_it_decides_the_type_by_content_not_by_name() -> None:
    head, tail = split_seed(seed_text())
    docx_named_txt = make_docx(head, SEED_TABLE, tail)
    assert parse_notice_file(docx_named_txt, "notice.txt").title == "关于举办2023年科技活动周的通知"
    text_named_pdf = seed_text().encode("utf-8")
    assert parse_notice_file(text_named_pdf, "notice.pdf").start_date.isoformat() == "2023-05-20"


@pytest.mark.parametrize(("close", "due"), [("17:30", "2023-05-30T17:30"), ("18:00", "2023-05-30T18:00")])
def test_it_applies_the_configured_close_of_business(close: str, due: str) -> None:
    import datetime as dt

    hour, minute = map(int, close.split(":"))
    draft = parse_notice(seed_text(), close_of_business=dt.time(hour, minute))
    assert draft.to_json()["deadlines"][1]["due"] == due
