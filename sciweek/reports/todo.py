"""The statistics tables waiting for the bureau, on the organizer's to-do (campaigns/todo.py), and
when units first submitted (the campaign page's completion chart, campaigns/charts.py)."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils.translation import gettext as _

from sciweek.campaigns.charts import register_completion
from sciweek.campaigns.models import Campaign, Requirement
from sciweek.campaigns.todo import TodoItem, register_todo

from .models import Report


@register_todo("reports")
def reports_to_review(campaign: Campaign) -> list[TodoItem]:
    waiting = Report.objects.filter(campaign=campaign, status=Report.Status.SUBMITTED).count()
    url = reverse("reports:review_queue", args=[campaign.pk]) + f"?status={Report.Status.SUBMITTED}"
    return [TodoItem(_("待审核的统计表"), waiting, url, detail=_("单位已提交，等待审核"), order=30)]


@register_completion(Requirement.Kind.FINAL_REPORT)
def reports_first_submitted(requirement: Requirement) -> list[dt.datetime]:
    qs = Report.objects.filter(campaign=requirement.campaign, first_submitted_at__isnull=False)
    ids = list(requirement.applies_to.values_list("pk", flat=True))
    if ids:
        qs = qs.filter(unit_id__in=ids)
    return list(qs.values_list("first_submitted_at", flat=True))
