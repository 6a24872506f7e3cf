"""The organizer's actions on the accounts attached to a unit (buttons on /manage/units/<id>/).

A one-time password (new account, reset) goes into the session for the very next page view of that
unit and is deleted there: it is shown once and never written anywhere in clear.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sciweek.orgs.forms import GrantForm, NewUserForm
from sciweek.orgs.models import AREA_KINDS, AREA_ROLES_TO_CONFIRM, Membership, OrgUnit
from sciweek.orgs.views.common import bureau_unit
from sciweek.orgs.views.detail import user_manageable

from .batch_views import SESSION_KEY as SHEET_SESSION_KEY
from .services import (
    generate_password,
    membership_grant,
    membership_revoke,
    user_create,
    user_reset_password,
    user_set_active,
)

User = get_user_model()


def _back(unit: OrgUnit) -> HttpResponse:
    return redirect(reverse("orgs:unit", args=[unit.pk]) + "#users")


def _unit_user(request: HttpRequest, unit_id: int, user_id: int, *, whole_user: bool) -> tuple[OrgUnit, Any]:
    """The unit (managed by the actor) and a user attached to it; 404 if the user is not attached."""
    unit = bureau_unit(request, unit_id, manage=True)
    user = User.objects.filter(pk=user_id, memberships__unit=unit).distinct().first()
    if user is None:
        raise Http404(_("该单位下没有这个账号"))
    if whole_user and not user_manageable(request.user, user):
        raise PermissionDenied(
            _("该账号还属于您管理范围以外的单位（或是您自己的账号），不能在这里停用或重置。")
        )
    return unit, user


def _unconfirmed(request: HttpRequest, unit: OrgUnit, role: str) -> bool:
    """An organizer role on a unit that is not an area needs the form's confirmation (picker.js asks)."""
    if role in AREA_ROLES_TO_CONFIRM and unit.kind not in AREA_KINDS and request.POST.get("confirmed") != "1":
        messages.error(
            request,
            (
                _(
                    "「%(name)s」不是地区，授予组织或协办角色会让该账号看到并管理本单位以下的全部内容；一般单位请选“单位填报员”。确需授予请再次提交并确认。"
                )
                % {"name": unit.name}
            ),
        )
        return True
    return False


def _show_once(request: HttpRequest, unit: OrgUnit, username: str, password: str, what: str) -> None:
    request.session["orgs_onetime"] = {
        "unit": unit.pk,
        "username": username,
        "password": password,
        "what": what,
    }


@login_required
@require_POST
def user_new(request: HttpRequest, unit_id: int) -> HttpResponse:
    unit = bureau_unit(request, unit_id, manage=True)
    form = NewUserForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("新建账号：") + "；".join(e for errs in form.errors.values() for e in errs))
        return _back(unit)
    d = form.cleaned_data
    if _unconfirmed(request, unit, d["role"]):
        return _back(unit)
    password = generate_password(username=d["username"], display_name=d["display_name"] or unit.name)
    try:
        with transaction.atomic():
            user = user_create(
                actor=request.user,
                username=d["username"],
                password=password,
                display_name=d["display_name"] or unit.name,
                unit_path=unit.path,
            )
            membership_grant(actor=request.user, user=user, unit=unit, role=d["role"])
    except ValidationError as exc:
        messages.error(request, _("新建账号：") + "；".join(exc.messages))
        return _back(unit)
    _show_once(request, unit, user.username, password, "新账号")
    # The printable 账号通知单 as for a batch (accounts/batch_views.py): same page, same short life.
    request.session[SHEET_SESSION_KEY] = {
        "at": timezone.now().isoformat(),
        "downloaded": [],
        "entries": [{"unit": unit.name, "username": user.username, "password": password}],
    }
    return _back(unit)


@login_required
@require_POST
def user_active(request: HttpRequest, unit_id: int, user_id: int) -> HttpResponse:
    unit, user = _unit_user(request, unit_id, user_id, whole_user=True)
    active = request.POST.get("active") == "1"
    user_set_active(actor=request.user, user=user, active=active)
    if active:
        messages.success(request, (_("已启用账号 %(username)s。") % {"username": user.username}))
    else:
        messages.success(
            request,
            (
                _("已停用账号 %(username)s：该账号已立即退出登录，接口令牌已作废。")
                % {"username": user.username}
            ),
        )
    return _back(unit)


@login_required
@require_POST
def user_password_reset(request: HttpRequest, unit_id: int, user_id: int) -> HttpResponse:
    unit, user = _unit_user(request, unit_id, user_id, whole_user=True)
    password = user_reset_password(actor=request.user, user=user)
    _show_once(request, unit, user.username, password, "重置后的密码")
    return _back(unit)


@login_required
@require_POST
def membership_grant_view(request: HttpRequest, unit_id: int, user_id: int) -> HttpResponse:
    unit, user = _unit_user(request, unit_id, user_id, whole_user=False)
    form = GrantForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("授予角色：请选择有效的角色。"))
        return _back(unit)
    if _unconfirmed(request, unit, form.cleaned_data["role"]):
        return _back(unit)
    membership = membership_grant(actor=request.user, user=user, unit=unit, role=form.cleaned_data["role"])
    messages.success(
        request,
        (
            _("已授予 %(username)s「%(role)s」角色。")
            % {"username": user.username, "role": membership.get_role_display()}
        ),
    )
    return _back(unit)


@login_required
@require_POST
def membership_revoke_view(request: HttpRequest, unit_id: int, membership_id: int) -> HttpResponse:
    unit = bureau_unit(request, unit_id, manage=True)
    membership = Membership.objects.filter(pk=membership_id, unit=unit).select_related("user", "unit").first()
    if membership is None:
        raise Http404(_("该角色不存在"))
    if membership.user_id == request.user.pk:
        raise PermissionDenied(_("不能撤销您自己的角色，请由其他组织单位人员操作。"))
    membership_revoke(actor=request.user, membership=membership)
    messages.success(
        request,
        (
            _("已撤销 %(username)s 的「%(role)s」角色。")
            % {"username": membership.user.username, "role": membership.get_role_display()}
        ),
    )
    return _back(unit)
