from django.apps import AppConfig


class RemindersConfig(AppConfig):
    name = "sciweek.reminders"
    label = "reminders"
    verbose_name = "提醒与通知"

    def ready(self) -> None:
        # The "other" kind's checker (the organizer's confirmations).
        from . import confirmations  # noqa: F401
        from .scheduler import start_thread, wants_thread

        if wants_thread():  # a web process without a broker: the minute's duties in a thread
            start_thread()
