from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from sciweek.orgs.models import OrgUnit

from .activity_panels import kind_choices
from .models import Campaign, Requirement

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class UnitPicker(forms.SelectMultiple):
    """Units grouped by kind; static/sciweek/picker.js makes it a searchable checkbox list with tags
    (one careless click on a plain multiple select would drop every unit chosen before)."""

    def __init__(self, attrs: dict | None = None) -> None:
        super().__init__({"data-picker": "units", **(attrs or {})})

    def optgroups(self, name, value, attrs=None):  # type: ignore[no-untyped-def]
        groups: dict[str, list] = {}
        chosen = {str(v) for v in value}
        for index, (option_value, label) in enumerate(self.choices):
            instance = getattr(option_value, "instance", None)
            kind = instance.get_kind_display() if instance is not None else ""
            key = str(option_value)
            option = self.create_option(name, option_value, label, key in chosen, index, attrs=attrs)
            groups.setdefault(str(kind), []).append(option)
        return [(kind, options, i) for i, (kind, options) in enumerate(groups.items())]


class BootstrapMixin:
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            css = "form-select" if isinstance(widget, forms.Select | forms.SelectMultiple) else "form-control"
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            widget.attrs.setdefault("class", css)


class CampaignForm(BootstrapMixin, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    title = forms.CharField(label=_("标题"), max_length=200)
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    theme = forms.CharField(label=_("活动主题"), max_length=200)
    start_date = forms.DateField(label=_("开始日期"), widget=DATE)
    end_date = forms.DateField(label=_("结束日期"), widget=DATE)
    content_themes = forms.CharField(
        label=_("主要内容（每行一条）"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    issuers = forms.ModelMultipleChoiceField(
        label=_("主办单位"),
        queryset=OrgUnit.objects.none(),
        required=False,
        widget=UnitPicker(attrs={"size": 6}),
    )
    issuer_text = forms.CharField(label=_("落款"), max_length=300, required=False)
    addressees = forms.CharField(label=_("主送"), required=False)
    doc_number = forms.CharField(label=_("文号"), max_length=100, required=False)
    issue_date = forms.DateField(label=_("发文日期"), widget=DATE, required=False)
    contact_person = forms.CharField(label=_("联系人"), max_length=50, required=False)
    contact_phone = forms.CharField(label=_("联系电话"), max_length=30, required=False)
    contact_email = forms.EmailField(label=_("电子邮箱"), required=False)
    close_of_business = forms.TimeField(
        label=_("下班时间（“下午下班前”按此计算）"),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    max_video_minutes = forms.IntegerField(label=_("视频时长上限（分钟）"), min_value=1, max_value=120)

    def __init__(self, *args, units=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if units is not None:
            self.fields["issuers"].queryset = units

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        data["content_themes"] = [t for t in (data.get("content_themes") or "").splitlines() if t.strip()]
        return data


class ActivityForm(BootstrapMixin, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    number = forms.IntegerField(label=_("序号"), min_value=1, max_value=99)
    title = forms.CharField(label=_("活动名称"), max_length=200)
    lead_units = forms.ModelMultipleChoiceField(
        label=_("牵头单位"), queryset=OrgUnit.objects.none(), widget=UnitPicker(attrs={"size": 8})
    )
    cooperating_units = forms.ModelMultipleChoiceField(
        label=_("配合单位"),
        queryset=OrgUnit.objects.none(),
        required=False,
        widget=UnitPicker(attrs={"size": 10}),
    )
    content = forms.CharField(label=_("活动内容"), widget=forms.Textarea(attrs={"rows": 4}), required=False)
    starts_at = forms.DateTimeField(label=_("开始时间"), widget=DATETIME, required=False)
    ends_at = forms.DateTimeField(label=_("结束时间"), widget=DATETIME, required=False)
    venue = forms.CharField(label=_("地点"), max_length=200, required=False)
    schedule_note = forms.CharField(
        label=_("时间地点说明"),
        max_length=200,
        required=False,
        help_text=_("未确定时填“另行通知”；确定后会通知所有牵头和配合单位。"),
    )
    panel_kind = forms.ChoiceField(
        label=_("专项数据"),
        required=False,
        help_text=_(
            "在本活动页面显示哪项专项工作的数据（如服务企业、科技特派员）；默认按活动名称和内容判断。"
        ),
    )

    def __init__(self, *args, units=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        kind = self.fields["panel_kind"]
        assert isinstance(kind, forms.ChoiceField)
        kind.choices = kind_choices()
        if units is not None:
            self.fields["lead_units"].queryset = units
            self.fields["cooperating_units"].queryset = units


class RequirementForm(BootstrapMixin, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    kind = forms.ChoiceField(label=_("类型"), choices=Requirement.Kind.choices)
    title = forms.CharField(label=_("要求"), max_length=200)
    description = forms.CharField(label=_("说明"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    due_at = forms.DateTimeField(label=_("截止时间"), widget=DATETIME)
    due_is_close_of_business = forms.BooleanField(label=_("按当天下班时间截止"), required=False)
    min_count = forms.IntegerField(label=_("最少次数"), min_value=0, required=False)
    target_count = forms.IntegerField(label=_("目标次数"), min_value=0, required=False)
    lock_at_deadline = forms.BooleanField(label=_("截止后锁定（不再接受提交）"), required=False)
    applies_to = forms.ModelMultipleChoiceField(
        label=_("适用单位（不选则为全部参与单位）"),
        queryset=OrgUnit.objects.none(),
        required=False,
        widget=UnitPicker(attrs={"size": 8}),
    )

    def __init__(self, *args, units=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if units is not None:
            self.fields["applies_to"].queryset = units


def campaign_initial(campaign: Campaign) -> dict:
    data = {
        f: getattr(campaign, f)
        for f in (
            "title",
            "year",
            "theme",
            "start_date",
            "end_date",
            "issuer_text",
            "addressees",
            "doc_number",
            "issue_date",
            "contact_person",
            "contact_phone",
            "contact_email",
            "close_of_business",
            "max_video_minutes",
            "version",
        )
    }
    data["content_themes"] = "\n".join(t.title for t in campaign.content_themes.all())
    data["issuers"] = list(campaign.issuers.all())
    return data
