"""The official-layout exports: one unit's sheet, the county workbook, the national matrix, Word."""

from __future__ import annotations

import io
import zipfile
from decimal import Decimal

import pytest
from docx import Document
from docx.oxml.ns import qn
from openpyxl import Workbook, load_workbook

from sciweek.reports.excel import (
    UnitValues,
    blank_template,
    export_matrix_streaming,
    export_unit_docx,
    export_workbook,
    write_unit_sheet,
)
from sciweek.reports.excel.export import sheet_title
from sciweek.reports.formspec import SIXIAN_2023_FORM

SPEC = SIXIAN_2023_FORM
CAMPAIGN = "2023年泗县科技活动周"

# The attachment of the notice as printed (line breaks in the section labels are the printer's):
# (column A, column B) per table row; None where a vertically merged section continues, and
# no-section rows are one label spanning A:B.
ATTACHMENT = [
    ("科普活动开展次数", "举办活动次数"),
    ("活动经费投入数量（单位：万元）", "县级(单位)财政经费投入情况"),
    (None, "企业赞助经费情况"),
    (None, "实物投入情况（如：捐赠图书、光盘、创新操作室等）"),
    (None, "其他经费情况"),
    ("科普工作人员\n参与数量", "科普专职人员数量"),
    (None, "科技工作者参与数量"),
    (None, "招募科技志愿者数量"),
    (None, "其他人员数量"),
    ("科普活动群众\n参与数量", "线下活动群众参与数量"),
    (None, "线上活动群众参与数量"),
    ("宣传报道情况", "参与媒体数量"),
    (None, "宣传报道数量"),
    ("活动周期间开放的\n科普场馆数量", None),
    ("活动周期间开放活动\n的科研机构数量", None),
    ("活动周期间开放活动\n的大学数量", None),
]
EXPECTED_MERGES = {
    "A1:C1",  # title
    "A2:C2",  # 单位（盖章）：
    "A4:A7",  # 活动经费投入数量
    "A8:A11",  # 科普工作人员参与数量
    "A12:A13",  # 科普活动群众参与数量
    "A14:A15",  # 宣传报道情况
    "A16:B16",
    "A17:B17",
    "A18:B18",  # the three rows without a section
    "A19:C19",  # footnote
}

FILLED = {
    "events_held": 6,
    "fund_fiscal": Decimal("12.5"),
    "fund_enterprise": Decimal("3.25"),
    "fund_in_kind": Decimal("0.8765"),
    "fund_other": "—",
    "staff_fulltime": 4,
    "staff_scientists": 18,
    "staff_volunteers": 30,
    "staff_other": 0,
    "public_offline": 2600,
    "public_online": 15000,
    "media_outlets": 3,
    "media_reports": 7,
    "venues_opened": 1,
    "institutes_opened": "无",
    "universities_opened": None,
}


def _flat(text):
    return None if text is None else "".join(str(text).split())


def _sheet(values=FILLED, unit_name="泗县科学技术局"):
    wb = Workbook()
    ws = wb.active
    write_unit_sheet(ws, SPEC, unit_name=unit_name, values=values, campaign_title=CAMPAIGN)
    buf = io.BytesIO()
    wb.save(buf)
    return load_workbook(io.BytesIO(buf.getvalue())).active  # what a reader of the file sees


def test_it_lays_out_the_unit_sheet_exactly_like_the_attachment():
    ws = _sheet()
    assert {str(r) for r in ws.merged_cells.ranges} == EXPECTED_MERGES
    assert ws["A1"].value == "2023年全县科技活动周开展情况统计表"
    assert ws["A1"].font.b and ws["A1"].alignment.horizontal == "center"
    assert ws["A2"].value == "单位（盖章）：泗县科学技术局"
    table = [(ws.cell(r, 1).value, ws.cell(r, 2).value) for r in range(3, 19)]
    assert [(_flat(a), _flat(b)) for a, b in table] == [(_flat(a), _flat(b)) for a, b in ATTACHMENT]
    assert ws["A19"].value == "注：此表请按通知要求填写表格于5月30日前报县科技局"
    assert ws.max_column == 3


def test_it_writes_numbers_as_numbers_and_not_applicable_as_a_dash():
    ws = _sheet()
    assert ws["C3"].value == 6 and ws["C3"].number_format == "0"
    assert ws["C4"].value == 12.5 and ws["C4"].number_format == "#,##0.00##"
    assert ws["C6"].value == 0.8765
    assert ws["C7"].value == "—"  # fund_other
    assert ws["C11"].value == 0  # zero is a value, not a blank
    assert ws["C17"].value == "—"  # 无 → —
    assert ws["C18"].value is None  # blank stays blank


