"""Background jobs with a progress state and a stored result file.

With CELERY_BROKER_URL set, a job is sent to a Celery worker. Without it (the default install),
the job runs in a daemon thread of the web process after the request's transaction commits, so
no extra server is needed; the Job row holds the progress either way, and the page polls it.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from celery import current_app
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.utils import timezone

from .models import Job

log = logging.getLogger(__name__)

JobFunction = Callable[["JobContext"], dict[str, Any] | None]
_REGISTRY: dict[str, JobFunction] = {}
RUN_JOB_TASK = "sciweek.run_job"


def register_job(kind: str) -> Callable[[JobFunction], JobFunction]:
    def decorate(fn: JobFunction) -> JobFunction:
        _REGISTRY[kind] = fn
        return fn

    return decorate


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
        return
    Job.objects.filter(pk=job_id).update(
        status=Job.Status.DONE, result=result or {}, finished_at=timezone.now()
    )
