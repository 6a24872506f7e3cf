from django.apps import AppConfig


class NoticesConfig(AppConfig):
    """Reads an official notice and builds a campaign and its statistics form from it.

    Above campaigns and reports, because it fills both; the NoticeImport row stays a campaigns model.
    """

    name = "sciweek.notices"
    label = "notices"
    verbose_name = "通知导入"
