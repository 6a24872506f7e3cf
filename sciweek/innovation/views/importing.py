"""Enterprise import pages: upload → preview (every row's action and problem) → commit, all or nothing."""

from __future__ import annotations

import logging
import secrets

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from sciweek.core.files import UploadRejected
from sciweek.core.jobs import job_may_read, job_start
from sciweek.core.models import Job

from ..forms import ImportForm
from ..import_files import discard, store_upload
from ..importer import Plan, plan_import, template_xlsx
from ..jobs import IMPORT_JOB
from ..selectors import writable_units

logger = logging.getLogger(__name__)
SESSION_KEY = "innovation_import"
PREVIEW_ROWS = 200


def _pending(request: HttpRequest) -> tuple[dict | None, Plan | None]:
    if not writable_units(request.user):
        raise PermissionDenied(_("您不能导入企业"))
    pending = request.session.get(SESSION_KEY)
    if not pending:
        return None, None
    try:
        with default_storage.open(pending["name"], "rb") as fileobj:
            return pending, plan_import(fileobj, user=request.user)
    except (OSError, KeyError):
        request.session.pop(SESSION_KEY, None)
        return None, None


@login_required
def import_upload(request: HttpRequest) -> HttpResponse:
    if not writable_units(request.user):
        raise PermissionDenied(_("您不能导入企业"))
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            stored = store_upload(
                upload=form.cleaned_data["file"],
                user_id=request.user.pk,
                replacing=(request.session.get(SESSION_KEY) or {}).get("name"),
            )
        except UploadRejected as exc:
            form.add_error("file", exc.message)
        else:
            discard((request.session.get(SESSION_KEY) or {}).get("name"))
            request.session[SESSION_KEY] = {
                "token": secrets.token_urlsafe(16),
                "name": stored.name,
                "original": stored.original_name,
            }
            return redirect("innovation:import_preview")
    return render(request, "innovation/import.html", {"form": form})


def _preview(request: HttpRequest, pending: dict, plan: Plan, status: int = 200) -> HttpResponse:
    return render(
        request, "innovation/import.html",
        {"pending": pending, "plan": plan, "rows": plan.rows[:PREVIEW_ROWS], "errors": plan.errors[:300],
         "fingerprint": plan.fingerprint(), "new": plan.count("new"), "update": plan.count("update")},
        status=status,
    )  # fmt: skip


@login_required
@require_safe
def import_preview(request: HttpRequest) -> HttpResponse:
    pending, plan = _pending(request)
    if plan is None:
        return redirect("innovation:import")
    return _preview(request, pending, plan)


@login_required
@require_POST
def import_commit(request: HttpRequest) -> HttpResponse:
    pending, plan = _pending(request)
    if plan is None or request.POST.get("token") != pending.get("token"):
        messages.error(request, _("这次导入已过期或已完成，请重新上传文件。"))
        return redirect("innovation:import")
    if not plan.ok:
        messages.error(request, _("导入文件中还有问题，未导入任何数据。请按提示修改后重新上传。"))
        return _preview(request, pending, plan, status=400)
    if request.POST.get("fingerprint") != plan.fingerprint():
        messages.warning(request, _("预览之后企业信息有变化，下面是重新生成的预览，请再次确认。"))
        return _preview(request, pending, plan, status=409)
    assert pending is not None
    job = job_start(
        kind=IMPORT_JOB,
        owner=request.user,
        params={
            "name": pending["name"],
            "original": pending.get("original", ""),
            "fingerprint": plan.fingerprint(),
        },
    )
    request.session.pop(SESSION_KEY, None)  # the job owns the stored file from here on
    return redirect("innovation:import_job", job_id=job.pk)


@login_required
@require_safe
def import_job(request: HttpRequest, job_id: int) -> HttpResponse:
    """The commit's progress, then its outcome; polled by htmx while it runs. Only its owner sees it."""
    job = Job.objects.filter(pk=job_id, kind=IMPORT_JOB, owner_id=request.user.pk).first()
    if job is None or not job_may_read(job, request.user):
        raise Http404(_("导入任务不存在"))
    template = (
        "innovation/_import_job.html" if request.headers.get("HX-Request") else "innovation/import_job.html"
    )
    return render(request, template, {"job": job, "result": job.result or {}})


@login_required
@require_POST
def import_cancel(request: HttpRequest) -> HttpResponse:
    if not writable_units(request.user):
        raise PermissionDenied(_("您不能导入企业"))
    pending = request.session.pop(SESSION_KEY, None)
    discard((pending or {}).get("name"))
    return redirect("innovation:import")


@login_required
@require_safe
def import_template(request: HttpRequest) -> HttpResponse:
    units = writable_units(request.user)
    if not units:
        raise PermissionDenied(_("您不能导入企业"))
    response = HttpResponse(
        template_xlsx(units), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = (
        "attachment; filename*=UTF-8''%E4%BC%81%E4%B8%9A%E5%90%8D%E5%8D%95%E6%A8%A1%E6%9D%BF.xlsx"
    )
    return response
