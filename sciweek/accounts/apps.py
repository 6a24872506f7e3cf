from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "sciweek.accounts"
    label = "accounts"
    verbose_name = "账号"

    def ready(self) -> None:
        from . import throttle  # noqa: F401  (connects the login signal receivers)
