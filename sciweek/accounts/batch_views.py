"""Accounts for many units at once (/manage/units/accounts/) and the batch's login sheet.

The batch's one-time passwords are kept only in the organizer's session, for the sheet to be
downloaded (xlsx and PDF); they are dropped once both have been downloaded, when the organizer
clears them, or after BATCH_TTL — whichever comes first. The database holds only password hashes.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from sciweek.orgs.models import AREA_KINDS, UNIT_ROLES, Membership, OrgUnit, Role, UnitKind
from sciweek.orgs.views.common import managed_units, require_organizer

from .loginsheet import SheetEntry, login_sheet_pdf, login_sheet_xlsx
from .services import accounts_bulk_create

SESSION_KEY = "accounts_batch"
BATCH_TTL = dt.timedelta(minutes=30)
BATCH_ROLES = [
    (Role.UNIT_REPORTER.value, str(Role.UNIT_REPORTER.label)),
    (Role.UNIT_HEAD.value, str(Role.UNIT_HEAD.label)),
]


def account_units(user: Any) -> list[OrgUnit]:
    """Units that get accounts: every active unit the organizer manages, except areas and groups."""
    unit_members = (
        Membership.objects.filter(role__in=UNIT_ROLES).select_related("user").order_by("user__username")
    )
    return list(
        managed_units(user)
        .filter(is_active=True)
        .exclude(kind__in=[*AREA_KINDS, UnitKind.GROUP])
        .prefetch_related(Prefetch("memberships", queryset=unit_members, to_attr="unit_members"))
    )


@login_required
def accounts_page(request: HttpRequest) -> HttpResponse:
    require_organizer(request)
    units = account_units(request.user)
    if request.method == "POST":
        role = request.POST.get("role") or Role.UNIT_REPORTER
        if role not in dict(BATCH_ROLES):
            messages.error(request, _("「角色」：请选择单位填报员或单位负责人。"))
            return redirect("orgs:accounts")
        by_id = {u.pk: u for u in units}
        if request.POST.get("mode") == "missing":
            chosen = [u for u in units if not u.unit_members]
        else:
            try:
                ids = [int(v) for v in request.POST.getlist("units")]
            except ValueError:
                raise Http404(_("单位不存在")) from None
            if any(i not in by_id for i in ids):
                raise Http404(_("所选单位不在您的管理范围内"))
            chosen = [by_id[i] for i in ids]
        if not chosen:
            messages.warning(request, _("没有选择任何单位（或所有单位都已有账号）。"))
            return redirect("orgs:accounts")
        issued = accounts_bulk_create(actor=request.user, units=chosen, role=role)
        skipped = [u.name for u in chosen if u.pk not in {i.unit.pk for i in issued}]
        if skipped:
            messages.warning(
                request,
                (
                    _(
                        "以下单位已有同名账号（用户名即单位代码），未重复创建：%(skipped)s%(value)s。需要时请在单位页面重置密码。"
                    )
                    % {"skipped": "、".join(skipped[:20]), "value": _("等") if len(skipped) > 20 else ""}
                ),
            )
        if not issued:
            return redirect("orgs:accounts")
        request.session[SESSION_KEY] = {
            "at": timezone.now().isoformat(),
            "downloaded": [],
            "entries": [
                {"unit": i.unit.name, "username": i.username, "password": i.password} for i in issued
            ],
        }
        return redirect("orgs:accounts_batch")
    return render(
        request,
        "accounts/manage_accounts.html",
        {
            "units": units,
            "roles": BATCH_ROLES,
            "missing": sum(1 for u in units if not u.unit_members),
            "batch": _batch(request) is not None,
        },
    )


def _batch(request: HttpRequest) -> dict | None:
    batch = request.session.get(SESSION_KEY)
    if batch and timezone.now() - dt.datetime.fromisoformat(batch["at"]) > BATCH_TTL:
        request.session.pop(SESSION_KEY, None)
        return None
    return batch


def _entries(batch: dict) -> list[SheetEntry]:
    return [SheetEntry(**e) for e in batch["entries"]]


@never_cache
@login_required
def batch_page(request: HttpRequest) -> HttpResponse:
    require_organizer(request)
    batch = _batch(request)
    if batch is None:
        messages.info(
            request, _("没有待下载的账号清单：初始密码只显示一次，已清除。需要时请在单位页面重置密码。")
        )
        return redirect("orgs:accounts")
    expires = dt.datetime.fromisoformat(batch["at"]) + BATCH_TTL
    return render(
        request,
        "accounts/manage_batch.html",
        {"entries": _entries(batch), "downloaded": batch["downloaded"], "expires": expires},
    )


def _sheet(request: HttpRequest, fmt: str) -> HttpResponse:
    require_organizer(request)
    batch = _batch(request)
    if batch is None:
        messages.info(request, _("账号清单已清除（初始密码只显示一次）。需要时请在单位页面重置密码。"))
        return redirect("orgs:accounts")
    issued_at = timezone.localtime(dt.datetime.fromisoformat(batch["at"]))
    login_url = request.build_absolute_uri(reverse("accounts:login"))
    title = "科技活动周管理平台 · 单位账号清单"
    build, mime = {
        "xlsx": (login_sheet_xlsx, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        "pdf": (login_sheet_pdf, "application/pdf"),
    }[fmt]
    data = build(_entries(batch), login_url=login_url, title=title, issued_at=issued_at)
    downloaded = sorted(set(batch["downloaded"]) | {fmt})
    if downloaded == ["pdf", "xlsx"]:
        request.session.pop(SESSION_KEY, None)  # both handed out: the passwords are gone from the server
    else:
        request.session[SESSION_KEY] = batch | {"downloaded": downloaded}
    response = HttpResponse(data, content_type=mime)
    response["Content-Disposition"] = content_disposition_header(
        True, f"账号清单-{issued_at:%Y%m%d-%H%M}.{fmt}"
    )
    response["Cache-Control"] = "no-store"
    return response


@login_required
def batch_sheet_xlsx(request: HttpRequest) -> HttpResponse:
    return _sheet(request, "xlsx")


@login_required
def batch_sheet_pdf(request: HttpRequest) -> HttpResponse:
    return _sheet(request, "pdf")


@login_required
@require_POST
def batch_clear(request: HttpRequest) -> HttpResponse:
    require_organizer(request)
    request.session.pop(SESSION_KEY, None)
    messages.success(request, _("已清除本批账号的初始密码。"))
    return redirect("orgs:accounts")
