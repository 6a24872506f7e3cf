"""Background jobs with a progress state and a stored result file.

With CELERY_BROKER_URL set, a job is sent to a Celery worker. Without it (the default install),
the job runs in a daemon thread of the web process after the request's transaction commits, so
no extra server is needed; the Job row holds the progress either way, and the page polls it.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Callable
from typing import Any

from celery import current_app
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.utils import timezone

from . import metrics
from .models import Job

log = logging.getLogger(__name__)

JobFunction = Callable[["JobContext"], dict[str, Any] | None]
# (user, params) -> whether that user may still see the job's result: scope is re-checked on every
# read, so an owner who lost the role since starting the export no longer downloads it.
JobAccess = Callable[[Any, dict[str, Any]], bool]
_REGISTRY: dict[str, JobFunction] = {}
_ACCESS: dict[str, JobAccess] = {}
RUN_JOB_TASK = "sciweek.run_job"


def register_job(kind: str, *, may_read: JobAccess | None = None) -> Callable[[JobFunction], JobFunction]:
    def decorate(fn: JobFunction) -> JobFunction:
        _REGISTRY[kind] = fn
        if may_read is not None:
            _ACCESS[kind] = may_read
        return fn

    return decorate


def job_may_read(job: Job, user: Any) -> bool:
    """The owner, while still in the scope the job's kind asks for (when it registered a check)."""
    if job.owner_id != user.pk:
        return False
    check = _ACCESS.get(job.kind)
    return check is None or check(user, job.params)


def job_result_expired(job: Job) -> bool:
    finished = job.finished_at or job.created_at
    return finished < timezone.now() - dt.timedelta(days=settings.SCIWEEK_JOB_RESULT_DAYS)


def purge_job_results() -> list[str]:
    """Delete result files of jobs finished more than SCIWEEK_JOB_RESULT_DAYS ago (run by cleanup_uploads)."""
    before = timezone.now() - dt.timedelta(days=settings.SCIWEEK_JOB_RESULT_DAYS)
    removed: list[str] = []
    for job in Job.objects.filter(finished_at__lt=before).exclude(result_file=""):
        name = job.result_file.name
        job.result_file.delete(save=False)
        Job.objects.filter(pk=job.pk).update(result_file="")
        removed.append(f"job {job.pk}: {name}")
    return removed


class JobContext:
    def __init__(self, job: Job) -> None:
        self.job = job

    @property
    def params(self) -> dict[str, Any]:
        return self.job.params

    def progress(self, done: int, total: int, message: str = "") -> None:
        Job.objects.filter(pk=self.job.pk).update(
            progress_done=done, progress_total=total, message=message or self.job.message
        )

    def save_result_file(self, name: str, data: bytes) -> None:
        self.job.result_file.save(name, ContentFile(data), save=False)
        Job.objects.filter(pk=self.job.pk).update(result_file=self.job.result_file.name)


def job_start(*, kind: str, params: dict[str, Any], owner: Any) -> Job:
    if kind not in _REGISTRY:
        raise KeyError(f"unknown job kind {kind!r}")
    job = Job.objects.create(kind=kind, params=params, owner=owner if owner and owner.pk else None)
    if getattr(settings, "SCIWEEK_JOBS_SYNC", False):
        job_run(job_id=job.pk)
        job.refresh_from_db()
    elif settings.CELERY_BROKER_URL:
        # By name (core/tasks.py registers it), so this module need not import the task module.
        transaction.on_commit(lambda: current_app.send_task(RUN_JOB_TASK, args=[job.pk]))
    else:
        transaction.on_commit(lambda: _start_thread(job.pk))
    return job


def _start_thread(job_id: int) -> None:
    def target() -> None:
        try:
            job_run(job_id=job_id)
        finally:
            # This thread's own connection would otherwise linger until CONN_MAX_AGE.
            connection.close()

    threading.Thread(target=target, name=f"sciweek-job-{job_id}", daemon=True).start()


def job_run(*, job_id: int) -> None:
    job = Job.objects.get(pk=job_id)
    Job.objects.filter(pk=job_id).update(status=Job.Status.RUNNING)
    try:
        result = _REGISTRY[job.kind](JobContext(job))
    except Exception as exc:  # a failed job must say why on its page, not vanish
        log.exception("job %s failed", job_id)
        Job.objects.filter(pk=job_id).update(
            status=Job.Status.FAILED, message=f"任务失败：{exc}", finished_at=timezone.now()
        )
        metrics.JOBS_FINISHED.labels(job.kind, "failed").inc()
        return
    Job.objects.filter(pk=job_id).update(
        status=Job.Status.DONE, result=result or {}, finished_at=timezone.now()
    )
    metrics.JOBS_FINISHED.labels(job.kind, "done").inc()
