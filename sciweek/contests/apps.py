from django.apps import AppConfig


class ContestsConfig(AppConfig):
    name = "sciweek.contests"
    label = "contests"
    verbose_name = "青少年科技创新大赛"

    def ready(self) -> None:
        # Registers the contest's figures with the reports' providers.
        from . import (
            figures,  # noqa: F401
            landing,  # noqa: F401  (a judge's and a school's landing after login)
        )
