from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "sciweek.orgs"
    label = "orgs"
    verbose_name = "单位与人员"

    def ready(self) -> None:
        # Registers the import job with core.jobs (a Celery worker needs it too), and the signals that
        # make cached memberships stale on writes outside the services.
        from sciweek.core.cache import watch_access_writes

        from . import jobs  # noqa: F401
        from .models import Membership, OrgUnit

        watch_access_writes(OrgUnit, Membership)
