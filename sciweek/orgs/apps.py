from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "sciweek.orgs"
    label = "orgs"
    verbose_name = "单位与人员"

    def ready(self) -> None:
        # Registers the import job with core.jobs (a Celery worker needs it too), the signals that make
        # cached memberships stale on writes outside the services, and the units' mail addresses.
        from sciweek.core.cache import watch_access_writes
        from sciweek.core.notify import set_unit_address_book

        from . import jobs  # noqa: F401
        from .models import Membership, OrgUnit, StaffContact

        watch_access_writes(OrgUnit, Membership)
        # Units' notifications are mailed to their contact staff who have an address.
        set_unit_address_book(
            lambda units: StaffContact.objects.filter(unit__in=units).values_list("email", flat=True)
        )
