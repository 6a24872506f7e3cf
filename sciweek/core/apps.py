from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "sciweek.core"
    label = "core"
    verbose_name = "核心"