def test_it_rules_every_table_cell_and_sets_up_printing():
    ws = _sheet()
    # every edge of every (merged) table cell is ruled; inside a merged range there are no edges
    for row in range(3, 19):
        for col in range(1, 4):
            border = ws.cell(row, col).border
            rng = next((r for r in ws.merged_cells.ranges if ws.cell(row, col).coordinate in r), None)
            top = rng is None or row == rng.min_row
            bottom = rng is None or row == rng.max_row
            left = rng is None or col == rng.min_col
            right = rng is None or col == rng.max_col
            for edge, outer in (("top", top), ("bottom", bottom), ("left", left), ("right", right)):
                if outer:
                    assert getattr(border, edge).style == "thin", (row, col, edge)
    assert ws["A19"].border.left.style is None  # the footnote sits outside the table
    assert ws["B5"].alignment.wrap_text and ws["A4"].alignment.vertical == "center"
    assert int(ws.page_setup.paperSize) == 9  # A4
    assert ws.page_setup.orientation == "portrait"
    assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.print_area == "'Sheet'!$A$1:$C$19"
    assert [ws.column_dimensions[c].width for c in "ABC"] == [22, 48, 18]
    assert ws.row_dimensions[6].height > ws.row_dimensions[5].height  # the long 实物投入 label wraps
    assert CAMPAIGN in ws.oddHeader.right.text


def test_it_refuses_to_export_a_value_the_form_does_not_accept():
    with pytest.raises(ValueError, match="「举办活动次数」应为整数"):
        _sheet({"events_held": Decimal("2.5")}, unit_name="县气象局")


def test_blank_template_is_empty_with_prompts_and_validation():
    buf = io.BytesIO()
    blank_template(SPEC, "县气象局", CAMPAIGN, path_or_file=buf)
    ws = load_workbook(io.BytesIO(buf.getvalue())).active
    assert {str(r) for r in ws.merged_cells.ranges} == EXPECTED_MERGES
    assert [ws.cell(r, 3).value for r in range(3, 19)] == [None] * 16
    assert ws["A2"].value == "单位（盖章）：县气象局"
    validations = {str(dv.sqref): dv for dv in ws.data_validations.dataValidation}
    assert set(validations) == {f"C{r}" for r in range(3, 19)}
    assert validations["C3"].promptTitle == "举办活动次数（次）"
    assert "INT(C3)" in validations["C3"].formula1 and '"—"' in validations["C3"].formula1
    assert "ROUND(C4,4)" in validations["C4"].formula1
    assert validations["C3"].errorStyle == "warning"  # Excel warns, the importer decides


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("县自然资源规划局（林业局）", "县自然资源规划局（林业局）"),
        ("a/b\\c?d*e[f]g:h", "a_b_c_d_e_f_g_h"),
        ("'引号'", "引号"),
        ("", "单位"),
        ("History", "History_"),
        ("很" * 40, "很" * 31),
    ],
)
def test_sheet_titles_follow_excels_rules(name, expected):
    assert sheet_title(name, set()) == expected


def test_sheet_titles_are_unique_case_insensitively_within_31_chars():
    taken: set[str] = set()
    names = [sheet_title(n, taken) for n in ["ABC", "abc", "Abc", "长" * 40, "长" * 35]]
    assert names[:3] == ["ABC", "abc(2)", "Abc(3)"]
    assert names[3] == "长" * 31 and names[4] == "长" * 28 + "(2)"
    assert all(len(n) <= 31 for n in names)


def _units():
    return [
        UnitValues("341324001", "泗城镇", {**FILLED, "fund_other": Decimal("1")}),
        UnitValues("341324002", "墩集镇", {"events_held": 2, "fund_fiscal": "0.5", "fund_other": "—"}),
        UnitValues("341324100", "县科技局/科协", {"events_held": 10, "institutes_opened": "—"}),
    ]


def test_county_workbook_has_summary_matrix_and_one_sheet_per_unit():
    calls = []
    buf = io.BytesIO()
    export_workbook(SPEC, _units(), buf, campaign_title=CAMPAIGN, progress=lambda d, t: calls.append((d, t)))
    wb = load_workbook(io.BytesIO(buf.getvalue()))
    assert wb.sheetnames == ["汇总", "分单位明细", "泗城镇", "墩集镇", "县科技局_科协"]
    assert calls[-1] == (5, 5) and [d for d, _ in calls] == sorted(d for d, _ in calls)

    summary = wb["汇总"]
    assert {str(r) for r in summary.merged_cells.ranges} == EXPECTED_MERGES
    assert summary["A2"].value == "单位（盖章）：合计（3个单位）"
    assert summary["C3"].value == 18  # 6 + 2 + 10
    assert summary["C4"].value == 13  # 12.5 + 0.5
    assert summary["C7"].value == 1  # fund_other: 1 and —
    assert summary["C17"].value == "—"  # only "无"/"—": nobody had a number

    assert wb["墩集镇"]["A2"].value == "单位（盖章）：墩集镇"
    assert wb["墩集镇"]["C3"].value == 2


