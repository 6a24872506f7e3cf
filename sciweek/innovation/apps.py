from django.apps import AppConfig


class InnovationConfig(AppConfig):
    name = "sciweek.innovation"
    label = "innovation"
    verbose_name = "企业创新服务"

    def ready(self) -> None:
        # Registers the statistics table's cross-check provider (科技工作者参与数量).
        from . import crosscheck, landing  # noqa: F401  (landing: where a commissioner lands after login)
