"""Reading filled-in tables back: by row label, from xlsx / docx / zip, never raising."""

from __future__ import annotations

import io
import logging
import random
import struct
import zipfile
from decimal import Decimal

import pytest
from docx import Document
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from openpyxl.styles import Font

from sciweek.reports.excel import (
    FileResult,
    UnitValues,
    export_unit_docx,
    export_unit_workbook,
    export_workbook,
    read_stat_files,
    write_unit_sheet,
)
from sciweek.reports.excel import importer as importer_module
from sciweek.reports.formspec import NOT_APPLICABLE, SIXIAN_2023_FORM, parse_value

SPEC = SIXIAN_2023_FORM
CAMPAIGN = "2023年泗县科技活动周"
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
    "universities_opened": 0,
}


def _xlsx(values=FILLED, unit="泗县科学技术局"):
    buf = io.BytesIO()
    export_unit_workbook(SPEC, unit_name=unit, values=values, campaign_title=CAMPAIGN, path_or_file=buf)
    return buf.getvalue()


def _docx(values=FILLED, unit="泗县科学技术局"):
    buf = io.BytesIO()
    export_unit_docx(SPEC, unit_name=unit, values=values, campaign_title=CAMPAIGN, path_or_file=buf)
    return buf.getvalue()


def _zip(members, *, compression=zipfile.ZIP_DEFLATED):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression) as zf:
        for name, data in members:
            zf.writestr(name, data)
    return buf.getvalue()


def _plain(sheet):
    """{code: Decimal | "—" | None} of a SheetResult, for comparing with what was exported."""
    out = {}
    for code, parsed in sheet.values.items():
        assert parsed.error is None, parsed.error
        out[code] = NOT_APPLICABLE if parsed.not_applicable else parsed.value
    return out


def _expected(values):
    out = {}
    for row in SPEC.rows:
        parsed = parse_value(values.get(row.code), row)
        out[row.code] = NOT_APPLICABLE if parsed.not_applicable else parsed.value
    return out


def _messages(result: FileResult, severity=None):
    return [p.message_zh for p in result.all_problems if severity is None or p.severity == severity]


def _only_sheet(results):
    (result,) = results
    (sheet,) = result.sheets
    return result, sheet


# ---------------------------------------------------------------------------------------------
# Round trips


@pytest.mark.parametrize("make", [_xlsx, _docx], ids=["xlsx", "docx"])
def test_it_reads_back_what_it_exported(make):
    result, sheet = _only_sheet(read_stat_files([("泗县科学技术局.file", make())], SPEC))
    assert result.ok and result.kind in ("xlsx", "docx")
    assert sheet.unit_text == "泗县科学技术局"
    assert sheet.missing_rows == []
    assert _plain(sheet) == _expected(FILLED)
    assert _messages(result, "error") == []


row_values = st.fixed_dictionaries(
    {
        row.code: st.one_of(
            st.none(),
            st.just(NOT_APPLICABLE),
            st.decimals(
                min_value=0, max_value=10**9, places=row.decimals, allow_nan=False, allow_infinity=False
            ),
        )
        for row in SPEC.rows
    }
)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(values=row_values, unit=st.text(alphabet="泗县镇局科协农业街道（）·ABC 123", min_size=1, max_size=20))
def test_round_trip_holds_for_any_valid_values(values, unit):
    unit = " ".join(unit.split()) or "某单位"  # a unit name has no runs of spaces
    for name, data in (("a.xlsx", _xlsx(values, unit)), ("a.docx", _docx(values, unit))):
        result, sheet = _only_sheet(read_stat_files([(name, data)], SPEC))
        assert _plain(sheet) == _expected(values), name
        assert sheet.unit_text == unit


def test_county_workbook_reads_back_one_result_per_unit_and_skips_the_summary():
    units = [
        UnitValues("1", "泗城镇", FILLED),
        UnitValues("2", "墩集镇", {"events_held": 2, "fund_fiscal": "0.5"}),
        UnitValues("3", "县气象局", {"events_held": 1, "venues_opened": "—"}),
    ]
    buf = io.BytesIO()
    export_workbook(SPEC, units, buf, campaign_title=CAMPAIGN)
    (result,) = read_stat_files([("全县.xlsx", buf.getvalue())], SPEC)
    assert [s.unit_text for s in result.sheets] == ["泗城镇", "墩集镇", "县气象局"]
    assert [s.source for s in result.sheets] == [
        "全县.xlsx › 泗城镇",
        "全县.xlsx › 墩集镇",
        "全县.xlsx › 县气象局",
    ]
    for sheet, unit in zip(result.sheets, units, strict=True):
        assert _plain(sheet) == _expected(unit.values)
    assert any("已跳过汇总表：汇总、分单位明细" in m for m in _messages(result, "info"))


