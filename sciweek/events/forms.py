"""Forms for units' events, the public's registration and walk-in check-in, review and outcome."""

from __future__ import annotations

from typing import cast

from django import forms
from django.utils.translation import gettext_lazy

from sciweek.campaigns.forms import DATETIME, BootstrapMixin
from sciweek.campaigns.models import Campaign

from .choices import AUDIENCE_CHOICES, CATEGORY_CHOICES, MAX_PARTY, SECTOR_WEEKS, Mode

CATEGORY_GROUPS = [
    ("行业科技周（通知三.4）", [c for c in CATEGORY_CHOICES if c[0] in SECTOR_WEEKS]),
    ("活动类型", [c for c in CATEGORY_CHOICES if c[0] not in SECTOR_WEEKS]),
]


class EventForm(BootstrapMixin, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    title = forms.CharField(label=gettext_lazy("活动名称"), max_length=120)
    category = forms.ChoiceField(
        label=gettext_lazy("活动类别"), choices=[("", gettext_lazy("请选择")), *CATEGORY_GROUPS]
    )
    content_theme = forms.ModelChoiceField(
        label=gettext_lazy("内容主题"), queryset=None, required=False, empty_label=gettext_lazy("（不选）")
    )
    main_activity = forms.ModelChoiceField(
        label=gettext_lazy("所属主要活动"),
        queryset=None,
        required=False,
        empty_label=gettext_lazy("（不属于主要活动）"),
    )
    audiences = forms.MultipleChoiceField(
        label=gettext_lazy("面向对象（可多选）"),
        choices=AUDIENCE_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    mode = forms.ChoiceField(label=gettext_lazy("形式"), choices=Mode.choices, initial=Mode.OFFLINE)
    starts_at = forms.DateTimeField(label=gettext_lazy("开始时间"), widget=DATETIME)
    ends_at = forms.DateTimeField(label=gettext_lazy("结束时间"), widget=DATETIME)
    venue = forms.CharField(
        label=gettext_lazy("活动地点"),
        max_length=120,
        required=False,
        help_text=gettext_lazy("如：县科技馆一楼报告厅"),
    )
    address = forms.CharField(label=gettext_lazy("详细地址"), max_length=200, required=False)
    online_platform = forms.CharField(
        label=gettext_lazy("线上平台"),
        max_length=50,
        required=False,
        help_text=gettext_lazy("如：抖音“泗县发布”、微信视频号"),
    )
    online_url = forms.CharField(
        label=gettext_lazy("线上链接"),
        max_length=500,
        required=False,
        help_text=gettext_lazy("以 http:// 或 https:// 开头；公众通过本平台的跳转链接访问"),
    )
    registration_enabled = forms.BooleanField(label=gettext_lazy("需要公众报名（控制人数）"), required=False)
    capacity = forms.IntegerField(
        label=gettext_lazy("名额（人）"),
        required=False,
        help_text=gettext_lazy("需要报名时填写；留空表示不限"),
    )
    waitlist_limit = forms.IntegerField(
        label=gettext_lazy("候补名额（份）"),
        required=False,
        initial=0,
        help_text=gettext_lazy("名额满后可排队候补的报名份数；有人取消时按顺序自动递补"),
    )
    expected_scale = forms.IntegerField(label=gettext_lazy("预计规模（人）"), required=False)
    safety_contact = forms.CharField(label=gettext_lazy("安全责任人"), max_length=50, required=False)
    safety_phone = forms.CharField(label=gettext_lazy("安全责任人电话"), max_length=30, required=False)
    description = forms.CharField(
        label=gettext_lazy("活动介绍"), required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    backfill = forms.BooleanField(label=gettext_lazy("补录已举办活动（开始时间已过）"), required=False)

    def __init__(self, *args, campaign: Campaign, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["content_theme"]).queryset = campaign.content_themes.all()
        cast(forms.ModelChoiceField, self.fields["main_activity"]).queryset = campaign.activities.all()
        self.fields["audiences"].widget.attrs["class"] = "sw-checks"
        for name in ("capacity", "waitlist_limit", "expected_scale"):
            self.fields[name].widget.attrs.update({"inputmode": "numeric"})
        # Wrong numbers get the service's message (naming the field), not the browser's.
        self.fields["capacity"].error_messages["invalid"] = "名额应为整数。"

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        return data

    def sections(self) -> list[tuple[str, list]]:
        """The form in the order a unit thinks about an event (rendered by events/_event_fields.html)."""
        groups = [
            ("活动内容", ["title", "category", "audiences", "content_theme", "main_activity"]),
            ("时间和形式", ["mode", "starts_at", "ends_at", "backfill"]),
            ("线下地点", ["venue", "address"]),
            ("线上（直播、微视频、微动漫）", ["online_platform", "online_url"]),
            (
                "报名、规模与安全（通知五.4）",
                [
                    "registration_enabled",
                    "capacity",
                    "waitlist_limit",
                    "expected_scale",
                    "safety_contact",
                    "safety_phone",
                ],
            ),
            ("活动介绍", ["description"]),
        ]
        return [(title, [self[name] for name in names]) for title, names in groups]


class RegistrationForm(BootstrapMixin, forms.Form):
    name = forms.CharField(label=gettext_lazy("姓名"), max_length=30)
    phone = forms.CharField(
        label=gettext_lazy("手机号"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    party_size = forms.TypedChoiceField(
        label=gettext_lazy("人数（含本人）"),
        coerce=int,
        initial=1,
        choices=[(i, f"{i}人") for i in range(1, MAX_PARTY + 1)],
    )
    agree = forms.BooleanField(
        label=gettext_lazy("我已了解：请按时到场，如不能参加请及时取消，把名额让给他人"),
        required=True,
        error_messages={"required": "请确认参加须知。"},
    )


class WalkinForm(BootstrapMixin, forms.Form):
    name = forms.CharField(label=gettext_lazy("姓名"), max_length=30)
    phone = forms.CharField(
        label=gettext_lazy("手机号"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    party_size = forms.TypedChoiceField(
        label=gettext_lazy("人数（含本人）"),
        coerce=int,
        initial=1,
        choices=[(i, f"{i}人") for i in range(1, MAX_PARTY + 1)],
    )


class ReturnForm(BootstrapMixin, forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("退回理由"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )


class OutcomeForm(BootstrapMixin, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    offline_participants = forms.IntegerField(
        label=gettext_lazy("线下参与人数"),
        required=False,
        min_value=0,
        help_text=gettext_lazy("默认带出签到人数（含现场登记），可按实际修改"),
    )
    online_audience = forms.IntegerField(label=gettext_lazy("线上观看人数"), required=False, min_value=0)
    online_audience_source = forms.CharField(
        label=gettext_lazy("线上人数来源"),
        max_length=120,
        required=False,
        help_text=gettext_lazy("如：抖音直播后台统计、视频号播放量"),
    )
    outcome_note = forms.CharField(
        label=gettext_lazy("活动情况简述"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name in ("offline_participants", "online_audience"):
            self.fields[name].error_messages.update(
                {"invalid": "人数应为整数。", "min_value": "人数不能为负数。"}
            )
