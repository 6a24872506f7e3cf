from django.apps import AppConfig


class SummaryConfig(AppConfig):
    name = "sciweek.summary"
    label = "summary"
    verbose_name = "活动总结与上报"

    def ready(self) -> None:
        # the render job with core.jobs (a Celery worker needs it too)
        from . import jobs  # noqa: F401