def test_several_unit_tables_in_one_workbook():
    wb = Workbook()
    wb.remove(wb.active)
    for name, events in (("甲单位", 1), ("乙单位", 2), ("丙单位", 3)):
        write_unit_sheet(
            wb.create_sheet(name), SPEC, unit_name=name, values={"events_held": events}, campaign_title=""
        )
    notes = wb.create_sheet("填表说明")
    notes["A1"] = "请各单位如实填写，不适用的填“—”。"
    buf = io.BytesIO()
    wb.save(buf)
    (result,) = read_stat_files([("三个单位.xlsx", buf.getvalue())], SPEC)
    assert [(s.unit_text, s.values["events_held"].value) for s in result.sheets] == [
        ("甲单位", 1),
        ("乙单位", 2),
        ("丙单位", 3),
    ]


# ---------------------------------------------------------------------------------------------
# A unit that reformatted the template


def _reformatted_workbook():
    wb = Workbook()
    wb.active.title = "填表说明"
    wb.active["A1"] = "本表由办公室填报，报送前请核对。"
    ws = wb.create_sheet("统计表")  # the table is on the second sheet
    ws.merge_cells("D2:H2")
    ws["D2"] = "2023年全县科技活动周开展情况统计表"
    ws["D2"].font = Font(bold=True)
    ws["D3"] = "单位（盖章）："  # name in the next cell
    ws["E3"] = "泗县农业农村局"
    ws.append([])
    for r, row in enumerate(
        [
            ("项目", "指标", "计量单位", "数值", "备注"),
            ("科普活动开展次数", "举办活动次数", "次", "１２", None),
            (None, None, None, None, None),  # a blank row inserted
            ("活动经费投入数量(单位:万元)", "县级（单位）财政 经费投入情况", "万元", "12.5万元", None),
            (None, "企业赞助\n经费情况", None, "3", None),
            ("活动经费投入数量（单位：万元）", "实物投入情况", None, "—", "无实物"),
            (None, "其它经费情况", None, "无", None),
            ("科普工作人员参与数量", "1.科普专职人员数量", "人", "5人", None),
            (None, "科技工作者 参与数量", "人", 8, None),
            (None, "招募科技志愿者数量", "人", "２０", None),
            (None, "其他人员数量", "人", 0, None),
            ("科普活动群众参与数量", "线下活动群众参与数量（人次）", None, "1，500人次", None),
            (None, "线上活动群众参与数量", None, "3,000", None),
            ("宣传报道情况", "参与媒体数量", "家", "2家", "含县融媒体中心"),
            (None, "宣传报道数量", "篇", 5, None),
            ("活动周期间开放的\n科普场馆数量", None, "个", 1, None),
            ("开放科研院所数量", None, "个", "—", None),
            ("活动周期间开放活动 的 大学数量", None, "所", "0", None),
            ("科普兼职人员数量", None, "人", 7, "本单位自加的行"),
        ],
        start=5,
    ):
        for c, value in enumerate(row, start=4):
            if value is not None:
                ws.cell(r, c, value)
    ws.merge_cells("D8:D9")  # merged over two of its four rows only
    ws.merge_cells("D12:D15")
    ws.merge_cells("D20:E20")
    ws["D25"] = "注：此表请按通知要求填写表格于5月30日前报县科技局"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


REFORMATTED_EXPECTED = {
    "events_held": Decimal(12),
    "fund_fiscal": Decimal("12.5"),
    "fund_enterprise": Decimal(3),
    "fund_in_kind": NOT_APPLICABLE,
    "fund_other": NOT_APPLICABLE,
    "staff_fulltime": Decimal(5),
    "staff_scientists": Decimal(8),
    "staff_volunteers": Decimal(20),
    "staff_other": Decimal(0),
    "public_offline": Decimal(1500),
    "public_online": Decimal(3000),
    "media_outlets": Decimal(2),
    "media_reports": Decimal(5),
    "venues_opened": Decimal(1),
    "institutes_opened": NOT_APPLICABLE,
    "universities_opened": Decimal(0),
}