def test_matrix_has_a_two_level_header_frozen_panes_filter_and_totals():
    buf = io.BytesIO()
    export_workbook(SPEC, _units(), buf, campaign_title=CAMPAIGN)
    ws = load_workbook(io.BytesIO(buf.getvalue()))["分单位明细"]
    assert ws["A1"].value == "单位" and ws["B1"].value == "单位代码"
    assert ws["C1"].value == "科普活动开展次数" and ws["C2"].value == "举办活动次数（次）"
    assert (
        ws["D1"].value == "活动经费投入数量（单位：万元）"
        and ws["D2"].value == "县级(单位)财政经费投入情况（万元）"
    )
    assert ws["P1"].value == "活动周期间开放的科普场馆数量（个）"
    merges = {str(r) for r in ws.merged_cells.ranges}
    assert {"A1:A2", "B1:B2", "D1:G1", "H1:K1", "L1:M1", "N1:O1", "P1:P2", "Q1:Q2", "R1:R2"} <= merges
    assert not any(m.startswith("C1") for m in merges)  # one-row section: nothing to merge
    assert ws.freeze_panes == "C3"
    assert ws.auto_filter.ref == "A2:R5"
    assert [ws.cell(r, 1).value for r in range(3, 7)] == [
        "泗城镇",
        "墩集镇",
        "县科技局/科协",
        "合计（3个单位）",
    ]
    assert ws["B3"].value == "341324001"
    assert ws["C6"].value == 18 and ws["D6"].value == 13
    assert ws["D4"].number_format == "#,##0.00##" and ws["C4"].number_format == "#,##0"


def test_streaming_matrix_matches_the_in_workbook_matrix():
    units = _units()
    a, b = io.BytesIO(), io.BytesIO()
    export_workbook(SPEC, units, a, campaign_title=CAMPAIGN)
    calls = []
    n = export_matrix_streaming(
        SPEC, iter(units), b, campaign_title=CAMPAIGN, progress=lambda d, t: calls.append(d), progress_every=2
    )
    assert n == 3 and calls == [2, 3]
    left = load_workbook(io.BytesIO(a.getvalue()))["分单位明细"]
    right = load_workbook(io.BytesIO(b.getvalue()))["分单位明细"]
    assert list(right.values) == list(left.values)
    assert {str(r) for r in right.merged_cells.ranges} == {str(r) for r in left.merged_cells.ranges}
    assert right.freeze_panes == "C3" and right.auto_filter.ref == "A2:R5"
    assert right["D3"].number_format == "#,##0.00##"


def test_streaming_matrix_validates_values():
    with pytest.raises(ValueError, match="单位「坏单位」"):
        export_matrix_streaming(SPEC, [UnitValues("x", "坏单位", {"events_held": "很多"})], io.BytesIO())


# ---------------------------------------------------------------------------------------------
# Word


def _docx(values=FILLED):
    buf = io.BytesIO()
    export_unit_docx(
        SPEC, unit_name="泗县科学技术局", values=values, campaign_title=CAMPAIGN, path_or_file=buf
    )
    return buf.getvalue()


def test_word_table_has_the_attachment_layout_with_real_merges():
    document = Document(io.BytesIO(_docx()))
    texts = [p.text for p in document.paragraphs if p.text.strip()]
    assert texts == [
        "2023年全县科技活动周开展情况统计表",
        "单位（盖章）：泗县科学技术局",
        "注：此表请按通知要求填写表格于5月30日前报县科技局",
    ]
    (table,) = document.tables
    assert len(table.rows) == 16 and len(table.columns) == 3
    tcs = [row._tr.findall(qn("w:tc")) for row in table.rows]
    # vertically merged section cells: restart on the first row, continue below
    vmerge = [[tc.find(qn("w:tcPr")).find(qn("w:vMerge")) for tc in row] for row in tcs]
    assert vmerge[1][0].get(qn("w:val")) == "restart"
    assert all(
        vmerge[i][0] is not None and vmerge[i][0].get(qn("w:val")) in (None, "continue") for i in (2, 3, 4)
    )
    assert vmerge[0][0] is None and vmerge[5][0].get(qn("w:val")) == "restart"
    # rows without a section: one cell spanning two grid columns
    for i in (13, 14, 15):
        assert len(tcs[i]) == 2
        assert tcs[i][0].find(qn("w:tcPr")).find(qn("w:gridSpan")).get(qn("w:val")) == "2"
    cells = [[c.text for c in row.cells] for row in table.rows]
    expected = []
    section = None
    for a, b in ATTACHMENT:
        section = a if a is not None else section
        expected.append([_flat(section), _flat(b)] if b is not None else [_flat(a), _flat(a)])
    assert [[_flat(r[0]), _flat(r[1])] for r in cells] == expected
    assert [r[2] for r in cells] == [
        "6", "12.5", "3.25", "0.8765", "—", "4", "18", "30", "0", "2600", "15000", "3", "7", "1", "—", "",
    ]  # fmt: skip


def test_word_sets_an_east_asian_font_on_styles():
    data = _docx()
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        styles = zf.read("word/styles.xml").decode()
    assert 'w:eastAsia="宋体"' in styles
    document = Document(io.BytesIO(data))
    fonts = document.styles["Normal"].element.rPr.find(qn("w:rFonts"))
    assert fonts.get(qn("w:eastAsia")) == "宋体"
    section = document.sections[0]
    assert round(section.page_width.cm, 1) == 21.0 and round(section.page_height.cm, 1) == 29.7
