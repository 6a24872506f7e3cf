from django.apps import AppConfig


class JudgingConfig(AppConfig):
    name = "sciweek.judging"
    label = "judging"
    verbose_name = "评审"
    default_auto_field = "django.db.models.BigAutoField"
