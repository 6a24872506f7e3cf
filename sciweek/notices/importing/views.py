"""Pages: upload a notice, review what was read beside the source, create the campaign.

Only organizers of the region may use them: an import outside the user's scope answers 404; a
co-organizer or viewer of the region, who can see it but not change it, gets 403.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from sciweek.campaigns.models import NoticeImport
from sciweek.core.files import UploadLimitHandler
from sciweek.core.forms import attach_errors
from sciweek.orgs.access import can_manage_unit, can_view_unit, is_bureau_member, memberships_of
from sciweek.orgs.models import AREA_KINDS, OrgUnit, Role

from .forms import NoticeUploadForm
from .identity import campaign_diff, existing_campaigns
from .review import Review
from .services import (
    FILE_LABEL,
    MAX_NOTICE_BYTES,
    UpdateNeedsConfirmation,
    notice_import_apply,
    notice_import_discard,
    notice_import_start,
)


def _regions(user: Any) -> list[OrgUnit]:
    """Areas the user organizes (where a campaign may be created)."""
    if user.is_superuser:
        return list(OrgUnit.objects.filter(kind__in=AREA_KINDS).order_by("path"))
    return [m.unit for m in memberships_of(user) if m.role == Role.ORGANIZER and m.unit.is_area]


def access_import(user: Any, token: str) -> NoticeImport:
    imp = NoticeImport.objects.select_related("region", "campaign").filter(token=token).first()
    if imp is None or not can_view_unit(user, imp.region):
        raise Http404(_("通知导入不存在"))
    if not can_manage_unit(user, imp.region):
        if is_bureau_member(user, imp.region):
            raise PermissionDenied(_("只有组织单位（主办）可以导入通知"))
        raise Http404(_("通知导入不存在"))
    return imp


@csrf_exempt  # the size limit must be installed before anything parses the body; CSRF is checked below
@login_required
def notice_upload(request: HttpRequest) -> HttpResponse:
    regions = _regions(request.user)
    if not regions:
        raise PermissionDenied(_("只有组织单位（主办）可以导入通知"))
    if request.method == "POST":
        # Stop reading an oversized file at 20 MB instead of spooling all of it to disk first.
        request.upload_handlers.insert(0, UploadLimitHandler(request, MAX_NOTICE_BYTES, FILE_LABEL))
    return _upload(request, regions)


@csrf_protect
def _upload(request: HttpRequest, regions: list[OrgUnit]) -> HttpResponse:
    form = NoticeUploadForm(
        request.POST or None,
        request.FILES or None,
        regions=regions,
        rejected=getattr(request, "sciweek_upload_rejected", None),
    )
    if request.method == "POST" and form.is_valid():
        try:
            imp = notice_import_start(
                actor=request.user,
                region=form.region(),
                upload=form.cleaned_data["file"],
                text=form.cleaned_data["text"] if not form.cleaned_data["file"] else "",
                close_of_business=form.cleaned_data["close_of_business"],
            )
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            return redirect("notices:notice_review", imp.token)
    pending = NoticeImport.objects.filter(
        region__in=regions, status=NoticeImport.Status.DRAFT
    ).select_related("region", "owner")[:10]
    return render(
        request,
        "notices/notice_upload.html",
        {"form": form, "pending": pending},
        status=400 if form.errors else 200,
    )


@login_required
def notice_review(request: HttpRequest, token: str) -> HttpResponse:
    imp = access_import(request.user, token)
    review = Review.for_import(imp, request.POST if request.method == "POST" else None)
    status = 200
    preview = None
    if request.method == "POST":
        if imp.status != NoticeImport.Status.DRAFT:
            review.errors.append(
                "此通知已经创建过活动周，不能重复创建。"
                if imp.campaign_id
                else "此通知导入已放弃，请重新上传。"
            )
            status = 409
        elif review.is_valid():
            try:
                campaign = notice_import_apply(
                    actor=request.user,
                    notice_import=imp,
                    plan=review.plan(),
                    identity=request.POST.get("identity", ""),
                    confirm=request.POST.get("confirm", ""),
                )
            except UpdateNeedsConfirmation as exc:
                preview = exc.preview  # shown under the chosen campaign, with the confirm button
                if request.POST.get("confirm"):
                    review.errors.append(exc.messages[0])
            except ValidationError as exc:
                review.attach(exc)
                imp.refresh_from_db()
            else:
                if request.POST.get("identity", "").startswith("update:"):
                    messages.success(
                        request, _("已根据通知更新活动周「%(title)s」。") % {"title": campaign.title}
                    )
                else:
                    messages.success(
                        request,
                        _("已根据通知创建活动周「%(title)s」（草稿），请核对后发布。")
                        % {"title": campaign.title},
                    )
                return redirect("campaigns:dashboard", campaign.pk)
        if status == 200 and preview is None:
            status = 409 if imp.status != NoticeImport.Status.DRAFT else 400
    return render(
        request,
        "notices/notice_review.html",
        {
            "imp": imp,
            "review": review,
            "ini": review.initial,
            "same_year": _same_year(imp, review),
            "identity_choice": request.POST.get("identity", ""),
            "preview": preview,
        },
        status=status,
    )


def _same_year(imp: NoticeImport, review: Any) -> list[dict[str, Any]]:
    """The region's campaigns of the notice's year, each with what an update would change (from the
    reviewed values once posted, else from the values read from the notice)."""
    if imp.status != NoticeImport.Status.DRAFT:
        return []
    main = review.main
    posted = main.is_bound and main.is_valid()
    fields = dict(main.cleaned_data) if posted else dict(review.initial.main)
    year = fields.get("year") or getattr(fields.get("start_date"), "year", None)
    try:
        year = int(year) if year else None
    except (TypeError, ValueError):
        year = None
    themes = None
    if posted and review.themes.is_valid():
        themes = [
            c["title"] for c in review.themes.cleaned_data if c and c.get("title") and not c.get("DELETE")
        ]
    return [
        {"campaign": c, "value": f"update:{c.pk}", "diff": campaign_diff(c, fields, themes)}
        for c in existing_campaigns(imp.region, year)
    ]


@login_required
@require_POST
def notice_discard(request: HttpRequest, token: str) -> HttpResponse:
    imp = access_import(request.user, token)
    try:
        notice_import_discard(actor=request.user, notice_import=imp)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, _("已放弃此次导入。"))
    return redirect("notices:notice_upload")
