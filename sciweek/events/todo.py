"""Events waiting for the bureau, on the organizer's to-do (campaigns/todo.py)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from sciweek.campaigns.models import Campaign
from sciweek.campaigns.todo import TodoItem, register_todo

from .choices import EventStatus
from .large import large_events, missing_for_approval
from .models import Event


@register_todo("events")
def events_to_review(campaign: Campaign) -> list[TodoItem]:
    waiting = Event.objects.filter(campaign=campaign, status=EventStatus.SUBMITTED).count()
    url = reverse("events:review_list") + f"?campaign={campaign.pk}&status={EventStatus.SUBMITTED}"
    items = [
        TodoItem(_("待审核的活动"), waiting, url, detail=_("单位已提交，审核后在活动日历发布"), order=40)
    ]
    lacking = [
        e for e in large_events(campaign.pk).exclude(status=EventStatus.CANCELLED) if missing_for_approval(e)
    ]
    items.append(
        TodoItem(
            _("大型活动缺安全材料"),
            len(lacking),
            reverse("events:large_list", args=[campaign.pk]),
            detail=_("预计规模达到大型群众性活动标准，尚缺安全工作方案或安全许可文号"),
            order=45,
        )
    )
    return items
