"""Forms of the organizer's user-management pages."""

from __future__ import annotations

from django import forms

from sciweek.orgs.forms import BootstrapForm
from sciweek.orgs.models import Role

GRANTABLE_ROLES = [(r.value, str(r.label)) for r in Role]


class NewUserForm(BootstrapForm):
    username = forms.CharField(
        label="用户名", max_length=150, help_text="字母、数字及 @ . + - _，登录时使用。"
    )
    display_name = forms.CharField(label="姓名或说明", required=False, max_length=50)
    role = forms.ChoiceField(label="角色", choices=GRANTABLE_ROLES, initial=Role.UNIT_REPORTER)


class GrantForm(BootstrapForm):
    role = forms.ChoiceField(label="角色", choices=GRANTABLE_ROLES)
