from celery import shared_task

TICK_TASK = "sciweek.reminders_tick"


@shared_task(name=TICK_TASK)
def reminders_tick() -> dict | None:
    """Thin Celery wrapper, sent every minute by beat (CELERY_BEAT_SCHEDULE): scheduler.run_due."""
    from .scheduler import run_due

    return run_due()
