"""Publicity to approve and media reports to confirm, on the organizer's to-do (campaigns/todo.py)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from sciweek.campaigns.models import Campaign
from sciweek.campaigns.todo import TodoItem, register_todo

from .models import MediaReport, PublicitySubmission


@register_todo("materials")
def publicity_to_review(campaign: Campaign) -> list[TodoItem]:
    sent = PublicitySubmission.objects.filter(campaign=campaign, status=PublicitySubmission.Status.SUBMITTED)
    pending = MediaReport.objects.filter(campaign=campaign, status=MediaReport.Status.PENDING)
    return [
        TodoItem(
            _("待审核的宣传内容"),
            sent.count(),
            reverse("materials:review_list", args=[campaign.pk]),
            detail=_("通过后据此制作宣传展板"),
            order=42,
        ),
        TodoItem(
            _("待确认的媒体报道"),
            pending.count(),
            reverse("materials:media_manage", args=[campaign.pk]),
            detail=_("确认后计入统计表的参与媒体数量和宣传报道数量"),
            order=44,
        ),
    ]
