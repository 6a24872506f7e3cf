"""A unit's page: its information, contact staff (add / edit / delete) and the accounts attached to it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sciweek.core.forms import attach_errors

from .. import services
from ..access import can_manage_unit
from ..forms import GrantForm, NewUserForm, StaffForm
from ..models import ROLE_HELP, Membership, OrgUnit, Role, StaffContact
from .common import bureau_unit, crumbs, is_own_region


@dataclass
class AttachedUser:
    user: Any
    memberships: list[Membership] = field(default_factory=list)
    manageable: bool = False
    other_units: list[str] = field(default_factory=list)


def user_manageable(actor: Any, user: Any) -> bool:
    """An organizer may switch off or reset a user only if every unit the user belongs to is theirs."""
    if user.pk == actor.pk or user.is_superuser or user.is_staff:
        return False
    units = [m.unit for m in Membership.objects.filter(user=user).select_related("unit")]
    return bool(units) and all(can_manage_unit(actor, u) for u in units)


def attached_users(actor: Any, unit: OrgUnit) -> list[AttachedUser]:
    rows: dict[int, AttachedUser] = {}
    for m in (
        Membership.objects.filter(unit=unit)
        .select_related("user", "user__profile")
        .order_by("user__username")
    ):
        rows.setdefault(m.user_id, AttachedUser(user=m.user)).memberships.append(m)
    others = Membership.objects.filter(user_id__in=rows).exclude(unit=unit).select_related("unit")
    for m in others:
        rows[m.user_id].other_units.append(m.unit.name)
    for row in rows.values():
        row.manageable = user_manageable(actor, row.user)
    return list(rows.values())


@login_required
def unit_detail(request: HttpRequest, unit_id: int) -> HttpResponse:
    unit = bureau_unit(request, unit_id)
    manage = can_manage_unit(request.user, unit)
    onetime = request.session.get("orgs_onetime")
    if onetime and onetime.get("unit") == unit.pk:
        del request.session["orgs_onetime"]  # shown once, then gone
    else:
        onetime = None
    return render(
        request,
        "orgs/unit_detail.html",
        {
            "unit": unit,
            "crumbs": crumbs(request.user, unit),
            "children": unit.get_children(),
            "aliases": unit.aliases.all(),
            "staff": unit.staff.all(),
            "users": attached_users(request.user, unit),
            "manage": manage,
            "own_region": is_own_region(request.user, unit),
            "onetime": onetime,
            "grant_form": GrantForm(),
            "new_user_form": NewUserForm(initial={"username": unit.code.lower()}),
            "role_help": {str(k): v for k, v in ROLE_HELP.items()},
            "role_help_rows": [(Role(k).label, v) for k, v in ROLE_HELP.items()],
        },
    )


def _staff_of(unit: OrgUnit, staff_id: int) -> StaffContact:
    staff = StaffContact.objects.filter(pk=staff_id, unit=unit).first()
    if staff is None:
        raise Http404(_("联系人不存在"))
    return staff


def _staff_page(request: HttpRequest, unit: OrgUnit, staff: StaffContact | None) -> HttpResponse:
    initial = (
        {
            "version": staff.version,
            "name": staff.name,
            "position": staff.position,
            "mobile": staff.mobile,
            "email": staff.email,
            "is_primary": staff.is_primary,
        }
        if staff
        else {}
    )
    form = StaffForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            saved = services.staff_save(
                actor=request.user,
                unit=unit,
                staff=staff,
                version=d["version"],
                name=d["name"],
                mobile=d["mobile"],
                position=d["position"],
                email=d["email"],
                is_primary=d["is_primary"],
            )
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, (_("已保存联系人%(name)s。") % {"name": saved.name}))
            return redirect(reverse("orgs:unit", args=[unit.pk]) + "#staff")
    return render(
        request,
        "orgs/staff_form.html",
        {"form": form, "unit": unit, "staff": staff, "crumbs": crumbs(request.user, unit)},
    )


@login_required
def staff_add(request: HttpRequest, unit_id: int) -> HttpResponse:
    return _staff_page(request, bureau_unit(request, unit_id, manage=True), None)


@login_required
def staff_edit(request: HttpRequest, unit_id: int, staff_id: int) -> HttpResponse:
    unit = bureau_unit(request, unit_id, manage=True)
    return _staff_page(request, unit, _staff_of(unit, staff_id))


@login_required
@require_POST
def staff_delete(request: HttpRequest, unit_id: int, staff_id: int) -> HttpResponse:
    unit = bureau_unit(request, unit_id, manage=True)
    staff = _staff_of(unit, staff_id)
    try:
        version = int(request.POST.get("version") or 0) or None
        services.staff_delete(actor=request.user, staff=staff, version=version)
    except (ValidationError, ValueError) as exc:
        messages.error(request, "；".join(getattr(exc, "messages", [_("版本号无效，请刷新页面。")])))
    else:
        messages.success(request, (_("已删除联系人%(name)s。") % {"name": staff.name}))
    return redirect(reverse("orgs:unit", args=[unit.pk]) + "#staff")
