"""Export (official-layout Excel / Word, templates) and import (tables units sent by e-mail) pages."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import TooManyFilesSent
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sciweek.campaigns.access import access_campaign
from sciweek.core import clock
from sciweek.core.files import UploadRejected
from sciweek.core.jobs import job_start
from sciweek.core.models import Job
from sciweek.orgs.access import can_manage_unit, is_bureau_member, memberships_of
from sciweek.orgs.models import UNIT_ROLES

from .. import exporting, import_store, importing, jobs
from ..services.entry import current_form, form_rows
from .dashboard import access_root, default_root

MY_JOBS = set(jobs.KIND_TITLES)
KIND_LABELS = {
    "xlsx": "Excel",
    "docx": "Word",
    "zip": "ZIP",
    "rejected": "未接收",
    "pdf": "PDF",
    "ole2": "旧版 Office",
    "xlsb": "Excel 二进制",
    "damaged": "已损坏",
    "empty": "空文件",
    "unknown": "无法识别",
}


def _campaign_units(campaign: Any) -> list:
    return list(campaign.participating_units().only("id", "name", "short_name", "code", "path"))


@login_required
def exchange(request: HttpRequest, campaign_id: int) -> HttpResponse:
    campaign = access_campaign(request.user, campaign_id, bureau=True)
    recent = [
        j
        for j in Job.objects.filter(owner=request.user, kind__in=MY_JOBS).order_by("-created_at")[:30]
        if j.params.get("campaign_id") == campaign.pk
    ][:8]
    return render(
        request,
        "reports/exch_home.html",
        {
            "campaign": campaign,
            "units": _campaign_units(campaign),
            "recent": recent,
            "titles": jobs.KIND_TITLES,
            "root": default_root(request.user, campaign),
            "can_import": can_manage_unit(request.user, campaign.org_unit),
            "max_mb": import_store.max_total_bytes() // 1024 // 1024,
        },
    )


@login_required
@require_POST
def export_start(request: HttpRequest, campaign_id: int) -> HttpResponse:
    campaign = access_campaign(request.user, campaign_id, bureau=True)
    kind = request.POST.get("kind")
    params: dict[str, Any] = {
        "campaign_id": campaign.pk,
        "approved_only": request.POST.get("scope") == "approved",
    }
    if kind == "workbook":
        job_kind = jobs.EXPORT_WORKBOOK
    elif kind == "templates":
        job_kind, params["prefilled"] = jobs.EXPORT_TEMPLATES, request.POST.get("prefilled") == "1"
    elif kind == "matrix":
        root = access_root(request.user, campaign, request.POST.get("root"))
        job_kind, params["root_id"], params["year"] = jobs.EXPORT_MATRIX, root.pk, campaign.year
    else:
        messages.error(request, _("请选择要导出的内容"))
        return redirect("reports:exchange", campaign.pk)
    job = job_start(kind=job_kind, params=params, owner=request.user)
    return redirect("reports:job", campaign.pk, job.pk)


@login_required
def unit_download(request: HttpRequest, campaign_id: int, unit_id: int, fmt: str) -> FileResponse:
    """One unit's table (xlsx / docx) or its fill-in template (?template=blank|prefilled)."""
    campaign = access_campaign(request.user, campaign_id)
    unit = get_object_or_404(campaign.participating_units(), pk=unit_id)
    own = any(m.role in UNIT_ROLES and m.unit_id == unit.pk for m in memberships_of(request.user))
    if not own and not is_bureau_member(request.user, campaign.org_unit):
        raise Http404(_("单位不存在"))
    buf = io.BytesIO()
    template = request.GET.get("template")
    if template in ("blank", "prefilled"):
        exporting.unit_template(campaign, unit, buf, prefilled=template == "prefilled")
        name, fmt = f"{campaign.title}统计表（{unit.name}）填报模板.xlsx", "xlsx"
    elif fmt in ("xlsx", "docx"):
        exporting.export_unit(campaign, unit, buf, fmt=fmt)
        name = f"{campaign.title}统计表（{unit.name}）.{fmt}"
    else:
        raise Http404(_("不支持的格式"))
    buf.seek(0)
    return FileResponse(
        buf,
        as_attachment=True,
        filename=exporting.safe_filename(name),
        content_type=exporting.DOCX_MIME if fmt == "docx" else exporting.XLSX_MIME,
    )


@login_required
def unit_pick(request: HttpRequest, campaign_id: int) -> HttpResponse:
    """The exchange page's unit picker (a plain GET form) sends the browser to the unit's file."""
    unit_id = request.GET.get("unit") or ""
    fmt = request.GET.get("fmt") or "xlsx"
    if not unit_id.isdigit() or fmt not in ("xlsx", "docx", "template"):
        raise Http404(_("请选择单位"))
    url = reverse(
        "reports:unit_download", args=[campaign_id, int(unit_id), "docx" if fmt == "docx" else "xlsx"]
    )
    return redirect(url + ("?template=prefilled" if fmt == "template" else ""))


@login_required
def blank_download(request: HttpRequest, campaign_id: int) -> FileResponse:
    campaign = access_campaign(request.user, campaign_id)
    buf = io.BytesIO()
    exporting.unit_template(campaign, None, buf, prefilled=False)
    buf.seek(0)
    return FileResponse(
        buf,
        as_attachment=True,
        content_type=exporting.XLSX_MIME,
        filename=exporting.safe_filename(f"{campaign.title}统计表（空白）.xlsx"),
    )


def _own_job(request: HttpRequest, campaign_id: int, job_id: int) -> Job:
    job = get_object_or_404(Job, pk=job_id, kind__in=MY_JOBS)
    if job.owner_id != request.user.pk or job.params.get("campaign_id") != campaign_id:
        raise Http404(_("任务不存在"))
    return job