def test_it_reads_a_reformatted_table_by_its_labels():
    result, sheet = _only_sheet(read_stat_files([("农业农村局.xlsx", _reformatted_workbook())], SPEC))
    assert sheet.source == "农业农村局.xlsx › 统计表"
    assert sheet.unit_text == "泗县农业农村局"
    assert sheet.missing_rows == []
    assert _plain(sheet) == REFORMATTED_EXPECTED
    assert _messages(result, "error") == []
    # the row the unit added is reported, not silently dropped or mistaken for 科普专职人员数量
    (stray,) = [p for p in sheet.problems if "不是统计表中的项目" in p.message_zh]
    assert stray.where == "农业农村局.xlsx › 统计表!G23"
    assert (
        stray.message_zh
        == "农业农村局.xlsx › 统计表!G23：「科普兼职人员数量」不是统计表中的项目，该行的值 7 未导入"
    )


def test_it_reads_a_reformatted_word_table():
    document = Document()
    document.add_paragraph("2023年全县科技活动周开展情况统计表")
    document.add_paragraph("填报单位：县气象局    填报人：张三")
    table = document.add_table(rows=1, cols=4)
    for cell, text in zip(table.rows[0].cells, ("序号", "项目", "数量", "备注"), strict=True):
        cell.text = text
    rows = [
        ("1", "举办活动次数", "3次", ""),
        ("2", "县级（单位）财政经费投入情况（万元）", "0.5", ""),
        ("3", "企业赞助经费情况", "—", ""),
        ("4", "实物投入情况（如：捐赠图书、光盘等）", "无", ""),
        ("5", "其他经费情况", "0", ""),
        ("6", "科普专职人员数量", "2", ""),
        ("7", "科技工作者参与数量", "6", ""),
        ("8", "招募科技志愿者数量", "10", ""),
        ("9", "其他人员数量", "1", ""),
        ("10", "线下活动群众参与数量", "1,200", "含气象科普馆"),
        ("11", "线上活动群众参与数量", "８００", ""),
        ("12", "参与媒体数量", "1", ""),
        ("13", "宣传报道数量", "2", ""),
        ("14", "开放科普场馆数量", "1", ""),
        ("15", "科研院所", "—", ""),
        ("16", "高校", "—", ""),
    ]
    for row in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, row, strict=True):
            cell.text = text
    table.cell(1, 3).merge(table.cell(3, 3))  # a remark merged over three rows
    buf = io.BytesIO()
    document.save(buf)
    result, sheet = _only_sheet(read_stat_files([("气象局.docx", buf.getvalue())], SPEC))
    assert sheet.unit_text == "县气象局"
    assert sheet.missing_rows == []
    values = _plain(sheet)
    assert values["events_held"] == 3 and values["fund_fiscal"] == Decimal("0.5")
    assert values["fund_in_kind"] == NOT_APPLICABLE and values["public_offline"] == 1200
    assert values["public_online"] == 800 and values["universities_opened"] == NOT_APPLICABLE
    assert _messages(result, "error") == []


def test_it_names_file_sheet_and_cell_for_bad_values():
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(_xlsx()))
    ws = wb.active
    ws["C3"] = "3.5"
    ws["C4"] = -1
    ws["C14"] = "很多"
    ws["C12"] = 2_000_000  # 线下活动群众参与数量: two million people at one unit's events?
    ws["C9"] = None
    buf = io.BytesIO()
    wb.save(buf)
    result, sheet = _only_sheet(read_stat_files([("科技局.xlsx", buf.getvalue())], SPEC))
    errors = {p.where: p.message_zh for p in sheet.problems if p.severity == "error"}
    sheet_name = ws.title
    assert errors == {
        f"科技局.xlsx › {sheet_name}!C3": f"科技局.xlsx › {sheet_name}!C3：「举办活动次数」应为整数，收到 3.5",
        f"科技局.xlsx › {sheet_name}!C4": (
            f"科技局.xlsx › {sheet_name}!C4：「县级(单位)财政经费投入情况」不能为负数，收到 -1"
        ),
        f"科技局.xlsx › {sheet_name}!C14": f"科技局.xlsx › {sheet_name}!C14：「参与媒体数量」应填写数字，收到「很多」",
    }
    warnings = " / ".join(p.message_zh for p in sheet.problems if p.severity == "warning")
    assert f"{sheet_name}!C12：「线下活动群众参与数量」为 2,000,000人次，对一个单位来说明显偏大" in warnings
    assert f"{sheet_name}!B9：「科技工作者参与数量」未填写" in warnings
    assert sheet.values["public_offline"].value == 2_000_000  # a warning keeps the value
    assert not result.ok


