"""The downloadable import template: a 单位名单 sheet with the columns the importer reads, a 类型
dropdown, and a 填写说明 sheet with what goes in each column and a worked example."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from sciweek.core.cells import safe_cell, safe_row

from .importer import SHEET_NAME
from .importspec import COLUMNS, kind_labels

TEMPLATE_ROWS = 2000
HEADER_FILL = PatternFill("solid", fgColor="1F4E8C")
REQUIRED_FILL = PatternFill("solid", fgColor="C8102E")


def example_rows(region: str) -> list[list[str]]:
    return [
        ["", "泗县示例镇", "镇（街道）", "", "示例镇", "", "张三", "科技专干", "13800000001", ""],
        ["", "泗县示例镇", "", "", "", "", "李四", "分管副镇长", "13800000002", "lisi@example.com"],
        [
            region,
            "泗县示例学会",
            "学会/协会",
            "",
            "县示例学会",
            "示例学会、县示例协会",
            "王五",
            "秘书长",
            "13800000003",
            "",
        ],
        ["县示例学会", "示例学会青年工作委员会", "单位分组", "", "", "", "", "", "", ""],
    ]


def build_import_template(*, region: str) -> bytes:
    """The template as xlsx bytes; `region` is the organizer's area (泗县), used when 上级单位 is empty."""
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET_NAME
    ws.append([c.label for c in COLUMNS])
    for index, column in enumerate(COLUMNS, start=1):
        cell = ws.cell(row=1, column=index)
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = REQUIRED_FILL if column.key == "name" else HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center")
        ws.column_dimensions[cell.column_letter].width = column.width
        # Text format so that WPS / Excel keep leading zeros in codes and do not turn mobiles into 1.38E+10.
        for row in range(2, TEMPLATE_ROWS + 2):
            ws.cell(row=row, column=index).number_format = "@"
    ws.freeze_panes = "A2"
    ws.row_dimensions[1].height = 22
    kind_col = next(i for i, c in enumerate(COLUMNS, start=1) if c.key == "kind")
    letter = ws.cell(row=1, column=kind_col).column_letter
    dv = DataValidation(
        type="list",
        formula1='"' + ",".join(kind_labels()) + '"',
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="单位类型",
        error="请从下拉列表中选择单位类型。",
        promptTitle="单位类型",
        prompt="新建单位必填；已有单位可留空。",
        showInputMessage=True,
    )
    dv.add(f"{letter}2:{letter}{TEMPLATE_ROWS + 1}")
    ws.add_data_validation(dv)
    _instructions(wb.create_sheet("填写说明"), region)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _instructions(ws, region: str) -> None:  # noqa: ANN001 - an openpyxl worksheet
    bold = Font(bold=True)
    lines = [
        ("单位名单导入说明", True),
        (
            f"1. 在「{SHEET_NAME}」工作表中每行填写一位联系人；同一单位有多位联系人时占多行，单位名称保持一致。",
            False,
        ),
        ("2. 只有单位、暂无联系人时，联系人各列留空即可。", False),
        (
            f"3. 「上级单位」留空表示直属于「{region}」；填写时可用单位树中已有单位的名称、简称或别名，"
            "也可用本表前面行新建的单位。",
            False,
        ),
        ("4. 已在单位树中的单位（按名称、简称或别名匹配）不会重复新建，只会添加联系人和新的别名。", False),
        (
            "5. 上传后系统先显示预览，逐行列出将要新建的单位、匹配到的已有单位和添加的联系人；"
            "有任何问题时不会导入任何数据，请按提示修改后重新上传。",
            False,
        ),
        ("6. 文件须为 .xlsx 格式（不支持 .xls），大小不超过5 MB，最多3000行。", False),
        ("", False),
        ("各列说明", True),
    ]
    for text, strong in lines:
        ws.append([safe_cell(text)])
        ws.merge_cells(start_row=ws.max_row, start_column=1, end_row=ws.max_row, end_column=2)
        if strong:
            ws.cell(row=ws.max_row, column=1).font = Font(bold=True, size=13 if text == lines[0][0] else 11)
    for column in COLUMNS:
        ws.append([column.label, column.help])
        ws.cell(row=ws.max_row, column=1).font = bold
    ws.append([])
    ws.append([f"可选的单位类型：{'、'.join(kind_labels())}"])
    ws.merge_cells(start_row=ws.max_row, start_column=1, end_row=ws.max_row, end_column=2)
    ws.append([])
    ws.append(["填写示例（请勿把示例行复制到「单位名单」中）"])
    ws.cell(row=ws.max_row, column=1).font = bold
    ws.append([c.label for c in COLUMNS])
    for cell in ws[ws.max_row]:
        cell.font = bold
    for row in example_rows(region):
        ws.append(safe_row(row))
    ws.column_dimensions["A"].width = 18
    ws.column_dimensions["B"].width = 90
    for row in ws.iter_rows():
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
