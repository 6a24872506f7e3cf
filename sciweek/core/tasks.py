from celery import shared_task

from .jobs import RUN_JOB_TASK, job_run


@shared_task(name=RUN_JOB_TASK)
def run_job(job_id: int) -> None:
    """Thin Celery wrapper: the job's work lives in its registered function."""
    job_run(job_id=job_id)


@shared_task(name="sciweek.sweep_texts")
def sweep_texts() -> dict[str, int]:
    """Texts whose job was lost (core/sms.py: sms_sweep); scheduled by CELERY_BEAT_SCHEDULE."""
    from .sms import sms_sweep

    return sms_sweep()
