from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "sciweek.core"
    label = "core"
    verbose_name = "核心"

    def ready(self) -> None:
        # Registers the SMS sending job with core.jobs (a Celery worker needs it too).
        from . import sms  # noqa: F401
