"""Forms of the unit pages. They only shape and label the input; the services check it."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy

from .models import OrgUnit, Role, UnitKind

ALIAS_HELP = "每行一个，例如“县林业局”。通知、报表中出现这些写法时会匹配到本单位。"


class BootstrapForm(forms.Form):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.HiddenInput):
                continue
            css = (
                "form-check-input"
                if isinstance(widget, forms.CheckboxInput)
                else ("form-select" if isinstance(widget, forms.Select) else "form-control")
            )
            widget.attrs.setdefault("class", css)

    def add_error(self, field: str | None, error: Any) -> None:  # whatever BaseForm.add_error takes
        super().add_error(field, error)
        for name in self.errors:
            if name in self.fields and "is-invalid" not in self.fields[name].widget.attrs.get("class", ""):
                self.fields[name].widget.attrs["class"] = (
                    self.fields[name].widget.attrs.get("class", "") + " is-invalid"
                )


def unit_kind_choices() -> list[tuple[str, str]]:
    return [(k.value, str(k.label)) for k in UnitKind if k != UnitKind.NATION]


class UnitForm(BootstrapForm):
    name = forms.CharField(
        label=gettext_lazy("单位名称"), max_length=200, error_messages={"required": "请填写单位名称。"}
    )
    kind = forms.ChoiceField(label=gettext_lazy("类型"), choices=unit_kind_choices)
    short_name = forms.CharField(
        label=gettext_lazy("简称"),
        required=False,
        max_length=200,
        help_text=gettext_lazy("通知、展板中常用的写法，如“县气象局”。"),
    )
    aliases = forms.CharField(
        label=gettext_lazy("别名"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=ALIAS_HELP,
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def alias_list(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data.get("aliases", "").splitlines() if line.strip()]


class ChildUnitForm(UnitForm):
    code = forms.CharField(
        label=gettext_lazy("单位代码"),
        required=False,
        max_length=64,
        help_text=gettext_lazy("选填，留空自动编号。单位账号的用户名即单位代码（小写）。"),
    )
    field_order = ["name", "kind", "short_name", "code", "aliases"]


def unit_choices(units: list[OrgUnit], *, base_depth: int) -> list[tuple[str, str]]:
    """Indented options (in tree order) so a long list still reads as a tree on a phone."""
    return [("", gettext_lazy("— 请选择 —"))] + [
        (str(u.pk), "\u3000" * max(0, u.depth - base_depth) + u.name) for u in units
    ]


class TargetForm(BootstrapForm):
    target = forms.ChoiceField(
        label=gettext_lazy("目标单位"), error_messages={"required": "请选择目标单位。"}
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, choices: list[tuple[str, str]], target_label: str, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["target"]).choices = choices
        self.fields["target"].label = target_label
        self.fields["target"].error_messages["invalid_choice"] = "所选单位不在可选范围内，请重新选择。"


class StaffForm(BootstrapForm):
    name = forms.CharField(
        label=gettext_lazy("姓名"), max_length=200, error_messages={"required": "请填写联系人姓名。"}
    )
    position = forms.CharField(label=gettext_lazy("职务"), required=False, max_length=200)
    mobile = forms.CharField(
        label=gettext_lazy("手机号"),
        max_length=40,
        error_messages={"required": "请填写手机号。"},
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )
    email = forms.CharField(
        label=gettext_lazy("电子邮箱"),
        required=False,
        max_length=254,
        widget=forms.TextInput(attrs={"inputmode": "email"}),
    )
    is_primary = forms.BooleanField(label=gettext_lazy("主要联系人（印在展板上）"), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class ImportUploadForm(BootstrapForm):
    file = forms.FileField(
        label=gettext_lazy("单位名单（.xlsx）"),
        error_messages={
            "required": "请选择要上传的 Excel 文件。",
            "empty": "「单位名单」文件是空的（0 字节），请重新选择文件。",
        },
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )


# Accounts attached to a unit (the pages are accounts'; the unit page shows the forms too).
GRANTABLE_ROLES = [(r.value, str(r.label)) for r in Role]


class NewUserForm(BootstrapForm):
    username = forms.CharField(
        label=gettext_lazy("用户名"),
        max_length=150,
        help_text=gettext_lazy("字母、数字及 @ . + - _，登录时使用。"),
    )
    display_name = forms.CharField(label=gettext_lazy("姓名或说明"), required=False, max_length=50)
    role = forms.ChoiceField(label=gettext_lazy("角色"), choices=GRANTABLE_ROLES, initial=Role.UNIT_REPORTER)


class GrantForm(BootstrapForm):
    role = forms.ChoiceField(label=gettext_lazy("角色"), choices=GRANTABLE_ROLES)
