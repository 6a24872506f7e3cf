"""Reads for the public calendar: the campaign shown, its days, filters and the events of a page."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import Count, Q, QuerySet
from django.http import Http404, QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _

from sciweek.campaigns.models import Campaign
from sciweek.campaigns.selectors import current_public_campaign
from sciweek.core import clock
from sciweek.orgs.models import OrgUnit, UnitKind

from .cache import campaign_key
from .choices import CATEGORIES, EventStatus, Mode, RegStatus
from .models import Event

PAGE_SIZE = 20


CAMPAIGN_TTL = 30


def public_campaign(campaign_id: int | None = None) -> Campaign:
    """The campaign the calendar shows (cached briefly: every request of the public asks for it)."""
    key = campaign_key(campaign_id)
    campaign = cache.get(key)
    if campaign is None:
        campaign = _public_campaign(campaign_id)
        cache.set(key, campaign, CAMPAIGN_TTL)
    return campaign


def _public_campaign(campaign_id: int | None) -> Campaign:
    if campaign_id is None:
        campaign = current_public_campaign()
        if campaign is None:
            raise Http404(_("当前没有正在发布的活动周"))
        return campaign
    campaign = Campaign.objects.select_related("org_unit").filter(pk=campaign_id).first()
    if campaign is None or not campaign.is_public:
        raise Http404(_("活动周不存在或尚未发布"))
    return campaign


def published(campaign: Campaign) -> QuerySet[Event]:
    return Event.objects.filter(campaign=campaign, status=EventStatus.APPROVED)


# What the public sees: published events, and cancelled ones marked 已取消 with the reason (a link
# someone shared, a ticket, a calendar subscription must not just stop working).
SHOWN = (EventStatus.APPROVED, EventStatus.CANCELLED)


def listed(campaign: Campaign) -> QuerySet[Event]:
    return Event.objects.filter(campaign=campaign, status__in=SHOWN)


def shown_event(event_id: object) -> Event:
    """An event of a public campaign that is published or was cancelled (anything else answers 404)."""
    qs = Event.objects.filter(status__in=SHOWN).exclude(campaign__status="draft")
    qs = qs.select_related("unit", "campaign", "content_theme", "main_activity")
    try:
        return qs.get(pk=int(event_id))  # type: ignore[call-overload]
    except (Event.DoesNotExist, TypeError, ValueError):
        raise Http404(_("活动不存在或尚未发布"))


def _bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    start = timezone.make_aware(dt.datetime.combine(day, dt.time.min))
    return start, start + dt.timedelta(days=1)


def _on_day(day: dt.date) -> Q:
    start, end = _bounds(day)
    return Q(starts_at__lt=end, ends_at__gte=start)


@dataclass
class CalendarFilter:
    """The calendar's query string, checked: unknown values are dropped, never an error page."""

    day: dt.date | None = None
    all_days: bool = False
    unit: int | None = None
    activity: int | None = None  # a main activity's number
    category: str = ""
    mode: str = ""
    q: str = ""
    page: int = 1
    errors: list[str] = field(default_factory=list)

    @classmethod
    def parse(cls, params: QueryDict, campaign: Campaign) -> CalendarFilter:
        f = cls()
        day = (params.get("day") or "").strip()
        if day == "all":
            f.all_days = True
        elif day:
            try:
                f.day = dt.date.fromisoformat(day)
            except ValueError:
                f.errors.append("日期格式不正确，已显示全部日期。")
                f.all_days = True
            else:
                if not campaign.start_date <= f.day <= campaign.end_date:
                    f.errors.append("所选日期不在活动周内，已显示全部日期。")
                    f.day, f.all_days = None, True
        try:
            f.unit = int(params.get("unit") or 0) or None
        except ValueError:
            f.unit = None
        try:
            f.activity = int(params.get("activity") or 0) or None
        except ValueError:
            f.activity = None
        f.category = params.get("category", "") if params.get("category", "") in CATEGORIES else ""
        f.mode = params.get("mode", "") if params.get("mode", "") in ("online", "offline") else ""
        f.q = " ".join((params.get("q") or "").split())[:50]
        try:
            f.page = max(1, min(1000, int(params.get("page") or 1)))
        except ValueError:
            f.page = 1
        if f.day is None and not f.all_days:
            if f.q:
                f.all_days = True
            else:
                today = clock.localdate()
                f.day = today if campaign.start_date <= today <= campaign.end_date else None
                f.all_days = f.day is None
        return f

    def cache_key(self) -> str:
        day = "all" if self.all_days else (self.day.isoformat() if self.day else "")
        return (
            f"{day}|{self.unit or ''}|{self.activity or ''}|{self.category}|{self.mode}|{self.q}|{self.page}"
        )

    @property
    def narrowed(self) -> bool:
        """Any filter besides the day (the calendar offers 清除筛选 then)."""
        return bool(self.unit or self.activity or self.category or self.mode or self.q)


