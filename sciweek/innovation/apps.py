from django.apps import AppConfig


class InnovationConfig(AppConfig):
    name = "sciweek.innovation"
    label = "innovation"
    verbose_name = "企业创新服务"

    def ready(self) -> None:
        # Registers the statistics table's cross-check provider (科技工作者参与数量), the main activities'
        # panels (campaigns.activity_panels), the navigation link (orgs.worklinks), where a commissioner
        # lands after login (orgs.landings), the import job (core.jobs; a Celery worker needs it too) and
        # the summary section (reports).
        from . import crosscheck, jobs, landing, navigation, panels, summary  # noqa: F401
