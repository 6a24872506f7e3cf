"""Import units and staff from the xlsx template: download the template, upload, preview, commit.

The uploaded file is stored under a random name (core.files.save_upload_streamed) and only that name,
kept in the user's session, links the preview to the commit: a browser never posts a path back. The
commit parses the stored file again against the database as it is then, and writes nothing unless
every row is clean.
"""

from __future__ import annotations

import secrets

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sciweek.core.cleanup import cleanup_uploads_quietly
from sciweek.core.files import (
    UploadRejected,
    check_pending_cap,
    human_size,
    save_upload_streamed,
    user_folder,
    waiting_bytes,
)
from sciweek.core.jobs import job_start
from sciweek.core.models import Job
from sciweek.core.users import signed_in

from ..forms import ImportUploadForm
from ..import_files import IMPORT_FOLDER, discard
from ..import_planner import plan_import
from ..importer import ImportPlan, fingerprint
from ..jobs import IMPORT_JOB
from ..template_xlsx import build_import_template
from .common import require_organizer

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_BYTES = 5 * 1024 * 1024
SESSION_KEY = "orgs_import"


@login_required
def import_template(request: HttpRequest) -> HttpResponse:
    roots = require_organizer(request)
    response = HttpResponse(build_import_template(region=roots[0].name), content_type=XLSX_MIME)
    response["Content-Disposition"] = content_disposition_header(True, "单位名单导入模板.xlsx")
    return response


@login_required
def import_upload(request: HttpRequest) -> HttpResponse:
    require_organizer(request)
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        previous = (request.session.get(SESSION_KEY) or {}).get("name")
        folder = user_folder(IMPORT_FOLDER, request.user.pk)
        try:
            cleanup_uploads_quietly()  # previews nobody came back to no longer count
            waiting = waiting_bytes(default_storage, folder, replacing=previous)
            check_pending_cap(pending=waiting, incoming=upload.size or 0, field="file")
            stored = save_upload_streamed(
                upload,
                storage=default_storage,
                folder=folder,
                max_bytes=MAX_BYTES,
                allowed_kinds={"xlsx"},
                field_label=_("单位名单"),
            )
        except UploadRejected as exc:
            form.add_error("file", exc.message)
        else:
            empty = _nothing_usable(stored.name, request)
            if empty:
                discard(stored.name)  # a file that yields no row is not kept for a preview
                form.add_error("file", empty)
            else:
                discard(previous)
                request.session[SESSION_KEY] = {
                    "token": secrets.token_urlsafe(16),
                    "name": stored.name,
                    "original": stored.original_name,
                    "size": stored.size,
                }
                return redirect("orgs:import_preview")
    return render(
        request,
        "orgs/import_upload.html",
        {"form": form, "pending": request.session.get(SESSION_KEY), "max_size": human_size(MAX_BYTES)},
    )


def _nothing_usable(name: str, request: HttpRequest) -> str:
    """Why the stored workbook yields nothing to import ("" when it has rows to preview)."""
    try:
        with default_storage.open(name, "rb") as fileobj:
            plan = plan_import(fileobj, actor=request.user)
    except OSError:
        return _("文件读取失败，请重新上传。")
    if plan.rows:
        return ""
    return "；".join(plan.file_errors) or _("文件中没有可导入的单位或人员，请按模板填写后重新上传。")


def _pending_plan(request: HttpRequest) -> tuple[dict, ImportPlan | None]:
    """The session's waiting upload and its plan read afresh; ({}, None) when there is none."""
    pending = request.session.get(SESSION_KEY)
    if not pending:
        return {}, None
    try:
        with default_storage.open(pending["name"], "rb") as fileobj:
            return pending, plan_import(fileobj, actor=request.user)
    except (OSError, KeyError):
        request.session.pop(SESSION_KEY, None)
        return {}, None


def _preview(request: HttpRequest, pending: dict, plan: ImportPlan, *, status: int = 200) -> HttpResponse:
    return render(
        request,
        "orgs/import_preview.html",
        {
            "pending": pending,
            "plan": plan,
            "fingerprint": fingerprint(plan),
            "error_rows": sum(1 for r in plan.rows if r.errors),
        },
        status=status,
    )


@login_required
def import_preview(request: HttpRequest) -> HttpResponse:
    require_organizer(request)
    pending, plan = _pending_plan(request)
    if plan is None:
        messages.info(request, _("没有待确认的导入文件，请先上传。"))
        return redirect("orgs:import")
    return _preview(request, pending, plan)


@login_required
@require_POST
def import_commit(request: HttpRequest) -> HttpResponse:
    require_organizer(request)
    pending, plan = _pending_plan(request)
    if plan is None or request.POST.get("token") != pending.get("token"):
        messages.error(request, _("这次导入已过期或已在其他窗口完成，请重新上传文件。"))
        return redirect("orgs:import")
    if not plan.ok:
        messages.error(request, _("导入文件中还有问题，未导入任何数据。请按下列提示修改 Excel 后重新上传。"))
        return _preview(request, pending, plan, status=400)
    if request.POST.get("fingerprint") != fingerprint(plan):
        messages.warning(request, _("预览之后单位树已被修改，下面是按最新数据重新生成的预览，请再次确认。"))
        return _preview(request, pending, plan, status=409)
    job = job_start(
        kind=IMPORT_JOB,
        owner=request.user,
        params={
            "name": pending["name"],
            "original": pending.get("original", ""),
            "fingerprint": fingerprint(plan),
        },
    )
    request.session.pop(SESSION_KEY, None)  # the job owns the stored file from here on
    return redirect("orgs:import_job", job_id=job.pk)


@login_required
def import_job(request: HttpRequest, job_id: int) -> HttpResponse:
    """The commit's progress, then its outcome; polled by htmx while it runs."""
    require_organizer(request)
    job = Job.objects.filter(pk=job_id, kind=IMPORT_JOB, owner=signed_in(request)).first()
    if job is None:
        raise Http404(_("导入任务不存在"))
    template = "orgs/_import_job.html" if request.headers.get("HX-Request") else "orgs/import_job.html"
    return render(request, template, {"job": job, "result": job.result or {}})


@login_required
@require_POST
def import_cancel(request: HttpRequest) -> HttpResponse:
    require_organizer(request)
    pending = request.session.pop(SESSION_KEY, None)
    discard((pending or {}).get("name"))
    messages.info(request, _("已取消这次导入，未写入任何数据。"))
    return redirect("orgs:import")
