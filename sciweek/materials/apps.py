from django.apps import AppConfig


class MaterialsConfig(AppConfig):
    name = "sciweek.materials"
    label = "materials"
    verbose_name = "宣传材料"

    def ready(self) -> None:
        # Registers the PUBLICITY checker with campaigns.compliance.
        from . import compliance  # noqa: F401
