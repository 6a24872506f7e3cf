from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "sciweek.events"
    label = "events"
    verbose_name = "活动与报名"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from sciweek.campaigns.models import Campaign

        # Registers the 五.2 checker, and the statistics table's cross-check provider.
        from . import charts, compliance, crosscheck, todo  # noqa: F401
        from .cache import on_campaign_saved, on_event_saved
        from .models import Event

        post_save.connect(on_event_saved, sender=Event, dispatch_uid="events-calendar-version")
        post_delete.connect(on_event_saved, sender=Event, dispatch_uid="events-calendar-version-delete")
        post_save.connect(on_campaign_saved, sender=Campaign, dispatch_uid="events-calendar-campaign")
