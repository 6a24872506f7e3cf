"""The organizer edits the campaign's statistics form: /reports/<campaign_id>/form/.

Rows are added, renamed, moved up and down, given a unit, type, decimals, help text and rules;
cross-row rules ("A 之和 ≤ B") are added and removed. Every post carries the form's revision. When
reports already hold data in the form, the service saves the change as a new version (see
services/forms.py) and this page says so.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from sciweek.campaigns.access import access_campaign
from sciweek.core.forms import attach_errors

from .. import services
from ..models import FormDefinition, FormRow, FormRule, ReportAttachment
from ..services.forms import UNIT_CHOICES, parse_limit


class _Bootstrap:
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[call-arg]
        for f in self.fields.values():  # type: ignore[attr-defined]
            w = f.widget
            w.attrs.setdefault(
                "class",
                "form-check-input"
                if isinstance(w, forms.CheckboxInput)
                else "form-select"
                if isinstance(w, forms.Select)
                else "form-control",
            )


class RowForm(_Bootstrap, forms.Form):
    revision = forms.IntegerField(widget=forms.HiddenInput)
    label = forms.CharField(label=gettext_lazy("指标名称"), max_length=200)
    section = forms.CharField(
        label=gettext_lazy("栏目（同一栏目的相邻行合并显示）"), max_length=100, required=False
    )
    unit = forms.ChoiceField(
        label=gettext_lazy("计量单位"),
        choices=[("", gettext_lazy("（无）"))] + [(u, u) for u in UNIT_CHOICES],
        required=False,
    )
    value_type = forms.ChoiceField(label=gettext_lazy("数值类型"), choices=FormRow.ValueType.choices)
    decimals = forms.IntegerField(
        label=gettext_lazy("小数位数（小数类型 1–4 位）"), min_value=0, max_value=4, initial=0
    )
    help = forms.CharField(
        label=gettext_lazy("填写说明"),
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    min_value = forms.CharField(label=gettext_lazy("最小值（低于则报错）"), required=False)
    max_value = forms.CharField(label=gettext_lazy("最大值（硬上限，超过则报错）"), required=False)
    max_plausible = forms.CharField(
        label=gettext_lazy("合理上限（超过则提醒，须填写上报说明）"), required=False
    )
    required = forms.BooleanField(
        label=gettext_lazy("提交时必填（可填 0 或“不适用”）"), required=False, initial=True
    )


class NewRowForm(RowForm):
    code = forms.CharField(
        label=gettext_lazy("代码（可不填，自动生成；小写字母、数字、下划线）"), max_length=40, required=False
    )


def _row_data(form: RowForm) -> services.RowData:
    d = form.cleaned_data
    return services.RowData(
        label=d["label"],
        section=d["section"],
        unit=d["unit"],
        value_type=d["value_type"],
        decimals=d["decimals"] or 0,
        help=d["help"],
        required=d["required"],
        min_value=parse_limit(d["min_value"], field="min_value", label="最小值"),
        max_value=parse_limit(d["max_value"], field="max_value", label="最大值"),
        max_plausible=parse_limit(d["max_plausible"], field="max_plausible", label="合理上限"),
    )


def _current(campaign) -> FormDefinition:
    form = services.current_form(campaign)
    if form is None:
        raise Http404(_("本次活动周尚未设置统计表"))
    return form


def _saved(request: HttpRequest, before: FormDefinition, after: FormDefinition, what: str) -> None:
    if after.pk != before.pk:
        messages.warning(
            request,
            (
                _(
                    "%(what)s。原统计表已有单位填报的数据，修改已保存为第%(version)s版：新填报的单位使用新版本，已填报的统计表保持原版本不变。"
                )
                % {"what": what, "version": after.version}
            ),
        )
    else:
        messages.success(request, f"{what}。")


def _revision(request: HttpRequest) -> int | None:
    try:
        return int(request.POST.get("revision", ""))
    except ValueError:
        return None


@login_required
def form_edit(request: HttpRequest, campaign_id: int) -> HttpResponse:
    campaign = access_campaign(request.user, campaign_id, manage=True)
    form = _current(campaign)
    if request.method == "POST":
        try:
            new = services.form_settings_save(
                actor=request.user,
                campaign=campaign,
                revision=_revision(request),
                title=request.POST.get("title", ""),
                footnote=request.POST.get("footnote", ""),
                requires_head_approval=request.POST.get("requires_head_approval") == "on",
                required_attachments=request.POST.getlist("required_attachments"),
            )
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            _saved(request, form, new, "表格设置已保存")
        return redirect("reports:form_edit", campaign.pk)
    rows = list(form.rows.all())
    labels = {row.code: row.label for row in rows}
    rules = [
        {
            "rule": r,
            "left": "＋".join(f"「{labels.get(c, c)}」" for c in r.left_codes),
            "right": labels.get(r.right_code, r.right_code),
        }
        for r in form.rules.all()
    ]
    versions = (
        FormDefinition.objects.filter(campaign=campaign).annotate(n=Count("reports")).order_by("-version")
    )
    return render(
        request,
        "reports/form_edit.html",
        {
            "campaign": campaign,
            "form": form,
            "rows": rows,
            "rules": rules,
            "versions": versions,
            "has_data": services.form_has_data(form),
            "kinds": ReportAttachment.Kind.choices,
            "severities": FormRule.Severity.choices,
        },
    )


@login_required
def row_edit(request: HttpRequest, campaign_id: int, code: str | None = None) -> HttpResponse:
    campaign = access_campaign(request.user, campaign_id, manage=True)
    form = _current(campaign)
    row = form.rows.filter(code=code).first() if code else None
    if code and row is None:
        raise Http404(_("该指标不存在"))
    form_class = RowForm if row else NewRowForm
    initial = {"revision": form.revision, "required": True, "decimals": 0, "value_type": "int"}
    if row:
        initial.update({name: getattr(row, name) for name in services.forms.ROW_FIELDS})
        for name in ("min_value", "max_value", "max_plausible"):
            value = getattr(row, name)
            initial[name] = f"{value.normalize():f}" if value is not None else ""
    page = form_class(request.POST or None, initial=initial)
    if request.method == "POST" and page.is_valid():
        try:
            new = services.form_row_save(
                actor=request.user,
                campaign=campaign,
                revision=page.cleaned_data["revision"],
                code=code,
                data=_row_data(page),
                new_code=page.cleaned_data.get("code", ""),
            )
        except ValidationError as exc:
            attach_errors(page, exc)
        else:
            _saved(request, form, new, f"指标「{page.cleaned_data['label']}」已保存")
            return redirect("reports:form_edit", campaign.pk)
    return render(
        request, "reports/form_row.html", {"campaign": campaign, "form": form, "row": row, "page": page}
    )


@login_required
@require_POST
def row_action(request: HttpRequest, campaign_id: int, code: str, action: str) -> HttpResponse:
    campaign = access_campaign(request.user, campaign_id, manage=True)
    form = _current(campaign)
    row = form.rows.filter(code=code).first()
    if row is None:
        raise Http404(_("该指标不存在"))
    try:
        if action in ("up", "down"):
            new = services.form_row_move(
                actor=request.user,
                campaign=campaign,
                revision=_revision(request),
                code=code,
                up=action == "up",
            )
            _saved(request, form, new, f"已{'上移' if action == 'up' else '下移'}「{row.label}」")
        elif action == "delete":
            new = services.form_row_delete(
                actor=request.user, campaign=campaign, revision=_revision(request), code=code
            )
            _saved(request, form, new, f"已删除「{row.label}」")
        else:
            raise Http404(_("未知操作"))
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    return redirect("reports:form_edit", campaign.pk)


@login_required
@require_POST
def rule_add(request: HttpRequest, campaign_id: int) -> HttpResponse:
    campaign = access_campaign(request.user, campaign_id, manage=True)
    form = _current(campaign)
    try:
        new = services.form_rule_add(
            actor=request.user,
            campaign=campaign,
            revision=_revision(request),
            left_codes=request.POST.getlist("left_codes"),
            right_code=request.POST.get("right_code", ""),
            severity=request.POST.get("severity", ""),
            message=request.POST.get("message", ""),
        )
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        _saved(request, form, new, "校验规则已添加")
    return redirect("reports:form_edit", campaign.pk)


@login_required
@require_POST
def rule_delete(request: HttpRequest, campaign_id: int, rule_id: int) -> HttpResponse:
    campaign = access_campaign(request.user, campaign_id, manage=True)
    form = _current(campaign)
    try:
        new = services.form_rule_delete(
            actor=request.user, campaign=campaign, revision=_revision(request), rule_id=rule_id
        )
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        _saved(request, form, new, "校验规则已删除")
    return redirect("reports:form_edit", campaign.pk)
