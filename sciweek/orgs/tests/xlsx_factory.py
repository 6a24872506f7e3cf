"""Filled-in unit import workbooks for tests (view tests here, browser tests elsewhere reuse it).

    filled_import_xlsx(rows, *, region="泗县") -> bytes
    write_import_xlsx(path, rows, *, region="泗县") -> Path

Each row is a mapping from a column — its Chinese header ("单位名称") or its key ("name") — to the
cell's value; missing columns stay empty. The workbook is the real downloadable template
(template_xlsx.build_import_template) with the rows written under its header, so tests exercise exactly
what organizers fill in.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Mapping
from pathlib import Path

import openpyxl

from sciweek.orgs.importer import SHEET_NAME
from sciweek.orgs.importspec import COLUMNS
from sciweek.orgs.template_xlsx import build_import_template

# A clean import under 泗县: two new towns (one with two contacts), a new society group with a member
# below it (parent given by a name created earlier in the file), and a contact for an existing unit
# matched by its short name.
GOOD_ROWS: list[dict[str, object]] = [
    {
        "单位名称": "泗县草沟镇",
        "类型": "镇（街道）",
        "简称": "草沟镇",
        "联系人姓名": "张伟",
        "职务": "科技专干",
        "手机号": "13955700001",
    },
    {"单位名称": "泗县草沟镇", "联系人姓名": "李娜", "职务": "副镇长", "手机号": 13955700002},
    {
        "单位名称": "泗县大庄镇",
        "类型": "镇（街道）",
        "单位代码": "341324-dzz",
        "别名": "大庄、大庄镇政府",
        "联系人姓名": "王强",
        "手机号": "139 5570 0003",
        "电子邮箱": "dzz@example.com",
    },
    {"单位名称": "泗县学会联合体", "类型": "单位分组"},
    {
        "上级单位": "泗县学会联合体",
        "单位名称": "泗县农业技术学会",
        "类型": "学会/协会",
        "联系人姓名": "赵敏",
        "职务": "秘书长",
        "手机号": "13955700004",
    },
    {
        "上级单位": "泗县",
        "单位名称": "县气象局",
        "联系人姓名": "刘洋",
        "职务": "办公室主任",
        "手机号": "13955700005",
    },
]

_KEY_BY_LABEL = {c.label: c.key for c in COLUMNS}
_INDEX_BY_KEY = {c.key: i for i, c in enumerate(COLUMNS, start=1)}


def filled_import_xlsx(rows: Iterable[Mapping[str, object]], *, region: str = "泗县") -> bytes:
    """The import template with `rows` written from row 2 on; returns the .xlsx bytes."""
    wb = openpyxl.load_workbook(io.BytesIO(build_import_template(region=region)))
    ws = wb[SHEET_NAME]
    for offset, row in enumerate(rows):
        for column, value in row.items():
            key = _KEY_BY_LABEL.get(column, column)
            if key not in _INDEX_BY_KEY:
                raise KeyError(f"unknown import column {column!r}")
            ws.cell(row=2 + offset, column=_INDEX_BY_KEY[key], value=value)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def write_import_xlsx(path: Path, rows: Iterable[Mapping[str, object]], *, region: str = "泗县") -> Path:
    """Same as filled_import_xlsx, written to `path` (for a browser's file input)."""
    path.write_bytes(filled_import_xlsx(rows, region=region))
    return path
