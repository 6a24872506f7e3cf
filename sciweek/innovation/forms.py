"""Forms of the 企业创新服务 pages: they shape and label the input; the services check it."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from sciweek.orgs.forms import BootstrapForm as OrgsBootstrapForm

from .choices import (
    DIVISION_CHOICES,
    QUALIFICATIONS,
    SECTION_CHOICES,
    ApplicationStatus,
    CoopMode,
    DemandType,
    Field,
    LogKind,
    OrgKind,
    PlaceKind,
    ProgrammeLevel,
    Size,
    Status,
)

BLANK = [("", "—")]


class BootstrapForm(OrgsBootstrapForm):
    """The orgs base, with messages that name the field (in the language of the request that made the
    form: each form is made for one request, and Django copies a field's messages per form)."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            label = {"label": field.label}
            field.error_messages["required"] = gettext("请填写「%(label)s」。") % label
            field.error_messages["invalid"] = gettext("「%(label)s」格式不正确。") % label
            field.error_messages["invalid_choice"] = gettext("「%(label)s」的选项不正确。") % label


# ISO, whatever the language: a browser's date input shows nothing for any other format (a prefilled edit).
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class EnterpriseForm(BootstrapForm):
    unit = forms.ChoiceField(label=_("所在镇（街道）/园区"), choices=())
    name = forms.CharField(label=_("企业名称"), max_length=100)
    credit_code = forms.CharField(
        label=_("统一社会信用代码"),
        max_length=40,
        help_text=_("18位，营业执照上的代码；校验位不对会提示抄错"),
    )
    section = forms.ChoiceField(
        label=_("行业门类（GB/T 4754）"), choices=BLANK + SECTION_CHOICES, required=False
    )
    division = forms.ChoiceField(label=_("行业大类"), choices=BLANK + DIVISION_CHOICES, required=False)
    size = forms.ChoiceField(label=_("企业规模"), choices=BLANK + list(Size.choices), required=False)
    qualifications = forms.MultipleChoiceField(
        label=_("资质"),
        choices=[(q, q) for q in QUALIFICATIONS],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    address = forms.CharField(label=_("地址"), max_length=200, required=False)
    main_products = forms.CharField(label=_("主要产品"), max_length=300, required=False)
    contact_name = forms.CharField(label=_("联系人"), max_length=50, required=False)
    contact_position = forms.CharField(label=_("联系人职务"), max_length=50, required=False)
    contact_phone = forms.CharField(label=_("联系人手机号"), max_length=20, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, units=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [(u.pk, u.name) for u in units]
        self.fields["qualifications"].widget.attrs["class"] = "form-check-input"

    def contacts(self) -> list[dict[str, str]]:
        d = self.cleaned_data
        if not d.get("contact_name"):
            return []
        return [{"name": d["contact_name"], "position": d["contact_position"], "phone": d["contact_phone"]}]


class DemandForm(BootstrapForm):
    title = forms.CharField(label=_("需求名称"), max_length=100)
    field = forms.ChoiceField(label=_("技术领域"), choices=BLANK + list(Field.choices))
    demand_type = forms.ChoiceField(
        label=_("需求类型"), choices=BLANK + list(DemandType.choices), required=False
    )
    description = forms.CharField(
        label=_("现状与问题"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("企业目前的做法、遇到的技术难题（写清楚作物、设备、工艺等关键词，便于匹配专家）"),
    )  # fmt: skip
    targets = forms.CharField(
        label=_("量化目标指标"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    benchmark = forms.CharField(label=_("对标水平"), max_length=200, required=False)
    coop_mode = forms.ChoiceField(label=_("合作方式"), choices=BLANK + list(CoopMode.choices), required=False)
    budget = forms.DecimalField(
        label=_("预算（万元）"), required=False, min_value=0, max_digits=12, decimal_places=2
    )
    wanted_by = forms.DateField(label=_("期望完成时间"), required=False, widget=DATE)
    is_secret = forms.BooleanField(label=_("涉密（涉密需求不公开发布）"), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class StatusForm(BootstrapForm):
    to = forms.ChoiceField(label=_("改为"), choices=Status.choices)
    note = forms.CharField(label=_("说明"), max_length=300, required=False)
    contract_amount = forms.DecimalField(
        label=_("合同金额（万元）"), required=False, min_value=0, max_digits=12, decimal_places=2
    )
    contract_number = forms.CharField(label=_("技术合同登记编号"), max_length=40, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)


class ExpertForm(BootstrapForm):
    name = forms.CharField(label=_("姓名"), max_length=50)
    organization = forms.CharField(label=_("工作单位"), max_length=100)
    org_kind = forms.ChoiceField(label=_("单位性质"), choices=BLANK + list(OrgKind.choices), required=False)
    title = forms.CharField(label=_("职称"), max_length=50, required=False)
    discipline = forms.CharField(
        label=_("学科"), max_length=50, help_text=_("如 植物保护、作物学、机械工程、食品科学技术")
    )
    keywords = forms.CharField(
        label=_("专长关键词"),
        max_length=600,
        help_text=_("用逗号或顿号分隔，如：小麦病虫害、赤霉病、绿色防控"),
    )
    is_commissioner = forms.BooleanField(label=_("科技特派员"), required=False)
    service_towns = forms.MultipleChoiceField(
        label=_("服务镇"), choices=(), required=False, widget=forms.CheckboxSelectMultiple
    )
    phone = forms.CharField(label=_("手机号"), max_length=20, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, towns=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["service_towns"].choices = [(t.pk, t.name) for t in towns]
        self.fields["service_towns"].widget.attrs["class"] = "form-check-input"


class VisitForm(BootstrapForm):
    date = forms.DateField(label=_("走访日期"), widget=DATE)
    visitors = forms.CharField(label=_("走访人员"), max_length=200)
    findings = forms.CharField(
        label=_("发现的情况"), max_length=4000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    demands_raised = forms.CharField(
        label=_("提出的需求"), max_length=4000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    contact_confirmed = forms.BooleanField(label=_("企业联系人已确认走访内容"), required=False)
    confirmed_by_name = forms.CharField(label=_("确认人"), max_length=50, required=False)


class LogForm(BootstrapForm):
    expert = forms.ChoiceField(label=_("科技特派员"), choices=())
    unit = forms.ChoiceField(label=_("服务镇"), choices=())
    date = forms.DateField(label=_("服务日期"), widget=DATE)
    place_kind = forms.ChoiceField(label=_("地点类型"), choices=PlaceKind.choices)
    place = forms.CharField(label=_("地点"), max_length=100, help_text=_("村、合作社或企业名称"))
    kind = forms.ChoiceField(label=_("服务方式"), choices=LogKind.choices)
    people_served = forms.IntegerField(label=_("服务人数"), min_value=0, max_value=100000, initial=0)
    hours = forms.DecimalField(
        label=_("服务时长（小时）"), min_value=0, max_value=24, decimal_places=1, initial=0
    )
    topics = forms.CharField(label=_("服务内容"), max_length=300)
    event_id = forms.IntegerField(
        label=_("关联活动编号（选填）"), required=False, min_value=1,
        help_text=_("这次服务已作为活动周的活动登记时填写其编号，统计时只计一次"),
    )  # fmt: skip

    def __init__(self, *args, experts=(), towns=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["expert"].choices = [(e.pk, f"{e.name}（{e.organization}）") for e in experts]
        self.fields["unit"].choices = [(t.pk, t.name) for t in towns]


class ApplicationForm(BootstrapForm):
    programme = forms.CharField(label=_("计划项目"), max_length=100)
    level = forms.ChoiceField(label=_("级别"), choices=ProgrammeLevel.choices)
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    status = forms.ChoiceField(label=_("状态"), choices=ApplicationStatus.choices)
    amount = forms.DecimalField(
        label=_("支持金额（万元）"), required=False, min_value=0, max_digits=12, decimal_places=2
    )
    guided_by = forms.CharField(label=_("指导人员"), max_length=100, required=False)


class VisitEditForm(VisitForm):
    # The version the form was loaded with: a save on an older one is refused, not written over.
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class LogEditForm(LogForm):
    """A log's own fields: its commissioner and town stay (a wrong one is deleted and logged again)."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["expert"], self.fields["unit"]


class ApplicationEditForm(ApplicationForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class ImportForm(BootstrapForm):
    file = forms.FileField(
        label=_("企业名单（xlsx）"), help_text=_("第一行为表头：企业名称、统一社会信用代码、所在镇（街道）……")
    )
