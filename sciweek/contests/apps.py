from django.apps import AppConfig


class ContestsConfig(AppConfig):
    name = "sciweek.contests"
    label = "contests"
    verbose_name = "青少年科技创新大赛"

    def ready(self) -> None:
        # Registers with the shared registries: the contest's figures (reports), late judges' reminders
        # (the reminder engine's personal ticks), where judges and schools land after login (orgs),
        # the figures under the main activity 四.3 (campaigns' activity panels).
        from . import figures, judge_reminders, landing, panel  # noqa: F401