def filtered(campaign: Campaign, f: CalendarFilter, *, with_day: bool = True) -> QuerySet[Event]:
    qs = listed(campaign)
    if f.unit:
        qs = qs.filter(unit_id=f.unit)
    if f.activity:
        qs = qs.filter(main_activity__number=f.activity)
    if f.category:
        qs = qs.filter(category=f.category)
    if f.mode == "online":
        qs = qs.filter(mode__in=[Mode.ONLINE, Mode.BOTH])
    elif f.mode == "offline":
        qs = qs.filter(mode__in=[Mode.OFFLINE, Mode.BOTH])
    if f.q:
        for word in f.q.split()[:5]:
            qs = qs.filter(
                Q(title__icontains=word)
                | Q(venue__icontains=word)
                | Q(address__icontains=word)
                | Q(unit__name__icontains=word)
                | Q(unit__short_name__icontains=word)
                | Q(category__icontains=word)
            )
    if with_day and f.day and not f.all_days:
        qs = qs.filter(_on_day(f.day))
    return qs


def campaign_days(campaign: Campaign) -> list[dt.date]:
    n = (campaign.end_date - campaign.start_date).days + 1
    return [campaign.start_date + dt.timedelta(days=i) for i in range(max(0, min(n, 62)))]


def day_counts(campaign: Campaign, f: CalendarFilter) -> list[tuple[dt.date, int]]:
    """Events per day under the other filters, in one query."""
    days = campaign_days(campaign)
    qs = filtered(campaign, f, with_day=False)
    row = qs.aggregate(**{f"d{i}": Count("id", filter=_on_day(d)) for i, d in enumerate(days)})
    return [(d, row[f"d{i}"]) for i, d in enumerate(days)]


def unit_options(campaign: Campaign) -> list[tuple[str, list[tuple[int, str]]]]:
    """Units with events on the calendar, grouped: towns / streets first, then departments, then others."""
    ids = listed(campaign).values("unit_id").distinct()
    units = OrgUnit.objects.filter(pk__in=ids).only("id", "name", "short_name", "kind").order_by("path")
    groups: dict[str, list[tuple[int, str]]] = {"镇（街道）": [], "县直单位": [], "其他单位": []}
    for u in units:
        key = (
            "镇（街道）"
            if u.kind in (UnitKind.TOWN, UnitKind.DEVZONE)
            else ("县直单位" if u.kind == UnitKind.DEPARTMENT else "其他单位")
        )
        groups[key].append((u.pk, u.display_name))
    return [(k, v) for k, v in groups.items() if v]


def live_registrations(event: Event) -> dict[str, int]:
    """Registrations that a cancellation would cancel (and text), by status."""
    return event.registrations.aggregate(
        confirmed=Count("id", filter=Q(status=RegStatus.CONFIRMED)),
        waitlisted=Count("id", filter=Q(status=RegStatus.WAITLISTED)),
    )
