from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "sciweek.reports"
    label = "reports"
    verbose_name = "统计上报"

    def ready(self) -> None:
        # Registers the export / import jobs with core.jobs (a Celery worker needs them too), and the
        # FINAL_REPORT compliance checker and the unit page's report link with campaigns.
        from . import jobs  # noqa: F401
        from . import todo  # noqa: F401  (the organizer's to-do)
        from .services import queue  # noqa: F401
