from django.apps import AppConfig


class SelectionsConfig(AppConfig):
    name = "sciweek.selections"
    label = "selections"
    verbose_name = "最美科技工作者评选"
