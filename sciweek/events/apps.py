from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "sciweek.events"
    label = "events"
    verbose_name = "活动与报名"
