"""The statistics tables waiting for the bureau, on the organizer's to-do (campaigns/todo.py)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from sciweek.campaigns.models import Campaign
from sciweek.campaigns.todo import TodoItem, register_todo

from .models import Report


@register_todo("reports")
def reports_to_review(campaign: Campaign) -> list[TodoItem]:
    waiting = Report.objects.filter(campaign=campaign, status=Report.Status.SUBMITTED).count()
    url = reverse("reports:review_queue", args=[campaign.pk]) + f"?status={Report.Status.SUBMITTED}"
    return [TodoItem(_("待审核的统计表"), waiting, url, detail=_("单位已提交，等待审核"), order=30)]
