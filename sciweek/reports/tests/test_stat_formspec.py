"""The 2023 泗县 statistics table as data, and the parser for what units type into it."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sciweek.reports.formspec import (
    NOT_APPLICABLE,
    SIXIAN_2023_FORM,
    FormSpec,
    ParsedValue,
    RowSpec,
    format_value,
    parse_value,
    sum_values,
)

SPEC = SIXIAN_2023_FORM
ROW = {r.code: r for r in SPEC.rows}

# The attachment, row by row: (section, label, unit of measure) in printed order.
ATTACHMENT_ROWS = [
    ("科普活动开展次数", "举办活动次数", "次"),
    ("活动经费投入数量（单位：万元）", "县级(单位)财政经费投入情况", "万元"),
    ("活动经费投入数量（单位：万元）", "企业赞助经费情况", "万元"),
    ("活动经费投入数量（单位：万元）", "实物投入情况（如：捐赠图书、光盘、创新操作室等）", "万元"),
    ("活动经费投入数量（单位：万元）", "其他经费情况", "万元"),
    ("科普工作人员参与数量", "科普专职人员数量", "人"),
    ("科普工作人员参与数量", "科技工作者参与数量", "人"),
    ("科普工作人员参与数量", "招募科技志愿者数量", "人"),
    ("科普工作人员参与数量", "其他人员数量", "人"),
    ("科普活动群众参与数量", "线下活动群众参与数量", "人次"),
    ("科普活动群众参与数量", "线上活动群众参与数量", "人次"),
    ("宣传报道情况", "参与媒体数量", "家"),
    ("宣传报道情况", "宣传报道数量", "篇"),
    ("", "活动周期间开放的科普场馆数量", "个"),
    ("", "活动周期间开放活动的科研机构数量", "个"),
    ("", "活动周期间开放活动的大学数量", "所"),
]


def test_it_matches_the_attachment_row_for_row():
    assert [(r.section, r.label, r.unit) for r in SPEC.rows] == ATTACHMENT_ROWS
    assert SPEC.title == "2023年全县科技活动周开展情况统计表"
    assert SPEC.footnote == "注：此表请按通知要求填写表格于5月30日前报县科技局"
    assert SPEC.codes == (
        "events_held",
        "fund_fiscal",
        "fund_enterprise",
        "fund_in_kind",
        "fund_other",
        "staff_fulltime",
        "staff_scientists",
        "staff_volunteers",
        "staff_other",
        "public_offline",
        "public_online",
        "media_outlets",
        "media_reports",
        "venues_opened",
        "institutes_opened",
        "universities_opened",
    )


def test_it_types_money_as_four_decimals_and_counts_as_integers():
    for row in SPEC.rows:
        if row.unit == "万元":
            assert (row.value_type, row.decimals) == ("decimal", 4)
        else:
            assert (row.value_type, row.decimals) == ("int", 0)
        assert row.help and row.max_plausible is not None and row.max_plausible > 0
    assert ROW["public_offline"].max_plausible == Decimal(200000)
    assert "科研院所" in ROW["institutes_opened"].aliases
    assert "高校" in ROW["universities_opened"].aliases


def test_it_groups_rows_into_printed_blocks():
    blocks = [(section, len(rows)) for section, rows in SPEC.blocks()]
    assert blocks == [
        ("科普活动开展次数", 1),
        ("活动经费投入数量（单位：万元）", 4),
        ("科普工作人员参与数量", 4),
        ("科普活动群众参与数量", 2),
        ("宣传报道情况", 2),
        ("", 1),
        ("", 1),
        ("", 1),
    ]


def test_it_rejects_duplicate_codes():
    row = SPEC.rows[0]
    with pytest.raises(ValueError):
        FormSpec(title="x", rows=(row, row))


@pytest.mark.parametrize(
    ("raw", "code", "expected"),
    [
        (3, "events_held", Decimal(3)),
        (3.0, "events_held", Decimal(3)),
        ("3", "events_held", Decimal(3)),
        (" 3 次 ", "events_held", Decimal(3)),
        ("１２", "events_held", Decimal(12)),
        ("1,234", "public_offline", Decimal(1234)),
        ("1，234人次", "public_offline", Decimal(1234)),
        ("１，２３４", "public_offline", Decimal(1234)),
        ("1 234", "public_offline", Decimal(1234)),
        ("35人", "public_offline", Decimal(35)),  # 人 for 人次: same count, tolerated
        ("12.5万元", "fund_fiscal", Decimal("12.5")),
        ("12.5 万", "fund_fiscal", Decimal("12.5")),
        ("０.５", "fund_fiscal", Decimal("0.5")),
        ("12。5", "fund_fiscal", Decimal("12.5")),
        (".5", "fund_fiscal", Decimal("0.5")),
        ("12.3400", "fund_fiscal", Decimal("12.34")),
        (12.3456, "fund_fiscal", Decimal("12.3456")),
        (0.1 + 0.2, "fund_fiscal", Decimal("0.3")),  # a formula's float noise is not a 17th decimal
        (Decimal("7.00"), "events_held", Decimal(7)),
        ("0", "universities_opened", Decimal(0)),
        ("-0", "universities_opened", Decimal(0)),
    ],
)
def test_it_reads_numbers_in_the_shapes_people_type(raw, code, expected):
    parsed = parse_value(raw, ROW[code])
    assert parsed.error is None
    assert parsed.value == expected
    assert not parsed.not_applicable


@pytest.mark.parametrize("raw", ["—", "——", "-", "--", "/", "／", "无", "不适用", "N/A", " — "])
def test_it_reads_not_applicable(raw):
    assert parse_value(raw, ROW["venues_opened"]) == ParsedValue(None, not_applicable=True)


@pytest.mark.parametrize("raw", [None, "", "   ", "\u3000", "\n"])
def test_it_tells_blank_from_not_applicable(raw):
    parsed = parse_value(raw, ROW["venues_opened"])
    assert parsed == ParsedValue(None, not_applicable=False, error=None)
    assert parsed.is_blank


@pytest.mark.parametrize(
    ("raw", "code", "message"),
    [
        ("3.5", "events_held", "「举办活动次数」应为整数，收到 3.5"),
        (3.5, "events_held", "「举办活动次数」应为整数，收到 3.5"),
        ("-3", "events_held", "「举办活动次数」不能为负数，收到 -3"),
        (-0.5, "fund_fiscal", "「县级(单位)财政经费投入情况」不能为负数，收到 -0.5"),
        ("1.23456", "fund_fiscal", "「县级(单位)财政经费投入情况」最多保留4位小数，收到 1.23456"),
        ("abc", "events_held", "「举办活动次数」应填写数字，收到「abc」"),
        ("三次", "events_held", "「举办活动次数」应填写数字"),
        ("约300", "public_offline", "「线下活动群众参与数量」请填写确切数字"),
        ("300余人", "public_offline", "请填写确切数字"),
        ("500元", "fund_fiscal", "的单位是万元，收到「500元」，请换算为万元后填写"),
        ("1,23", "public_offline", "应填写数字"),
        ("1.2.3", "events_held", "应填写数字"),
        (True, "events_held", "应填写数字"),
        (datetime.datetime(2023, 5, 20), "events_held", "收到日期"),
        (float("nan"), "events_held", "应填写数字"),
        (1e300, "events_held", "数值过大"),
        ("9" * 20, "events_held", "数值过大"),
        (Decimal("Infinity"), "events_held", "应填写数字"),
        ("#DIV/0!", "events_held", "应填写数字"),
    ],
)
def test_it_explains_bad_values_in_chinese(raw, code, message):
    parsed = parse_value(raw, ROW[code])
    assert parsed.value is None
    assert parsed.error is not None and message in parsed.error


def test_it_warns_about_absurd_values_but_keeps_them():
    parsed = parse_value("2,000,000", ROW["public_offline"])
    assert parsed.value == Decimal(2_000_000) and parsed.error is None
    assert parsed.warning and "明显偏大" in parsed.warning and "200,000" in parsed.warning
    assert parse_value(150000, ROW["public_offline"]).warning is None


def test_it_formats_values_as_people_write_them():
    money, count = ROW["fund_fiscal"], ROW["public_offline"]
    assert format_value(Decimal("12.5000"), money) == "12.5"
    assert format_value(Decimal("100"), money) == "100"  # never 1E+2
    assert format_value(Decimal("1234.5"), money, grouping=True, with_unit=True) == "1,234.5万元"
    assert format_value(1234567, count, grouping=True, with_unit=True) == "1,234,567人次"
    assert format_value(None, count) == ""
    assert format_value(NOT_APPLICABLE, count) == "—"
    assert format_value("无", count) == "—"
    assert format_value(ParsedValue(None, not_applicable=True), count) == "—"


def test_it_sums_numbers_and_keeps_not_applicable_when_nobody_had_a_number():
    totals = sum_values(
        SPEC,
        [
            {"events_held": 2, "fund_fiscal": "1.5", "venues_opened": "—"},
            {
                "events_held": "3次",
                "fund_fiscal": Decimal("0.25"),
                "venues_opened": "无",
                "media_outlets": "—",
            },
            {"events_held": None, "media_outlets": 4},
        ],
    )
    assert totals["events_held"] == Decimal(5)
    assert totals["fund_fiscal"] == Decimal("1.75")
    assert totals["venues_opened"] == NOT_APPLICABLE
    assert totals["media_outlets"] == Decimal(4)
    assert totals["public_online"] is None


# ---------------------------------------------------------------------------------------------
# Properties

anything = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.decimals(allow_nan=True, allow_infinity=True),
    st.text(max_size=40),
    st.text(alphabet="0123456789０１２３４５６７８９,，.．。-−—/ 万元人次个无约", max_size=20),
    st.dates(),
)


@settings(max_examples=600, deadline=None)
@given(raw=anything, row=st.sampled_from(SPEC.rows))
def test_parse_value_never_raises(raw, row):
    parsed = parse_value(raw, row)
    assert isinstance(parsed, ParsedValue)
    if parsed.error:
        assert parsed.value is None and not parsed.not_applicable
        assert row.label in parsed.error
    if parsed.value is not None:
        assert parsed.value >= 0
        if row.value_type == "int":
            assert parsed.value == parsed.value.to_integral_value()


@st.composite
def valid_values(draw):
    row: RowSpec = draw(st.sampled_from(SPEC.rows))
    value = draw(
        st.decimals(
            min_value=0,
            max_value=10**9,  # float64 (what Excel stores) keeps 4 decimals exactly up to here
            places=row.decimals,
            allow_nan=False,
            allow_infinity=False,
        )
    )
    return row, value


@settings(max_examples=400, deadline=None)
@given(pair=valid_values(), grouping=st.booleans(), with_unit=st.booleans())
def test_parse_value_reads_back_what_format_value_writes(pair, grouping, with_unit):
    row, value = pair
    text = format_value(value, row, grouping=grouping, with_unit=with_unit)
    parsed = parse_value(text, row)
    assert parsed.error is None, (text, parsed.error)
    assert parsed.value == value
    # and a number written to a cell comes back from openpyxl as int/float
    as_cell = int(value) if row.value_type == "int" else float(value)
    assert parse_value(as_cell, row).value == value


@given(row=st.sampled_from(SPEC.rows))
def test_not_applicable_round_trips(row):
    assert parse_value(format_value(NOT_APPLICABLE, row), row).not_applicable
    assert parse_value(format_value(None, row), row).is_blank
