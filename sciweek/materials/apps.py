from django.apps import AppConfig


class MaterialsConfig(AppConfig):
    name = "sciweek.materials"
    label = "materials"
    verbose_name = "宣传材料"

    def ready(self) -> None:
        # The PUBLICITY checker (campaigns.compliance) and the boards job kind (core.jobs).
        from . import (
            compliance,  # noqa: F401
            todo,  # noqa: F401  (the organizer's to-do: publicity to approve, media to confirm)
        )
        from .boards import build  # noqa: F401
        from .media import figures  # noqa: F401  (reports' cross-check provider)
