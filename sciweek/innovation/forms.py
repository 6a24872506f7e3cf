"""Forms of the 企业创新服务 pages: they shape and label the input; the services check it."""

from __future__ import annotations

from django import forms

from sciweek.orgs.forms import BootstrapForm as OrgsBootstrapForm

from .choices import (
    DIVISION_CHOICES,
    QUALIFICATIONS,
    SECTION_CHOICES,
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
    """The orgs base, with messages that name the field."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.error_messages["required"] = f"请填写「{field.label}」。"
            field.error_messages["invalid"] = f"「{field.label}」格式不正确。"
            field.error_messages["invalid_choice"] = f"「{field.label}」的选项不正确。"


DATE = forms.DateInput(attrs={"type": "date"})


class EnterpriseForm(BootstrapForm):
    unit = forms.ChoiceField(label="所在镇（街道）/园区", choices=())
    name = forms.CharField(label="企业名称", max_length=100)
    credit_code = forms.CharField(
        label="统一社会信用代码", max_length=40, help_text="18位，营业执照上的代码；校验位不对会提示抄错"
    )
    section = forms.ChoiceField(
        label="行业门类（GB/T 4754）", choices=BLANK + SECTION_CHOICES, required=False
    )
    division = forms.ChoiceField(label="行业大类", choices=BLANK + DIVISION_CHOICES, required=False)
    size = forms.ChoiceField(label="企业规模", choices=BLANK + list(Size.choices), required=False)
    qualifications = forms.MultipleChoiceField(
        label="资质",
        choices=[(q, q) for q in QUALIFICATIONS],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    address = forms.CharField(label="地址", max_length=200, required=False)
    main_products = forms.CharField(label="主要产品", max_length=300, required=False)
    contact_name = forms.CharField(label="联系人", max_length=50, required=False)
    contact_position = forms.CharField(label="联系人职务", max_length=50, required=False)
    contact_phone = forms.CharField(label="联系人手机号", max_length=20, required=False)
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
    title = forms.CharField(label="需求名称", max_length=100)
    field = forms.ChoiceField(label="技术领域", choices=BLANK + list(Field.choices))
    demand_type = forms.ChoiceField(
        label="需求类型", choices=BLANK + list(DemandType.choices), required=False
    )
    description = forms.CharField(
        label="现状与问题", max_length=4000, widget=forms.Textarea(attrs={"rows": 4}),
        help_text="企业目前的做法、遇到的技术难题（写清楚作物、设备、工艺等关键词，便于匹配专家）",
    )  # fmt: skip
    targets = forms.CharField(
        label="量化目标指标", max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    benchmark = forms.CharField(label="对标水平", max_length=200, required=False)
    coop_mode = forms.ChoiceField(label="合作方式", choices=BLANK + list(CoopMode.choices), required=False)
    budget = forms.DecimalField(
        label="预算（万元）", required=False, min_value=0, max_digits=12, decimal_places=2
    )
    wanted_by = forms.DateField(label="期望完成时间", required=False, widget=DATE)
    is_secret = forms.BooleanField(label="涉密（涉密需求不公开发布）", required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class StatusForm(BootstrapForm):
    to = forms.ChoiceField(label="改为", choices=Status.choices)
    note = forms.CharField(label="说明", max_length=300, required=False)
    contract_amount = forms.DecimalField(
        label="合同金额（万元）", required=False, min_value=0, max_digits=12, decimal_places=2
    )
    contract_number = forms.CharField(label="技术合同登记编号", max_length=40, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)


class ExpertForm(BootstrapForm):
    name = forms.CharField(label="姓名", max_length=50)
    organization = forms.CharField(label="工作单位", max_length=100)
    org_kind = forms.ChoiceField(label="单位性质", choices=BLANK + list(OrgKind.choices), required=False)
    title = forms.CharField(label="职称", max_length=50, required=False)
    discipline = forms.CharField(
        label="学科", max_length=50, help_text="如 植物保护、作物学、机械工程、食品科学技术"
    )
    keywords = forms.CharField(
        label="专长关键词", max_length=600, help_text="用逗号或顿号分隔，如：小麦病虫害、赤霉病、绿色防控"
    )
    is_commissioner = forms.BooleanField(label="科技特派员", required=False)
    service_towns = forms.MultipleChoiceField(
        label="服务镇", choices=(), required=False, widget=forms.CheckboxSelectMultiple
    )
    phone = forms.CharField(label="手机号", max_length=20, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, towns=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["service_towns"].choices = [(t.pk, t.name) for t in towns]
        self.fields["service_towns"].widget.attrs["class"] = "form-check-input"


class VisitForm(BootstrapForm):
    date = forms.DateField(label="走访日期", widget=DATE)
    visitors = forms.CharField(label="走访人员", max_length=200)
    findings = forms.CharField(
        label="发现的情况", max_length=4000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    demands_raised = forms.CharField(
        label="提出的需求", max_length=4000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    contact_confirmed = forms.BooleanField(label="企业联系人已确认走访内容", required=False)
    confirmed_by_name = forms.CharField(label="确认人", max_length=50, required=False)


class LogForm(BootstrapForm):
    expert = forms.ChoiceField(label="科技特派员", choices=())
    unit = forms.ChoiceField(label="服务镇", choices=())
    date = forms.DateField(label="服务日期", widget=DATE)
    place_kind = forms.ChoiceField(label="地点类型", choices=PlaceKind.choices)
    place = forms.CharField(label="地点", max_length=100, help_text="村、合作社或企业名称")
    kind = forms.ChoiceField(label="服务方式", choices=LogKind.choices)
    people_served = forms.IntegerField(label="服务人数", min_value=0, max_value=100000, initial=0)
    hours = forms.DecimalField(
        label="服务时长（小时）", min_value=0, max_value=24, decimal_places=1, initial=0
    )
    topics = forms.CharField(label="服务内容", max_length=300)
    event_id = forms.IntegerField(
        label="关联活动编号（选填）", required=False, min_value=1,
        help_text="这次服务已作为活动周的活动登记时填写其编号，统计时只计一次",
    )  # fmt: skip

    def __init__(self, *args, experts=(), towns=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["expert"].choices = [(e.pk, f"{e.name}（{e.organization}）") for e in experts]
        self.fields["unit"].choices = [(t.pk, t.name) for t in towns]


class ApplicationForm(BootstrapForm):
    programme = forms.CharField(label="计划项目", max_length=100)
    level = forms.ChoiceField(label="级别", choices=ProgrammeLevel.choices)
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    status = forms.ChoiceField(label="状态", choices=[
        ("preparing", "指导申报中"), ("submitted", "已申报"), ("approved", "已立项"), ("rejected", "未立项")
    ])  # fmt: skip
    amount = forms.DecimalField(
        label="支持金额（万元）", required=False, min_value=0, max_digits=12, decimal_places=2
    )
    guided_by = forms.CharField(label="指导人员", max_length=100, required=False)


class ImportForm(BootstrapForm):
    file = forms.FileField(
        label="企业名单（xlsx）", help_text="第一行为表头：企业名称、统一社会信用代码、所在镇（街道）……"
    )
