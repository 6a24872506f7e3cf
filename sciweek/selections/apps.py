from django.apps import AppConfig


class SelectionsConfig(AppConfig):
    name = "sciweek.selections"
    label = "selections"
    verbose_name = "最美科技工作者评选"

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from sciweek.campaigns.models import Requirement

        # The nomination requirement's checker (campaigns.compliance) and the summary's section.
        from . import compliance, summary  # noqa: F401
        from .services.requirement import follow_requirement

        post_save.connect(
            follow_requirement, sender=Requirement, dispatch_uid="selections.follow_requirement"
        )
