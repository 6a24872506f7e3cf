"""Background jobs: a job's progress page and its result file, for the person who started it."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from .jobs import job_may_read, job_result_expired
from .models import Job


def _own_job(request: HttpRequest, job_id: int) -> Job:
    job = get_object_or_404(Job, pk=job_id)
    if not job_may_read(job, request.user):
        raise Http404(_("任务不存在"))
    return job


@login_required
def job_status(request: HttpRequest, job_id: int) -> HttpResponse:
    job = _own_job(request, job_id)
    template = "core/_job_progress.html" if request.headers.get("HX-Request") else "core/job.html"
    return render(request, template, {"job": job})


@login_required
def job_download(request: HttpRequest, job_id: int) -> HttpResponseBase:
    job = _own_job(request, job_id)
    if job_result_expired(job):
        return HttpResponse(
            "结果文件已过期删除，请重新导出。", status=410, content_type="text/plain; charset=utf-8"
        )
    if not job.result_file:
        raise Http404(_("结果文件尚未生成"))
    name = (job.result or {}).get("filename") or job.result_file.name.rsplit("/", 1)[-1]
    return FileResponse(job.result_file.open("rb"), as_attachment=True, filename=name)
