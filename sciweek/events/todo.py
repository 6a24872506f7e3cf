"""Events waiting for the bureau, on the organizer's to-do (campaigns/todo.py)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from sciweek.campaigns.models import Campaign
from sciweek.campaigns.todo import TodoItem, register_todo

from .choices import EventStatus
from .models import Event


@register_todo("events")
def events_to_review(campaign: Campaign) -> list[TodoItem]:
    waiting = Event.objects.filter(campaign=campaign, status=EventStatus.SUBMITTED).count()
    url = reverse("events:review_list") + f"?campaign={campaign.pk}&status={EventStatus.SUBMITTED}"
    return [TodoItem(_("待审核的活动"), waiting, url, detail=_("单位已提交，审核后在活动日历发布"), order=40)]