def test_fuzzy_labels_are_matched_and_reported_and_duplicates_are_flagged():
    wb = Workbook()
    ws = wb.active
    ws.append(["举办活动次数", 3])
    ws.append(["线下活动群众参与人数", 100])  # not a label, nor an alias: close enough
    ws.append(["宣传报道数量", 4])
    ws.append(["宣传报道数量", 9])
    buf = io.BytesIO()
    wb.save(buf)
    result, sheet = _only_sheet(read_stat_files([("x.xlsx", buf.getvalue())], SPEC))
    assert sheet.values["public_offline"].value == 100
    assert sheet.values["media_reports"].value == 4
    text = " / ".join(_messages(result))
    assert "「线下活动群众参与人数」按相近名称识别为「线下活动群众参与数量」" in text
    assert "「宣传报道数量」出现了不止一次（A3 和 A4），已采用先出现的 4" in text
    assert "未填写单位名称" in text
    assert set(sheet.missing_rows) == set(SPEC.codes) - {"events_held", "public_offline", "media_reports"}


# ---------------------------------------------------------------------------------------------
# Archives and hostile files


def _gbk_named_zip(members):
    """A zip as Chinese Windows makes it: GBK names without the UTF-8 flag."""
    placeholders = []
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for i, (name, data) in enumerate(members):
            raw = name.encode("gbk")
            placeholder = chr(ord("A") + i).encode() * len(raw)
            placeholders.append((placeholder, raw))
            zf.writestr(placeholder.decode(), data)
    out = buf.getvalue()
    for placeholder, raw in placeholders:
        out = out.replace(placeholder, raw)
    return out


def test_a_zip_of_three_tables_gives_three_results():
    data = _gbk_named_zip(
        [
            ("泗城镇.xlsx", _xlsx(unit="泗城镇")),
            ("县气象局.docx", _docx({"events_held": 2}, unit="县气象局")),
            ("__MACOSX/._泗城镇.xlsx", b"\x00\x05\x16\x07"),
            ("说明.txt", "请查收".encode()),
            ("墩集镇/统计表.xlsx", _xlsx({"events_held": 1}, unit="墩集镇")),
        ]
    )
    results = read_stat_files([("各单位.zip", data)], SPEC)
    assert [(r.name, r.kind) for r in results] == [
        ("各单位.zip", "zip"),
        ("各单位.zip › 泗城镇.xlsx", "xlsx"),
        ("各单位.zip › 县气象局.docx", "docx"),
        ("各单位.zip › 墩集镇/统计表.xlsx", "xlsx"),
    ]
    assert _messages(results[0]) == ["各单位.zip › 说明.txt：不是 Excel/Word 文件，已忽略"]
    assert [r.sheets[0].unit_text for r in results[1:]] == ["泗城镇", "县气象局", "墩集镇"]
    assert results[2].sheets[0].values["events_held"].value == 2
    assert results[2].sheets[0].source == "各单位.zip › 县气象局.docx › 表格1"