@login_required
def job_page(request: HttpRequest, campaign_id: int, job_id: int) -> HttpResponse:
    campaign = access_campaign(request.user, campaign_id, bureau=True)
    job = _own_job(request, campaign.pk, job_id)
    if job.status == Job.Status.DONE and job.kind == jobs.IMPORT_PREVIEW:
        url = reverse("reports:import_preview", args=[campaign.pk, job.params["token"]])
        if request.headers.get("HX-Request"):
            return HttpResponse(status=204, headers={"HX-Redirect": url})
        return redirect(url)
    context = {"campaign": campaign, "job": job, "title": jobs.KIND_TITLES.get(job.kind, job.kind)}
    if request.headers.get("HX-Request"):
        return render(request, "reports/exch_job_partial.html", context)
    return render(request, "reports/exch_job.html", context)


# ---------------------------------------------------------------------------------------------
# Import


@login_required
@require_POST
def import_upload(request: HttpRequest, campaign_id: int) -> HttpResponse:
    campaign = access_campaign(request.user, campaign_id, manage=True)
    try:
        uploads = request.FILES.getlist("files")
    except TooManyFilesSent:
        messages.error(
            request,
            (
                _("一次最多上传 %(max_files)s 个文件，请打包为 ZIP 或分批上传。")
                % {"max_files": import_store.MAX_FILES}
            ),
        )
        return redirect("reports:exchange", campaign.pk)
    if not uploads:
        messages.error(request, _("请选择要导入的统计表文件（.xlsx / .docx，或它们的 ZIP 压缩包）。"))
        return redirect("reports:exchange", campaign.pk)
    token = import_store.new_token()
    try:
        import_store.store_uploads(
            token=token, uploads=uploads, owner_id=request.user.pk, campaign_id=campaign.pk
        )
    except UploadRejected as exc:
        messages.error(request, exc.message)
        return redirect("reports:exchange", campaign.pk)
    import_store.session_add(request, token, campaign.pk)
    job = job_start(
        kind=jobs.IMPORT_PREVIEW, params={"campaign_id": campaign.pk, "token": token}, owner=request.user
    )
    return redirect("reports:job", campaign.pk, job.pk)


def _assign(request: HttpRequest, files: list[dict], unit_ids: set[int]) -> None:
    for index, _f, sheet in importing.sheets_of(files):
        raw = request.POST.get(f"unit_{index}")
        if raw is None:
            continue
        chosen = int(raw) if raw.isdigit() and int(raw) in unit_ids else None
        if chosen != sheet.get("unit_id"):
            sheet["unit_id"], sheet["auto"] = chosen, False


@login_required
def import_preview(request: HttpRequest, campaign_id: int, token: str) -> HttpResponse:
    campaign = access_campaign(request.user, campaign_id, manage=True)
    import_store.session_check(request, token, campaign.pk)
    preview = import_store.read_json(token, "preview.json")
    form = current_form(campaign)
    if form is None:
        raise Http404(_("该活动周尚未设置统计表"))
    rows = form_rows(form)
    units = _campaign_units(campaign)
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "discard":
            import_store.discard(token)
            messages.info(request, _("已放弃本次导入，上传的文件已删除。"))
            return redirect("reports:exchange", campaign.pk)
        _assign(request, preview["files"], {u.pk for u in units})
        preview["overwrite"] = request.POST.get("overwrite") == "1"
        preview["received_on"] = _date(request.POST.get("received_on"))
        if (request.POST.get("remove") or "").isdigit():
            index = int(request.POST["remove"])
            if 0 <= index < len(preview["files"]):
                preview["files"].pop(index)
        import_store.write_json(token, "preview.json", preview)
        if action == "commit":
            plan = importing.import_plan(
                campaign=campaign, rows=rows, files=preview["files"], overwrite_approved=preview["overwrite"]
            )
            if not plan.errors:
                job = job_start(
                    kind=jobs.IMPORT_COMMIT,
                    owner=request.user,
                    params={
                        "campaign_id": campaign.pk,
                        "token": token,
                        "overwrite": preview["overwrite"],
                        "fingerprint": request.POST.get("fingerprint") or plan.fingerprint,
                        "received_on": preview["received_on"],
                    },
                )
                return redirect("reports:job", campaign.pk, job.pk)
            messages.error(request, _("存在需要处理的问题，未导入任何数据。请根据下方提示修改后再确认导入。"))
        return redirect("reports:import_preview", campaign.pk, token)
    overwrite = bool(preview.get("overwrite"))
    plan = importing.import_plan(
        campaign=campaign, rows=rows, files=preview["files"], overwrite_approved=overwrite
    )
    by_file: dict[int, list] = {}
    for sp in plan.sheets:
        by_file.setdefault(id(sp.file), []).append(sp)
    files = [
        {
            "index": i,
            "entry": f,
            "sheets": by_file.get(id(f), []),
            "error": importing.file_has_error(f),
            "unmatched": any(sp.unit is None for sp in by_file.get(id(f), [])),
            "kind": KIND_LABELS.get(f["kind"], f["kind"]),
        }
        for i, f in enumerate(preview["files"])
    ]
    return render(
        request,
        "reports/exch_preview.html",
        {
            "campaign": campaign,
            "token": token,
            "files": files,
            "plan": plan,
            "units": units,
            "overwrite": overwrite,
            "received_on": preview.get("received_on") or clock.localdate().isoformat(),
            "select_all": len(units) <= 150,
            "sheet_count": len(plan.sheets),
        },
    )


def _date(raw: str | None) -> str | None:
    try:
        day = dt.date.fromisoformat((raw or "").strip())
    except ValueError:
        return None
    return min(day, clock.localdate()).isoformat()
