"""The campaign's life cycle governs what can be done: one rule, asked by every write.

draft → published → running → reporting → closed. Each status opens what the one before it did,
minus what the week's end closes; ``closed`` makes everything read-only:

| action               | draft | published | running | reporting | closed |
|----------------------|-------|-----------|---------|-----------|--------|
| publicity            |       | ✓         | ✓       |           |        |
| event_register       |       | ✓         | ✓       |           |        |
| public_registration  |       | ✓         | ✓       |           |        |
| checkin              |       |           | ✓       |           |        |
| event_outcome        |       |           | ✓       | ✓         |        |
| report               |       |           | ✓       | ✓         | reopened unit only |
| setup (organizer)    | ✓     | ✓         | ✓       | ✓         |        |
| summary (organizer)  |       |           | ✓       | ✓         | ✓      |
| sendup (organizer)   |       |           |         | ✓         | ✓      |

The 活动总结 and sending the result up (summary app) are the exception to "closed is read-only": the
level above may return a send-up long after the county's campaign closed, and the county must then be
able to correct its summary and send a new version. Sending up starts with 总结上报 (after the week):
the week's figures are not final while it runs. Drafting the summary may start while it runs.

The statistics table opens with the week (running), not after it: the seed's report is due 05-30
while the week runs to 05-31, so waiting for the week's end would leave no time to report.

Automatic moves, on the campaign's dates by the reminders' scheduler (``due_status``): published →
running on the first day; running → reporting the day after the last; reporting → closed
CLOSE_AFTER_DAYS after the later of the last day and the last deadline. Draft → published is always
the organizer's decision (a notice's draft must be reviewed). The organizer may force any status.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Max
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone

from sciweek.core import clock

from .models import Campaign

S = Campaign.Status
CLOSE_AFTER_DAYS = 30
CATCH_UP = dt.timedelta(days=14)

OPEN: dict[str, set[str]] = {
    "publicity": {S.PUBLISHED, S.RUNNING},
    "event_register": {S.PUBLISHED, S.RUNNING},
    "public_registration": {S.PUBLISHED, S.RUNNING},
    "checkin": {S.RUNNING},
    "event_outcome": {S.RUNNING, S.REPORTING},
    "report": {S.RUNNING, S.REPORTING},
    "setup": {S.DRAFT, S.PUBLISHED, S.RUNNING, S.REPORTING},
    "summary": {S.RUNNING, S.REPORTING, S.CLOSED},
    "sendup": {S.REPORTING, S.CLOSED},
}

LABELS = {
    "publicity": "报送宣传内容",
    "event_register": "登记或修改活动",
    "public_registration": "活动报名",
    "checkin": "活动签到",
    "event_outcome": "记录活动开展情况",
    "report": "填报统计表及总结材料",
    "setup": "修改活动周设置",
    "summary": "编辑活动总结",
    "sendup": "向上级报送",
}

_WHEN = {
    "publicity": "活动周发布后、活动周结束前",
    "event_register": "活动周发布后、活动周结束前",
    "public_registration": "活动周发布后、活动周结束前",
    "checkin": "活动周进行期间",
    "event_outcome": "活动周开始后、活动周关闭前",
    "report": "活动周开始后、活动周关闭前",
    "setup": "活动周关闭前",
    "summary": "活动周开始后",
    "sendup": "活动周结束后（总结上报阶段起）",
}


class CampaignClosedError(ValidationError):
    """The campaign's status does not allow the action; ``message`` says why, in Chinese.

    A ValidationError, so every page that shows a service's refusal shows this one too; the API
    answers 409 with it (api/urls.py), and ``ClosedMiddleware`` turns one no view caught into a page
    saying why (409), never a 500."""

    def __init__(self, status: str, action: str, title: str = "活动周") -> None:
        self.action = action
        self.status = status
        label = LABELS.get(action, action)
        shown = Campaign.Status(status).label if status in Campaign.Status.values else status
        if status == S.CLOSED:
            extra = "已结束的活动周只能查看；如需补报统计表，请联系组织单位为本单位开通补报。"
        else:
            extra = f"只有{_WHEN.get(action, '活动周开放期间')}才能{label}。"
        text = f"「{title}」当前状态为“{shown}”，不能{label}：{extra}"
        # As a form-wide error ({"__all__": …}): shown wherever a service's refusal is shown, whether
        # the view reads .messages or .message_dict.
        super().__init__({"__all__": [ValidationError(text, code="closed")]})
        self.message = text


def is_open(campaign: Campaign, action: str, *, reopened: bool = False) -> bool:
    return status_allows(campaign.status, action, reopened=reopened)


def status_allows(status: str, action: str, *, reopened: bool = False) -> bool:
    if action not in OPEN:
        raise KeyError(f"unknown life-cycle action {action!r}")
    if action == "report" and reopened and status == S.CLOSED:
        return True  # the organizer reopened this one unit's report, with a reason (audited)
    return status in OPEN[action]


def check_open(campaign: Campaign, action: str, *, reopened: bool = False) -> None:
    """Raise CampaignClosedError unless the campaign's status allows ``action``.

    ``reopened``: the caller (reports) found the organizer's reopening for this unit."""
    if not status_allows(campaign.status, action, reopened=reopened):
        raise CampaignClosedError(campaign.status, action, campaign.title)


def check_status(status: str, action: str) -> None:
    """``check_open`` where only the status is at hand (busy paths read it beside the event)."""
    if not status_allows(status, action):
        raise CampaignClosedError(status, action)


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def close_at(campaign: Campaign) -> dt.datetime:
    last = campaign.requirements.aggregate(m=Max("due_at"))["m"]
    end = _day_start(campaign.end_date + dt.timedelta(days=1))
    return max(end, last or end) + dt.timedelta(days=CLOSE_AFTER_DAYS)


def due_status(campaign: Campaign, at: dt.datetime | None = None) -> str:
    """The status the campaign's dates call for at ``at``: never backwards, never out of draft, and
    only for a date crossed within CATCH_UP (a past year's week loaded today is not closed under the
    hands of whoever enters its data; its organizer sets the status)."""
    at = at or clock.now()
    order = [S.DRAFT, S.PUBLISHED, S.RUNNING, S.REPORTING, S.CLOSED]
    current = campaign.status
    if current == S.DRAFT:
        return current
    target = current
    for status, since in (
        (S.RUNNING, _day_start(campaign.start_date)),
        (S.REPORTING, _day_start(campaign.end_date + dt.timedelta(days=1))),
        (S.CLOSED, close_at(campaign)),
    ):
        if since <= at < since + CATCH_UP and order.index(status) > order.index(target):
            target = status
    return target


def describe(campaign: Campaign) -> list[dict[str, Any]]:
    """What is open now, for the organizer's status panel."""
    return [{"action": a, "label": LABELS[a], "open": campaign.status in OPEN[a]} for a in OPEN]


class ClosedMiddleware:
    """A CampaignClosedError no view caught becomes a page that says why (409), not a server error."""

    def __init__(self, get_response):  # noqa: ANN001
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, CampaignClosedError):
            return None
        if request.headers.get("HX-Request") or request.path.startswith("/api/"):
            return HttpResponse(exception.message, status=409, content_type="text/plain; charset=utf-8")
        return TemplateResponse(request, "campaigns/closed.html", {"message": exception.message}, status=409)