def test_members_that_are_not_tables_are_skipped_or_named():
    data = _zip(
        [
            ("现场照片.jpg", b"\xff\xd8\xff\xe0" + b"\x10" * 5000),
            ("县科协统计表.xlsx", b"%PDF-1.4\n..."),
            ("旧表.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100),
            ("空表.xlsx", b""),
            ("好表.xlsx", _xlsx(unit="县科协")),
        ]
    )
    archive, table = read_stat_files([("材料.zip", data)], SPEC)
    assert [(p.severity, p.message_zh) for p in archive.problems] == [
        ("info", "材料.zip › 现场照片.jpg：不是 Excel/Word 文件，已忽略"),
        (
            "error",
            "材料.zip › 县科协统计表.xlsx：不是 Excel/Word 文件（内容是 PDF 文档），请上传 .xlsx 或 .docx 格式的统计表",
        ),
        (
            "error",
            "材料.zip › 旧表.xls：是旧版 Excel/Word 格式（.xls / .doc）或加了密码的文件，"
            "请用 Excel 或 WPS 另存为 .xlsx / .docx 后上传",
        ),
        ("warning", "材料.zip › 空表.xlsx：文件为空，已跳过"),
    ]
    assert table.name == "材料.zip › 好表.xlsx" and table.sheets[0].unit_text == "县科协"


def test_a_zip_bomb_is_refused_by_ratio_before_it_is_inflated():
    big = b"\x00" * (20 * 1024 * 1024)
    (result,) = read_stat_files([("bomb.zip", _zip([("a.xlsx", big)]))], SPEC)
    assert result.kind == "zip" and result.sheets == []
    assert _messages(result) == ["bomb.zip：「a.xlsx」压缩比异常（超过 100:1，疑似压缩炸弹），已拒绝"]


def _patch_central_sizes(data: bytes, size: int) -> bytes:
    """Make every central-directory entry claim ``size`` uncompressed bytes."""
    out = bytearray(data)
    pos = out.find(b"PK\x01\x02")
    while pos != -1:
        struct.pack_into("<I", out, pos + 24, size)
        pos = out.find(b"PK\x01\x02", pos + 4)
    return bytes(out)


def test_a_zip_whose_members_add_up_past_200_mb_is_refused_whole():
    noise = [random.Random(i).randbytes(1024 * 1024) for i in range(3)]  # incompressible: ratio 90:1
    data = _zip([(f"{i}.xlsx", noise[i]) for i in range(3)], compression=zipfile.ZIP_STORED)
    data = _patch_central_sizes(data, 90 * 1024 * 1024)  # 270 MB declared in all
    (result,) = read_stat_files([("大.zip", data)], SPEC)
    assert _messages(result) == ["大.zip：解压后超过 200 MB（疑似压缩炸弹），已拒绝"]


def test_a_member_that_lies_about_its_size_cannot_inflate_past_it():
    data = _zip([("a.xlsx", b"A" * (8 * 1024 * 1024))])
    data = _patch_central_sizes(data, 1000)  # claims 1000 bytes, really 8 MB
    (result,) = read_stat_files([("谎报.zip", data)], SPEC)
    assert not result.ok and result.sheets == []
    assert "损坏" in _messages(result)[0]


def test_an_office_file_with_an_inflated_part_is_refused():
    with zipfile.ZipFile(io.BytesIO(_xlsx())) as src:
        parts = [(i.filename, src.read(i)) for i in src.infolist()]
    data = _zip([*parts, ("xl/media/pad.bin", b"\x00" * (8 * 1024 * 1024))])
    (result,) = read_stat_files([("胖.xlsx", data)], SPEC)
    assert result.kind == "xlsx" and result.sheets == []
    assert _messages(result) == [
        "胖.xlsx：「xl/media/pad.bin」压缩比异常（超过 100:1，疑似压缩炸弹），已拒绝"
    ]


def _after_declaration(xml: bytes, insert: bytes) -> bytes:
    if xml.startswith(b"<?xml"):
        end = xml.index(b"?>") + 2
        return xml[:end] + insert + xml[end:]
    return insert + xml


def test_an_office_file_with_a_dtd_is_refused():
    with zipfile.ZipFile(io.BytesIO(_xlsx())) as src:
        parts = [(i.filename, src.read(i)) for i in src.infolist()]
    dtd = b'<!DOCTYPE x [<!ENTITY a "aaaa">]>'
    parts = [(n, _after_declaration(d, dtd) if n == "xl/workbook.xml" else d) for n, d in parts]
    (result,) = read_stat_files([("实体.xlsx", _zip(parts))], SPEC)
    assert _messages(result) == ["实体.xlsx：文件内部含有不允许的 XML 声明（DTD/实体），已拒绝"]


def test_a_nested_zip_is_not_opened():
    inner = _zip([("a.xlsx", _xlsx())])
    results = read_stat_files([("外层.zip", _zip([("内层.zip", inner), ("b.xlsx", _xlsx(unit="乙"))]))], SPEC)
    assert [r.name for r in results] == ["外层.zip", "外层.zip › b.xlsx"]
    assert _messages(results[0]) == [
        "外层.zip › 内层.zip：压缩包内又嵌套了压缩包，不予处理，请解压后直接上传其中的表格"
    ]


@pytest.mark.parametrize(
    "evil", ["../../etc/统计表.xlsx", "/tmp/统计表.xlsx", "C:/统计表.xlsx", "a/../../b.xlsx"]
)
def test_traversal_names_refuse_the_whole_archive(evil):
    data = _zip([("ok.xlsx", _xlsx()), (evil, _xlsx())])
    (result,) = read_stat_files([("上报.zip", data)], SPEC)
    assert result.sheets == []
    (message,) = _messages(result)
    assert message.startswith("上报.zip：压缩包中的文件名「") and "不安全的路径" in message


def test_a_pdf_renamed_xlsx_is_named_for_what_it_is():
    (result,) = read_stat_files(
        [("统计表.xlsx", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n")], SPEC
    )
    assert result.kind == "pdf"
    assert _messages(result) == [
        "统计表.xlsx：不是 Excel/Word 文件（内容是 PDF 文档），请上传 .xlsx 或 .docx 格式的统计表"
    ]


@pytest.mark.parametrize(
    ("data", "kind", "text"),
    [
        (b"", "empty", "文件为空"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "ole2", "旧版 Excel/Word 格式"),
        ("单位,举办活动次数\n县科技局,3\n".encode(), "unknown", "不是 Excel/Word 文件"),
    ],
)
def test_other_non_office_files(data, kind, text):
    (result,) = read_stat_files([("表.xlsx", data)], SPEC)
    assert result.kind == kind and text in _messages(result)[0]


@pytest.mark.parametrize("make", [_xlsx, _docx], ids=["xlsx", "docx"])
@pytest.mark.parametrize("keep", [0.3, 0.6, 0.95])
def test_a_truncated_file_is_reported_as_damaged(make, keep):
    data = make()
    (result,) = read_stat_files([("断了.xlsx", data[: int(len(data) * keep)])], SPEC)
    assert not result.ok and result.sheets == []
    assert "已损坏或不完整" in _messages(result)[0]


# ---------------------------------------------------------------------------------------------
# Never raises


class _Unexpected(logging.Handler):
    def __init__(self):
        super().__init__()
        self.records: list[logging.LogRecord] = []

    def emit(self, record):
        if "unexpected failure" in record.getMessage():
            self.records.append(record)


def _check_never_raises(name, data):
    handler = _Unexpected()
    importer_module.logger.addHandler(handler)
    try:
        results = read_stat_files([(name, data)], SPEC)
    finally:
        importer_module.logger.removeHandler(handler)
    assert results and all(isinstance(r, FileResult) for r in results)
    for result in results:
        assert result.name.startswith(name)
        for problem in result.all_problems:
            assert problem.message_zh.startswith(problem.where) and problem.where.startswith(name)
    # the broad last-resort handler exists, but ordinary garbage must not need it
    assert handler.records == [], handler.records[0].getMessage()


SAMPLES = {"xlsx": _xlsx(), "docx": _docx(), "zip": _zip([("a.xlsx", _xlsx()), ("b.docx", _docx())])}


@settings(max_examples=300, deadline=None)
@given(data=st.binary(max_size=4096), zip_magic=st.booleans())
def test_importer_never_raises_on_arbitrary_bytes(data, zip_magic):
    _check_never_raises("随机.xlsx", (b"PK\x03\x04" + data) if zip_magic else data)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    kind=st.sampled_from(sorted(SAMPLES)),
    edits=st.lists(st.tuples(st.floats(0, 1, exclude_max=True), st.integers(0, 255)), min_size=1, max_size=8),
    cut=st.one_of(st.none(), st.floats(0, 1)),
)
def test_importer_never_raises_on_damaged_office_files(kind, edits, cut):
    data = bytearray(SAMPLES[kind])
    for where, byte in edits:
        data[int(where * len(data))] = byte
    if cut is not None:
        data = data[: int(cut * len(data))]
    _check_never_raises("坏文件.xlsx", bytes(data))


def test_a_zip_needing_an_unknown_format_version_is_damaged_not_a_crash():
    """zipfile raises NotImplementedError ("zip file version 6.4") for a central directory entry that
    asks for a newer format; found by the fuzz test above."""
    data = bytearray(SAMPLES["xlsx"])
    at = data.find(b"PK\x01\x02")
    data[at + 6 : at + 8] = struct.pack("<H", 64)  # version needed to extract: 6.4
    _check_never_raises("新格式.xlsx", bytes(data))
    (result,) = read_stat_files([("新格式.xlsx", bytes(data))], SPEC)
    assert not result.ok


def test_non_bytes_input_is_a_problem_not_a_crash():
    (result,) = read_stat_files([("奇怪", "不是字节")], SPEC)  # type: ignore[list-item]
    assert not result.ok
