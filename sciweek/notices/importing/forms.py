"""The upload form and the review screen's forms (one per section; activities, deadlines, content themes,
statistics rows and unmatched unit names as formsets). Unit pickers share one list of the region's units."""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms import formset_factory
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sciweek.campaigns.forms import DATE, DATETIME, BootstrapMixin
from sciweek.campaigns.models import Requirement
from sciweek.orgs.models import AREA_KINDS, OrgUnit, UnitKind

from .plan import CREATE, MAP, SKIP

TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
KIND_CHOICES = [(k.value, k.label) for k in UnitKind if k.value not in AREA_KINDS]
DEADLINE_KINDS = [(v, label) for v, label in Requirement.Kind.choices if v != Requirement.Kind.MIN_EVENTS]


def _required(label: str) -> dict[str, str]:
    return {"required": f"请填写{label}。"}


class NoticeUploadForm(BootstrapMixin, forms.Form):
    file = forms.FileField(
        label=gettext_lazy("通知文件"),
        required=False,
        allow_empty_file=True,
        help_text=gettext_lazy("Word（.docx）、PDF 或文本文件（.txt），不超过 20 MB。按文件内容识别格式。"),
        widget=forms.ClearableFileInput(attrs={"accept": ".docx,.pdf,.txt,text/plain"}),
    )
    text = forms.CharField(
        label=gettext_lazy("或粘贴通知全文"),
        required=False,
        max_length=400_000,
        widget=forms.Textarea(attrs={"rows": 8, "placeholder": gettext_lazy("关于举办……科技活动周的通知……")}),
    )
    close_of_business = forms.TimeField(
        label=gettext_lazy("下班时间"),
        widget=TIME,
        initial="17:30",
        help_text=gettext_lazy("通知中“下午下班前”按此时间计算。"),
        error_messages=_required("下班时间"),
    )

    def __init__(self, *args, regions: list[OrgUnit], rejected: Any = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.rejected = rejected  # UploadRejected from the size-limiting upload handler
        self.regions = {str(r.pk): r for r in regions}
        if len(regions) > 1:
            self.fields["region"] = forms.ChoiceField(
                label=gettext_lazy("组织区域"),
                choices=[(str(r.pk), r.name) for r in regions],
                widget=forms.Select(attrs={"class": "form-select"}),
            )
            self.order_fields(["region"])

    def clean(self) -> dict:
        data = super().clean()
        if self.rejected is not None:
            raise forms.ValidationError({"file": str(self.rejected)})
        has_file, has_text = bool(data.get("file")), bool((data.get("text") or "").strip())
        if has_file and has_text:
            raise forms.ValidationError(_("请只选择一种方式：上传文件或粘贴全文。"))
        if not has_file and not has_text and not self.errors:
            raise forms.ValidationError(_("请上传通知文件，或粘贴通知全文。"))
        return data

    def region(self) -> OrgUnit:
        if "region" in self.fields:
            return self.regions[self.cleaned_data["region"]]
        return next(iter(self.regions.values()))


class UnitChoices:
    """The region's units, shared by every picker on the page (one query)."""

    def __init__(self, units: list[OrgUnit]) -> None:
        self.by_id = {str(u.pk): u for u in units}
        self.choices = [
            (str(u.pk), f"{u.name}（{u.short_name}）" if u.short_name and u.short_name != u.name else u.name)
            for u in units
        ]


class UnitsMixin(BootstrapMixin):
    unit_fields: tuple[str, ...] = ()

    def __init__(self, *args, units: UnitChoices, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.units = units
        for name in self.unit_fields:
            field = self.fields[name]
            if isinstance(field, forms.MultipleChoiceField):
                # Ticked units first, so a reviewer sees the selection without scrolling through the county.
                chosen = set(self._chosen(name))
                field.choices = [c for c in units.choices if c[0] in chosen] + [
                    c for c in units.choices if c[0] not in chosen
                ]
            else:
                field.choices = [("", gettext_lazy("请选择…")), *units.choices]

    def _chosen(self, name: str) -> list[str]:
        if self.is_bound:
            return (
                [str(v) for v in self.data.getlist(self.add_prefix(name))]
                if hasattr(self.data, "getlist")
                else [str(v) for v in (self.data.get(self.add_prefix(name)) or [])]
            )
        return [str(v) for v in self.initial.get(name) or []]

    def units_of(self, name: str) -> list[OrgUnit]:
        value = self.cleaned_data.get(name) or []
        ids = [value] if isinstance(value, str) else value
        return [self.units.by_id[i] for i in ids if i in self.units.by_id]


class UnitChecks(forms.CheckboxSelectMultiple):
    """Ticks rather than a multiple select: one click never clears a selection of twenty units.

    Rendered in one pass (a review page holds some 700 of them; Django's per-option templates took a second).
    """

    def render(self, name: str, value: Any, attrs: dict | None = None, renderer: Any = None) -> str:
        chosen = {str(v) for v in (value or [])}
        base = (attrs or {}).get("id") or f"id_{name}"
        return format_html_join(
            "",
            _CHECK,
            (
                (
                    name,
                    v,
                    f"{base}_{i}",
                    mark_safe(" checked") if str(v) in chosen else "",
                    f"{base}_{i}",
                    label,
                )
                for i, (v, label) in enumerate(self.choices)
            ),
        )


_CHECK = (
    '<div class="form-check"><input type="checkbox" class="form-check-input" name="{}" value="{}" id="{}"{}>'
    '<label class="form-check-label" for="{}">{}</label></div>'
)


def _pick() -> UnitChecks:
    return UnitChecks()


def split_pending(value: str | None) -> list[str]:
    return [n.strip() for n in (value or "").splitlines() if n.strip()]


class ReviewForm(UnitsMixin, forms.Form):
    unit_fields = ("issuers",)
    title = forms.CharField(
        label=gettext_lazy("活动周标题"), max_length=200, error_messages=_required("活动周标题")
    )
    year = forms.IntegerField(
        label=gettext_lazy("年度"), min_value=2000, max_value=2100, error_messages=_required("年度")
    )
    doc_number = forms.CharField(label=gettext_lazy("文号"), max_length=100, required=False)
    issue_date = forms.DateField(label=gettext_lazy("发文日期"), widget=DATE, required=False)
    issuers = forms.MultipleChoiceField(label=gettext_lazy("主办单位"), required=False, widget=_pick())
    issuers_pending = forms.CharField(required=False, widget=forms.HiddenInput)
    issuer_text = forms.CharField(label=gettext_lazy("落款（原文）"), max_length=300, required=False)
    addressees = forms.CharField(
        label=gettext_lazy("主送"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    references = forms.CharField(
        label=gettext_lazy("依据文件（每行一个）"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    start_date = forms.DateField(
        label=gettext_lazy("开始日期"), widget=DATE, error_messages=_required("开始日期")
    )
    end_date = forms.DateField(
        label=gettext_lazy("结束日期"), widget=DATE, error_messages=_required("结束日期")
    )
    theme = forms.CharField(
        label=gettext_lazy("活动主题"), max_length=200, error_messages=_required("活动主题")
    )
    close_of_business = forms.TimeField(
        label=gettext_lazy("下班时间"),
        widget=TIME,
        error_messages=_required("下班时间"),
        help_text=gettext_lazy("“下午下班前”的截止时间按此计算。"),
    )
    max_video_minutes = forms.IntegerField(
        label=gettext_lazy("视频时长上限（分钟）"), min_value=1, max_value=120, required=False
    )
    contact_person = forms.CharField(label=gettext_lazy("联系人"), max_length=50, required=False)
    contact_phone = forms.CharField(label=gettext_lazy("联系电话"), max_length=30, required=False)
    contact_email = forms.EmailField(
        label=gettext_lazy("电子邮箱"), required=False, error_messages={"invalid": "电子邮箱格式不正确。"}
    )
    min_title = forms.CharField(label=gettext_lazy("活动次数要求"), max_length=200, required=False)
    min_count = forms.IntegerField(
        label=gettext_lazy("每单位最少活动次数"), min_value=1, max_value=100, required=False
    )
    target_count = forms.IntegerField(
        label=gettext_lazy("争取次数"), min_value=1, max_value=100, required=False
    )

    def clean(self) -> dict:
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("结束日期不能早于开始日期。"))
        low, high = data.get("min_count"), data.get("target_count")
        if high and not low:
            self.add_error("min_count", _("填写了争取次数，请同时填写最少次数。"))
        if low and high and high < low:
            self.add_error("target_count", _("争取次数不能少于最少次数。"))
        return data


class ThemeForm(BootstrapMixin, forms.Form):
    title = forms.CharField(label=gettext_lazy("标题"), max_length=200, error_messages=_required("标题"))
    body = forms.CharField(
        label=gettext_lazy("内容"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 2})
    )


class ActivityReviewForm(UnitsMixin, forms.Form):
    unit_fields = ("lead_units", "cooperating_units")
    include = forms.BooleanField(label=gettext_lazy("创建此活动"), required=False, initial=True)
    number = forms.IntegerField(label=gettext_lazy("序号"), min_value=1, max_value=99, required=False)
    title = forms.CharField(label=gettext_lazy("活动名称"), max_length=200, required=False)
    lead_units = forms.MultipleChoiceField(label=gettext_lazy("牵头单位"), required=False, widget=_pick())
    cooperating_units = forms.MultipleChoiceField(
        label=gettext_lazy("配合单位"), required=False, widget=_pick()
    )
    lead_pending = forms.CharField(required=False, widget=forms.HiddenInput)
    cooperating_pending = forms.CharField(required=False, widget=forms.HiddenInput)
    lead_text = forms.CharField(label=gettext_lazy("牵头单位（原文）"), max_length=500, required=False)
    cooperating_text = forms.CharField(
        label=gettext_lazy("配合单位（原文）"), max_length=2000, required=False
    )
    content = forms.CharField(
        label=gettext_lazy("活动内容"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    schedule_note = forms.CharField(
        label=gettext_lazy("时间地点说明"),
        max_length=200,
        required=False,
        help_text=gettext_lazy("未确定时留空或填“另行通知”。"),
    )
    starts_at = forms.DateTimeField(label=gettext_lazy("开始时间"), widget=DATETIME, required=False)
    venue = forms.CharField(label=gettext_lazy("地点"), max_length=200, required=False)

    def clean(self) -> dict:
        data = super().clean()
        if data.get("include"):
            if data.get("number") is None and "number" not in self.errors:
                self.add_error("number", _("请填写序号。"))
            if not (data.get("title") or "").strip():
                self.add_error("title", _("请填写活动名称。"))
        return data


class DeadlineReviewForm(UnitsMixin, forms.Form):
    unit_fields = ("applies_to",)
    include = forms.BooleanField(label=gettext_lazy("创建此要求"), required=False, initial=True)
    kind = forms.ChoiceField(label=gettext_lazy("要求类型"), choices=DEADLINE_KINDS)
    title = forms.CharField(label=gettext_lazy("要求"), max_length=200, required=False)
    due_at = forms.DateTimeField(label=gettext_lazy("截止时间"), widget=DATETIME, required=False)
    close_of_business = forms.BooleanField(label=gettext_lazy("按当天下班时间截止"), required=False)
    applies_to = forms.MultipleChoiceField(
        label=gettext_lazy("适用单位（不选则为全部参与单位）"), required=False, widget=_pick()
    )
    applies_pending = forms.CharField(required=False, widget=forms.HiddenInput)
    description = forms.CharField(
        label=gettext_lazy("说明"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean(self) -> dict:
        data = super().clean()
        if data.get("include"):
            if not (data.get("title") or "").strip():
                self.add_error("title", _("请填写要求名称。"))
            if not data.get("due_at") and "due_at" not in self.errors:
                self.add_error("due_at", _("请填写截止时间。"))
        return data


class StatRowForm(BootstrapMixin, forms.Form):
    section = forms.CharField(label=gettext_lazy("栏目"), max_length=100, required=False)
    label = forms.CharField(label=gettext_lazy("指标"), max_length=200, error_messages=_required("指标名称"))
    unit = forms.CharField(label=gettext_lazy("计量单位"), max_length=20, required=False)


ACTIONS = [
    ("", gettext_lazy("请选择…")),
    (MAP, gettext_lazy("对应已有单位")),
    (CREATE, gettext_lazy("新建单位")),
    (SKIP, gettext_lazy("忽略（不对应任何单位）")),
]


class UnmatchedForm(UnitsMixin, forms.Form):
    unit_fields = ("unit",)
    name = forms.CharField(max_length=100, widget=forms.HiddenInput)
    action = forms.ChoiceField(label=gettext_lazy("处理方式"), choices=ACTIONS, required=False)
    unit = forms.ChoiceField(label=gettext_lazy("对应单位"), required=False)
    kind = forms.ChoiceField(
        label=gettext_lazy("新单位类型"),
        choices=[("", gettext_lazy("请选择…")), *KIND_CHOICES],
        required=False,
    )
    add_alias = forms.BooleanField(
        label=gettext_lazy("记为该单位的别名（以后自动匹配）"), required=False, initial=True
    )

    def clean(self) -> dict:
        data = super().clean()
        action = data.get("action")
        if not action:
            self.add_error("action", _("请选择“对应已有单位”“新建单位”或“忽略”。"))
        elif action == MAP and not data.get("unit"):
            self.add_error("unit", _("请选择对应的已有单位。"))
        elif action == CREATE and not data.get("kind"):
            self.add_error("kind", _("请选择新单位的类型。"))
        return data


ThemeFormSet = formset_factory(ThemeForm, extra=1, can_delete=True)
ActivityFormSet = formset_factory(ActivityReviewForm, extra=0)
DeadlineFormSet = formset_factory(DeadlineReviewForm, extra=0)
StatRowFormSet = formset_factory(StatRowForm, extra=2, can_delete=True)
UnmatchedFormSet = formset_factory(UnmatchedForm, extra=0)
