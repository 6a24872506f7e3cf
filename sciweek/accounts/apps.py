from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "sciweek.accounts"
    label = "accounts"
    verbose_name = "账号"
