"""Opening uploaded Excel and Word files: real files, wrong files, broken files, hostile files."""

from __future__ import annotations

import io

import pytest

from sciweek.core.files import (
    UploadRejected,
    cell_ref,
    office_read_errors,
    open_docx_safely,
    open_xlsx_safely,
)

from .test_files_factory import (
    PYTEST_DJANGO_ACTIVE,
    docx_bytes,
    pdf_bytes,
    rewrite_zip,
    xlsx_bytes,
    zip_bytes,
)

if not PYTEST_DJANGO_ACTIVE:
    from .test_files_factory import standalone_settings  # noqa: F401 - provides `settings`

SHEET_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def rejected_xlsx(data: bytes, **kwargs) -> UploadRejected:
    with pytest.raises(UploadRejected) as caught:
        open_xlsx_safely(io.BytesIO(data), field_label="统计表", **kwargs)
    return caught.value


def test_it_opens_a_real_workbook_read_only():
    workbook = open_xlsx_safely(io.BytesIO(xlsx_bytes()), field_label="统计表")
    try:
        rows = list(workbook["统计表"].iter_rows(values_only=True))
    finally:
        workbook.close()
    assert rows[0] == ("项目", "单位", "数量")
    assert rows[2] == ("参与群众", "人", 3500)


def test_it_opens_a_real_workbook_for_editing():
    workbook = open_xlsx_safely(io.BytesIO(xlsx_bytes()), field_label="统计表", read_only=False)
    assert workbook.active["C4"].value == 4.5


def test_a_pdf_renamed_xlsx_says_what_it_really_is():
    error = rejected_xlsx(pdf_bytes())
    assert error.message == "「统计表」不是有效的 Excel 文件（检测到 PDF 内容），允许的格式：.xlsx"


def test_a_word_file_is_not_a_workbook():
    error = rejected_xlsx(docx_bytes())
    assert "检测到 Word 内容" in error.message


def test_a_truncated_workbook_is_damaged():
    data = xlsx_bytes()
    error = rejected_xlsx(data[: len(data) * 2 // 3])
    assert error.message.startswith("「统计表」文件已损坏或不完整")


def test_a_workbook_with_broken_xml_is_reported_not_raised():
    data = rewrite_zip(xlsx_bytes(), replace={"xl/workbook.xml": b"<workbook><sheets><sheet name="})
    error = rejected_xlsx(data)
    assert error.code == "office_unreadable"
    assert error.message.startswith("「统计表」不是有效的 Excel 文件，或文件已损坏")


def test_a_zip_that_only_looks_like_a_workbook_is_reported():
    data = zip_bytes({"xl/workbook.xml": b"<x/>", "[Content_Types].xml": b"<Types/>"})
    assert rejected_xlsx(data).code == "office_unreadable"


def test_lazy_sheet_errors_are_caught_while_iterating():
    broken_sheet = (
        f'<worksheet xmlns="{SHEET_NS}"><dimension ref="A1:C4"/><sheetData>'
        '<row r="1"><c r="A1" t="n"><v>1</v></c></row><row r="2"><c r="A2" t="n"><v>2</'
    ).encode()
    data = rewrite_zip(xlsx_bytes(), replace={"xl/worksheets/sheet1.xml": broken_sheet})
    workbook = open_xlsx_safely(io.BytesIO(data), field_label="统计表")
    try:
        with pytest.raises(UploadRejected) as caught, office_read_errors("统计表"):
            list(workbook.active.iter_rows(values_only=True))
    finally:
        workbook.close()
    assert caught.value.code == "office_unreadable"


def test_entity_expansion_is_refused_before_parsing():
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        b'<!ENTITY lol9 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
        b'<sst xmlns="' + SHEET_NS.encode() + b'" count="1"><si><t>&lol9;</t></si></sst>'
    )
    data = rewrite_zip(xlsx_bytes(), add={"xl/sharedStrings.xml": laughs})
    error = rejected_xlsx(data)
    assert error.code == "xml_doctype"


def test_a_zip_bomb_dressed_as_a_workbook_is_refused():
    data = rewrite_zip(xlsx_bytes(), add={"xl/media/zeros.bin": bytes(50 * 1024 * 1024)})
    assert rejected_xlsx(data).code == "zip_ratio"


def test_it_opens_a_real_word_document():
    document = open_docx_safely(io.BytesIO(docx_bytes()), field_label="活动总结")
    assert [p.text for p in document.paragraphs] == ["泗县2023年科技活动周总结", "本单位共举办活动12场。"]


def test_a_workbook_is_not_a_word_document():
    with pytest.raises(UploadRejected) as caught:
        open_docx_safely(io.BytesIO(xlsx_bytes()), field_label="活动总结")
    assert caught.value.message == "「活动总结」不是有效的 Word 文件（检测到 Excel 内容），允许的格式：.docx"


def test_a_broken_word_document_is_reported():
    data = rewrite_zip(docx_bytes(), replace={"word/document.xml": b"<w:document"})
    with pytest.raises(UploadRejected) as caught:
        open_docx_safely(io.BytesIO(data), field_label="活动总结")
    assert caught.value.message.startswith("「活动总结」不是有效的 Word 文件，或文件已损坏")


def test_a_word_document_with_an_embedded_workbook_opens():
    data = rewrite_zip(docx_bytes(), add={"word/embeddings/Microsoft_Excel_Worksheet.xlsx": xlsx_bytes()})
    document = open_docx_safely(io.BytesIO(data), field_label="活动总结")
    assert document.paragraphs[0].text == "泗县2023年科技活动周总结"


def test_legacy_doc_gets_a_save_as_hint():
    with pytest.raises(UploadRejected) as caught:
        open_docx_safely(
            io.BytesIO(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(1024)), field_label="活动总结"
        )
    assert "另存为 .docx" in caught.value.message


@pytest.mark.parametrize(
    ("title", "row", "col", "ref"),
    [
        ("Sheet1", 3, 2, "Sheet1!B3"),
        ("统计表", 12, 27, "统计表!AA12"),
        ("My Sheet", 1, 1, "'My Sheet'!A1"),
        ("泗县(2023)", 5, 3, "'泗县(2023)'!C5"),
        ("O'Brien", 2, 2, "'O''Brien'!B2"),
    ],
)
def test_cell_ref(title: str, row: int, col: int, ref: str):
    assert cell_ref(title, row, col) == ref


def test_cell_ref_counts_from_one():
    with pytest.raises(ValueError):
        cell_ref("Sheet1", 0, 1)
