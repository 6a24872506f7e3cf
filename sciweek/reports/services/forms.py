"""The organizer edits the statistics form in the browser: rows, their order, units, types and rules.

A form that has data (a report with values, or one already submitted) is never changed underneath
it: the first change makes a new version (rows and rules copied, marked current) and the change is
applied there. Reports with data keep their version; empty drafts move to the new one. Every edit
carries the form's ``revision`` so two organizers editing at once do not overwrite each other.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, Max, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _

from sciweek.campaigns.models import Campaign
from sciweek.core.audit import audit_log, snapshot
from sciweek.core.errors import StaleVersion

from ..formspec import parse_value
from ..models import FormDefinition, FormRow, FormRule, Report, ReportAttachment, ReportValue
from ..validation import check_text

UNIT_CHOICES = ["次", "万元", "人", "人次", "家", "篇", "个", "所", "场", "项"]
CODE_RE = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
ROW_FIELDS = (
    "label",
    "section",
    "unit",
    "value_type",
    "decimals",
    "help",
    "min_value",
    "max_value",
    "max_plausible",
    "required",
)


@dataclass
class RowData:
    label: str
    section: str = ""
    unit: str = ""
    value_type: str = FormRow.ValueType.INT
    decimals: int = 0
    help: str = ""
    min_value: Decimal | None = None
    max_value: Decimal | None = None
    max_plausible: Decimal | None = None
    required: bool = True


def parse_limit(raw: Any, *, field: str, label: str) -> Decimal | None:
    """A rule bound typed by the organizer: blank → None; otherwise a non-negative number."""
    if raw in (None, ""):
        return None
    from ..formspec import RowSpec

    parsed = parse_value(
        raw, RowSpec(code="x", section="", label=label, unit="", value_type="decimal", decimals=4)
    )
    if parsed.error or parsed.value is None:
        raise ValidationError({field: (_("「%(label)s」应为不小于0的数字，最多4位小数") % {"label": label})})
    return parsed.value


def check_row_data(data: RowData, *, form: FormDefinition, code: str | None) -> RowData:
    errors: dict[str, str] = {}
    data.label = (data.label or "").strip()
    data.section, data.help = (data.section or "").strip(), (data.help or "").strip()
    if not data.label:
        errors["label"] = _("请填写指标名称")
    elif len(data.label) > 200:
        errors["label"] = _("指标名称最多200字")
    elif form.rows.filter(label=data.label).exclude(code=code or "").exists():
        errors["label"] = _("已有名为「%(label)s」的指标") % {"label": data.label}
    if len(data.section) > 100:
        errors["section"] = _("栏目最多100字")
    if len(data.help) > 300:
        errors["help"] = _("填写说明最多300字")
    if data.unit and data.unit not in UNIT_CHOICES:
        errors["unit"] = _("计量单位应为：%(UNIT_CHOICES)s") % {"UNIT_CHOICES": "、".join(UNIT_CHOICES)}
    if data.value_type not in FormRow.ValueType.values:
        errors["value_type"] = _("数值类型应为整数或小数")
    elif data.value_type == FormRow.ValueType.INT:
        data.decimals = 0
    elif not 1 <= int(data.decimals or 0) <= 4:
        errors["decimals"] = _("小数位数应为1到4位")
    if data.min_value is not None and data.max_value is not None and data.min_value > data.max_value:
        errors["min_value"] = _("最小值不能大于最大值")
    if data.max_plausible is not None and data.max_value is not None and data.max_plausible > data.max_value:
        errors["max_plausible"] = _("合理上限不能大于最大值（硬上限）")
    if errors:
        raise ValidationError(errors)
    return data


def reports_with_data(form: FormDefinition) -> QuerySet[Report]:
    """Reports on ``form`` that hold values or have left the draft state."""
    has_values = Exists(ReportValue.objects.filter(report=OuterRef("pk")))
    return Report.objects.filter(form=form).filter(~Q(status=Report.Status.DRAFT) | Q(has_values))


def form_has_data(form: FormDefinition) -> bool:
    return reports_with_data(form).exists()


def lock_current_form(campaign: Campaign, revision: int | None) -> FormDefinition:
    form = (
        FormDefinition.objects.select_for_update()
        .filter(campaign=campaign, is_current=True)
        .order_by("-version")
        .first()
    )
    if form is None:
        raise ValidationError(_("本次活动周尚未设置统计表"))
    if revision is None or int(revision) != form.revision:
        raise StaleVersion(_("统计表格式"))
    return form


def _editable(form: FormDefinition, actor: Any) -> FormDefinition:
    """``form`` itself while no report has data in it; else a new current version to change instead."""
    if not form_has_data(form):
        return form
    number = (FormDefinition.objects.filter(campaign=form.campaign).aggregate(n=Max("version"))["n"] or 0) + 1
    new = FormDefinition.objects.create(
        campaign=form.campaign,
        version=number,
        title=form.title,
        footnote=form.footnote,
        is_current=True,
        requires_head_approval=form.requires_head_approval,
        required_attachments=form.required_attachments,
        revision=form.revision,
    )
    FormRow.objects.bulk_create(
        [
            FormRow(
                form=new,
                **{
                    f.name: getattr(row, f.name)
                    for f in FormRow._meta.concrete_fields
                    if f.name not in ("id", "form")
                },
            )
            for row in form.rows.all()
        ]
    )
    FormRule.objects.bulk_create(
        [
            FormRule(
                form=new,
                kind=r.kind,
                left_codes=r.left_codes,
                right_code=r.right_code,
                severity=r.severity,
                message=r.message,
            )
            for r in form.rules.all()
        ]
    )
    FormDefinition.objects.filter(pk=form.pk).update(is_current=False)
    with_data = list(reports_with_data(form).values_list("pk", flat=True))
    moved = Report.objects.filter(form=form).exclude(pk__in=with_data).update(form=new)
    audit_log(
        actor=actor,
        action="form.new_version",
        obj=new,
        before={"version": form.version},
        after={"version": new.version, "empty_reports_moved": moved},
        note="原版本已有填报数据，修改保存为新版本；已有数据的统计表继续使用原版本",
    )
    return new


def _done(form: FormDefinition, actor: Any, action: str, before: Any, after: Any) -> FormDefinition:
    form.revision += 1
    form.save(update_fields=["revision"])
    audit_log(actor=actor, action=action, obj=form, before=before, after=after)
    return form


@transaction.atomic
def form_row_save(
    *,
    actor: Any,
    campaign: Campaign,
    revision: int | None,
    code: str | None,
    data: RowData,
    new_code: str = "",
) -> FormDefinition:
    """Add a row (``code`` None) or change one. The code of an existing row never changes."""
    form = lock_current_form(campaign, revision)
    if code is not None and not form.rows.filter(code=code).exists():
        raise ValidationError(_("统计表中没有代码为「%(code)s」的指标") % {"code": code})
    data = check_row_data(data, form=form, code=code)
    if code is None:
        new_code = (new_code or "").strip().lower()
        if new_code and (not CODE_RE.match(new_code) or new_code == "new"):
            raise ValidationError(
                {"code": _("代码只能包含小写字母、数字和下划线，并以字母开头（最多40个字符）")}
            )
        if new_code and form.rows.filter(code=new_code).exists():
            raise ValidationError({"code": (_("代码「%(new_code)s」已被使用") % {"new_code": new_code})})
    form = _editable(form, actor)
    if code is None:
        code = new_code or _free_code(form)
        order = (form.rows.aggregate(n=Max("order"))["n"] or 0) + 1
        row = FormRow.objects.create(form=form, order=order, code=code, **_row_kwargs(data))
        return _done(form, actor, "form.row_add", None, snapshot(row))
    row = form.rows.get(code=code)
    before = snapshot(row)
    for name, value in _row_kwargs(data).items():
        setattr(row, name, value)
    row.save()
    return _done(form, actor, "form.row_change", before, snapshot(row))


def _row_kwargs(data: RowData) -> dict[str, Any]:
    return {f.name: getattr(data, f.name) for f in fields(data)}


def _free_code(form: FormDefinition) -> str:
    taken = set(form.rows.values_list("code", flat=True))
    n = len(taken) + 1
    while f"row{n}" in taken:
        n += 1
    return f"row{n}"


@transaction.atomic
def form_row_move(
    *, actor: Any, campaign: Campaign, revision: int | None, code: str, up: bool
) -> FormDefinition:
    form = lock_current_form(campaign, revision)
    codes = list(form.rows.values_list("code", flat=True))
    if code not in codes:
        raise ValidationError(_("统计表中没有代码为「%(code)s」的指标") % {"code": code})
    i = codes.index(code)
    j = i - 1 if up else i + 1
    if not 0 <= j < len(codes):
        return form
    form = _editable(form, actor)
    codes[i], codes[j] = codes[j], codes[i]
    for order, row_code in enumerate(codes, start=1):
        form.rows.filter(code=row_code).update(order=order)
    return _done(form, actor, "form.row_move", None, {"order": codes})


@transaction.atomic
def form_row_delete(*, actor: Any, campaign: Campaign, revision: int | None, code: str) -> FormDefinition:
    form = lock_current_form(campaign, revision)
    if not form.rows.filter(code=code).exists():
        raise ValidationError(_("统计表中没有代码为「%(code)s」的指标") % {"code": code})
    if form.rows.count() <= 1:
        raise ValidationError(_("统计表至少要有一个指标"))
    form = _editable(form, actor)
    row = form.rows.get(code=code)
    before = snapshot(row)
    row.delete()
    for rule in list(form.rules.all()):
        if code == rule.right_code or code in rule.left_codes:
            rule.delete()
    return _done(form, actor, "form.row_delete", before, None)


@transaction.atomic
def form_rule_add(
    *,
    actor: Any,
    campaign: Campaign,
    revision: int | None,
    left_codes: list[str],
    right_code: str,
    severity: str,
    message: str = "",
) -> FormDefinition:
    form = lock_current_form(campaign, revision)
    codes = set(form.rows.values_list("code", flat=True))
    left = [c for c in dict.fromkeys(left_codes) if c]
    if not left or any(c not in codes for c in left):
        raise ValidationError({"left_codes": _("请选择规则左边（A）的指标")})
    if right_code not in codes:
        raise ValidationError({"right_code": _("请选择规则右边（B）的指标")})
    if right_code in left:
        raise ValidationError({"right_code": _("B 不能同时出现在 A 中")})
    if severity not in FormRule.Severity.values:
        raise ValidationError({"severity": _("请选择严重程度")})
    message = check_text(message, field="message", label="提示语", max_length=200)
    form = _editable(form, actor)
    rule = FormRule.objects.create(
        form=form, left_codes=left, right_code=right_code, severity=severity, message=(message or "").strip()
    )
    return _done(form, actor, "form.rule_add", None, snapshot(rule))


@transaction.atomic
def form_rule_delete(*, actor: Any, campaign: Campaign, revision: int | None, rule_id: int) -> FormDefinition:
    form = lock_current_form(campaign, revision)
    rule = form.rules.filter(pk=rule_id).first()
    if rule is None:
        raise ValidationError(_("该规则不存在或已删除"))
    signature = (rule.left_codes, rule.right_code, rule.severity, rule.message)
    form = _editable(form, actor)
    for candidate in form.rules.all():  # the copy in a new version has a new id
        if (candidate.left_codes, candidate.right_code, candidate.severity, candidate.message) == signature:
            before = snapshot(candidate)
            candidate.delete()
            return _done(form, actor, "form.rule_delete", before, None)
    return form


@transaction.atomic
def form_settings_save(
    *,
    actor: Any,
    campaign: Campaign,
    revision: int | None,
    title: str,
    footnote: str,
    requires_head_approval: bool,
    required_attachments: list[str],
) -> FormDefinition:
    """Title and footnote are printed with the data (a new version when it has some); the workflow
    settings (unit-head approval, required attachments) apply from now on, on the current version."""
    form = lock_current_form(campaign, revision)
    title = check_text(title, field="title", label="表名", max_length=200)
    footnote = check_text(footnote, field="footnote", label="表注", max_length=300)
    if not title:
        raise ValidationError({"title": _("请填写表名")})
    kinds = [k for k in ReportAttachment.Kind.values if k in set(required_attachments)]
    before = snapshot(form, ["title", "footnote", "requires_head_approval", "required_attachments"])
    if (title, footnote) != (form.title, form.footnote):
        form = _editable(form, actor)
    form.title, form.footnote = title, footnote
    form.requires_head_approval, form.required_attachments = requires_head_approval, kinds
    form.save()
    return _done(
        form,
        actor,
        "form.settings",
        before,
        snapshot(form, ["title", "footnote", "requires_head_approval", "required_attachments"]),
    )
