from celery import shared_task

from .jobs import job_run


@shared_task(name="sciweek.run_job")
def run_job(job_id: int) -> None:
    """Thin Celery wrapper: the job's work lives in its registered function."""
    job_run(job_id=job_id)
