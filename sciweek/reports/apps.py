from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "sciweek.reports"
    label = "reports"
    verbose_name = "统计上报"

    def ready(self) -> None:
        # Registers the export / import jobs with core.jobs (a Celery worker needs them too), and the
        # FINAL_REPORT compliance checker and the unit page's report link with campaigns.
        # And the organizer's to-do provider (campaigns/todo.py).
        from . import jobs, todo  # noqa: F401
        from .services import queue  # noqa: F401
