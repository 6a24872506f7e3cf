from django.apps import AppConfig


class CampaignsConfig(AppConfig):
    name = "sciweek.campaigns"
    label = "campaigns"
    verbose_name = "活动周"

    def ready(self) -> None:
        # Cached report deadlines go stale on requirement writes outside the services too.
        from sciweek.core.cache import watch_access_writes

        from .models import Requirement

        watch_access_writes(Requirement, relations=(Requirement.applies_to.through,))
