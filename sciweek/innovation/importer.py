"""Import enterprises from an xlsx list: read → plan (preview) → commit, all or nothing.

As the unit import (orgs/importer.py): the uploaded file waits under a random name that only the
uploader's session knows; the preview and the commit both plan from that stored file against the
database as it is then, so what is committed is never what a browser posted back, and a plan that
changed since the preview (its fingerprint) is shown again instead of being written. Rows are matched
to existing enterprises by 统一社会信用代码: a known code updates that enterprise (in the user's
towns only), a new one creates it. Any problem in any row — named by row and column — and nothing is
written.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sciweek.core.audit import audit_event, audit_log_many
from sciweek.core.files.table import cell_text, read_table
from sciweek.orgs.models import OrgUnit, normalize_name

from .choices import QUALIFICATIONS, Size
from .creditcode import credit_code_problem, normalize
from .models import Enterprise, EnterpriseContact
from .selectors import writable_units
from .services.registry import check_enterprise_fields

FIELD_LABEL = gettext_lazy("企业名单")
MAX_ROWS = 10000
# column key → (header label, accepted header spellings)
COLUMNS: dict[str, tuple[str, tuple[str, ...]]] = {
    "name": ("企业名称", ("企业名称", "名称", "单位名称")),
    "credit_code": ("统一社会信用代码", ("统一社会信用代码", "信用代码", "社会信用代码")),
    "unit": (
        "所在镇（街道）/园区",
        ("所在镇（街道）/园区", "所在镇", "镇（街道）", "所属镇街", "所在乡镇", "园区"),
    ),
    "section": ("行业门类", ("行业门类", "门类")),
    "division": ("行业大类", ("行业大类", "大类", "行业代码")),
    "size": ("企业规模", ("企业规模", "规模")),
    "qualifications": ("资质", ("资质", "企业资质")),
    "address": ("地址", ("地址", "企业地址")),
    "main_products": ("主要产品", ("主要产品", "产品")),
    "contact_name": ("联系人", ("联系人", "联系人姓名")),
    "contact_phone": ("联系人手机号", ("联系人手机号", "联系电话", "手机号")),
}
HEADER = {normalize_name(s): key for key, (_, spellings) in COLUMNS.items() for s in spellings}
SIZES = {str(label): value for value, label in Size.choices} | {v: v for v in Size.values}


@dataclass
class Row:
    row: int
    cells: dict[str, str]
    action: str = ""  # "new" | "update"
    unit: OrgUnit | None = None
    existing: Enterprise | None = None
    clean: dict[str, Any] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)


@dataclass
class Plan:
    rows: list[Row] = field(default_factory=list)
    file_errors: list[str] = field(default_factory=list)

    @property
    def errors(self) -> list[str]:
        return self.file_errors + [e for r in self.rows for e in r.errors]

    @property
    def ok(self) -> bool:
        return bool(self.rows) and not self.errors

    def count(self, action: str) -> int:
        return sum(1 for r in self.rows if r.action == action and not r.errors)

    def fingerprint(self) -> str:
        h = hashlib.sha256()
        for r in self.rows:
            h.update(
                f"{r.row}|{r.action}|{r.existing.pk if r.existing else ''}|{r.existing.version if r.existing else ''}".encode()
            )
        return h.hexdigest()[:16]


def _header_key(value: Any) -> str | None:
    return HEADER.get(normalize_name(cell_text(value).rstrip("*＊")))


def read_rows(fileobj: IO[bytes]) -> tuple[list[tuple[int, dict[str, str]]], list[str]]:
    table = read_table(
        fileobj, field_label=str(FIELD_LABEL), header_key=_header_key, required={"name", "credit_code"}, max_rows=MAX_ROWS
    )  # fmt: skip
    if table.problem:
        return [], [table.problem]
    if table.too_many:
        return [], [_("企业名单超过%(n)s行，请分批导入。") % {"n": MAX_ROWS}]
    if not table.header_found:
        return [], [_("前10行中没有找到「企业名称」和「统一社会信用代码」两列，请使用导入模板的表头。")]
    if not table.rows:
        return [], [_("表头下方没有数据行。")]
    return table.rows, []


def plan_import(
    fileobj: IO[bytes], *, user: Any, progress: Callable[[int, int, str], None] | None = None
) -> Plan:
    read, problems = read_rows(fileobj)
    plan = Plan(file_errors=problems)
    if problems:
        return plan
    units = writable_units(user)
    by_name: dict[str, OrgUnit] = {}
    for u in units:
        for n in (u.name, u.short_name, *u.aliases.values_list("name", flat=True)):
            if n:
                by_name.setdefault(normalize_name(n), u)
    codes = {normalize(c.get("credit_code", "")) for _, c in read}
    existing = {
        e.credit_code: e for e in Enterprise.objects.filter(credit_code__in=codes).select_related("unit")
    }
    allowed = {u.pk for u in units}
    first_row: dict[str, int] = {}
    for n, (number, cells) in enumerate(read, start=1):
        plan.rows.append(
            _plan_row(number, cells, by_name=by_name, existing=existing, allowed=allowed, first_row=first_row)
        )
        if progress is not None and (n % 250 == 0 or n == len(read)):
            progress(n, len(read), _("正在核对企业名单"))
    return plan


def _label(key: str) -> str:
    return COLUMNS[key][0] if key in COLUMNS else key


def _row_error(number: int, key: str, problem: str) -> str:
    # The column is named as the template's header says (in Chinese, in either language): it is the
    # heading the person finds in their file.
    return _("第%(row)s行「%(column)s」：%(problem)s") % {
        "row": number,
        "column": _label(key),
        "problem": problem,
    }


def _plan_row(
    number: int,
    cells: dict[str, str],
    *,
    by_name: dict[str, OrgUnit],
    existing: dict[str, Enterprise],
    allowed: set[int],
    first_row: dict[str, int],
) -> Row:
    r = Row(number, cells)

    def err(key: str, message: str) -> None:
        r.errors.append(_row_error(number, key, message))

    code = normalize(cells.get("credit_code", ""))
    if message := credit_code_problem(code):
        err("credit_code", message)
    elif code in first_row:
        err("credit_code", _("%(code)s 与第%(row)s行重复。") % {"code": code, "row": first_row[code]})
    else:
        first_row[code] = number
    unit_name = cells.get("unit", "")
    r.unit = by_name.get(normalize_name(unit_name)) if unit_name else None
    r.existing = existing.get(code)
    if r.existing is not None:
        r.action = "update"
        if r.existing.unit_id not in allowed:
            err("credit_code", _("%(code)s 已由其他镇（街道）登记，您不能修改。") % {"code": code})
        r.unit = r.unit or r.existing.unit
    else:
        r.action = "new"
    if r.unit is None:
        err(
            "unit",
            _("找不到「%(name)s」，应为您管理的镇（街道）或园区的名称。") % {"name": unit_name}
            if unit_name
            else _("不能为空。"),
        )
    size = cells.get("size", "")
    if size and size not in SIZES:
        err("size", _("应为大型、中型、小型或微型，收到「%(value)s」。") % {"value": size[:10]})
    tags = [
        t.strip()
        for t in cells.get("qualifications", "").replace("，", "、").replace(",", "、").split("、")
        if t.strip()
    ]
    if unknown := [t for t in tags if t not in QUALIFICATIONS]:
        err("qualifications", _("不认识「%(values)s」。") % {"values": _("、").join(unknown[:3])})
    phone = cells.get("contact_phone", "")
    if phone and not phone.replace("-", "").replace(" ", "").isdigit():
        err("contact_phone", _("应为数字，收到「%(value)s」。") % {"value": phone[:20]})
    if r.unit is not None and not r.errors:
        fields = {k: cells.get(k, "") for k in ("name", "section", "division", "address", "main_products")}
        fields |= {"size": SIZES.get(size, ""), "qualifications": tags}
        try:
            r.clean = check_enterprise_fields(unit=r.unit, fields=fields)
        except ValidationError as exc:
            for key, messages in exc.message_dict.items():
                r.errors.append(_row_error(number, key, messages[0]))
        r.clean["credit_code"] = code
    return r


@transaction.atomic
def enterprises_import(*, actor: Any, plan: Plan) -> dict[str, int]:
    """Write a plan without errors in one transaction (refused whole otherwise)."""
    if not plan.ok:
        raise ValidationError({"file": _("导入文件中还有问题，未导入任何数据。")})
    now = timezone.now()
    new = [r for r in plan.rows if r.action == "new"]
    created = Enterprise.objects.bulk_create(
        [Enterprise(unit=r.unit, created_at=now, updated_at=now, **r.clean) for r in new], batch_size=1000
    )
    contacts = [
        EnterpriseContact(enterprise=e, name=r.cells["contact_name"], phone=r.cells.get("contact_phone", ""))
        for r, e in zip(new, created, strict=True)
        if r.cells.get("contact_name")
    ]
    updates = [r for r in plan.rows if r.action == "update"]
    locked = {
        e.pk: e
        for e in Enterprise.objects.select_for_update().filter(pk__in=[r.existing.pk for r in updates])
    }
    changed = []
    events = [
        audit_event(
            actor=actor,
            action="innovation.enterprise_import",
            obj=e,
            after={"credit_code": e.credit_code, "name": e.name},
        )
        for e in created
    ]
    for r in updates:
        e = locked[r.existing.pk]
        if e.version != r.existing.version:
            raise ValidationError(
                {"file": _("第%(row)s行的企业在预览后被他人修改，请重新上传预览。") % {"row": r.row}},
                code="stale",
            )
        before = {k: getattr(e, k) for k in r.clean}
        for k, v in r.clean.items():
            setattr(e, k, v)
        e.unit = r.unit
        e.version += 1
        e.updated_at = now
        changed.append(e)
        events.append(
            audit_event(
                actor=actor, action="innovation.enterprise_import", obj=e, before=before, after=r.clean
            )
        )
        if r.cells.get("contact_name"):
            e.contacts.all().delete()
            contacts.append(
                EnterpriseContact(
                    enterprise=e, name=r.cells["contact_name"], phone=r.cells.get("contact_phone", "")
                )
            )
    Enterprise.objects.bulk_update(
        changed, [*COLUMNS_UPDATED, "unit", "version", "updated_at"], batch_size=1000
    )
    EnterpriseContact.objects.bulk_create(contacts, batch_size=1000)
    audit_log_many(events)
    return {"created": len(created), "updated": len(changed)}


COLUMNS_UPDATED = [
    "name",
    "credit_code",
    "section",
    "division",
    "size",
    "qualifications",
    "address",
    "main_products",
]


def template_xlsx(units: list[OrgUnit]) -> bytes:
    """The import template: the header, one example row, and a sheet that explains every column."""
    import io

    from openpyxl import Workbook
    from openpyxl.styles import Font

    from sciweek.core.cells import safe_row

    from .choices import DIVISIONS, QUALIFICATIONS

    wb = Workbook()
    ws = wb.active
    ws.title = "企业名单"
    ws.append(
        [
            label + ("*" if key in {"name", "credit_code", "unit"} else "")
            for key, (label, _) in COLUMNS.items()
        ]
    )
    example_unit = units[0].name if units else "某某镇"
    ws.append(safe_row(["示例：泗县某某农业科技有限公司（请删除本行）", "91341324MA2XXXXXXX", example_unit, "A", "01", "小型",
                        "科技型中小企业", "某某镇某某路1号", "优质小麦", "张三", "13800000000"]))  # fmt: skip
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for col, width in zip("ABCDEFGHIJK", (34, 22, 18, 10, 10, 10, 26, 26, 20, 10, 16), strict=True):
        ws.column_dimensions[col].width = width
    notes = wb.create_sheet("填写说明")
    notes.append(["列", "说明"])
    for row in (
        ("企业名称", "必填"),
        ("统一社会信用代码", "必填，18位，系统按 GB 32100-2015 校验；已登记的代码将更新该企业"),
        ("所在镇（街道）/园区", "必填，可选：" + "、".join(u.name for u in units)),
        ("行业门类 / 行业大类", "GB/T 4754-2017，门类字母 A–T，大类两位数字，如 C / 34；" + "；".join(f"{k} {v}" for k, v in list(DIVISIONS.items())[:8]) + "……"),
        ("企业规模", "大型、中型、小型或微型"),
        ("资质", "用顿号分隔，可选：" + "、".join(QUALIFICATIONS)),
    ):  # fmt: skip
        notes.append(safe_row(list(row)))
    notes.column_dimensions["A"].width = 22
    notes.column_dimensions["B"].width = 100
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
