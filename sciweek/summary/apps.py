from django.apps import AppConfig


class SummaryConfig(AppConfig):
    name = "sciweek.summary"
    label = "summary"
    verbose_name = "活动总结与上报"
