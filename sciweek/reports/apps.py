from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "sciweek.reports"
    label = "reports"
    verbose_name = "统计上报"
