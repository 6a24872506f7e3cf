from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "sciweek.orgs"
    label = "orgs"
    verbose_name = "单位与人员"

    def ready(self) -> None:
        # Registers the import job with core.jobs (a Celery worker needs it too).
        from . import jobs  # noqa: F401
