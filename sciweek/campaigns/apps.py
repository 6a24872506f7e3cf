from django.apps import AppConfig


class CampaignsConfig(AppConfig):
    name = "sciweek.campaigns"
    label = "campaigns"
    verbose_name = "活动周"

    def ready(self) -> None:
        # Cached report deadlines go stale on requirement writes outside the services too.
        from . import signals

        signals.connect()
