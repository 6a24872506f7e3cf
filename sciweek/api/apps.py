from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "sciweek.api"
    label = "api"
    verbose_name = "接口"
