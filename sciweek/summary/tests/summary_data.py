"""Builders for the summary tests: approved reports, events with photos, a city campaign."""

from __future__ import annotations

import datetime as dt
import io

from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image

from sciweek.events.models import Event, EventImage
from sciweek.reports.tests.stats_data import put_report

FULL = {
    "events_held": 6,
    "fund_fiscal": "1.5",
    "fund_enterprise": "0.25",
    "fund_in_kind": "0.5",
    "fund_other": 0,
    "staff_fulltime": 3,
    "staff_scientists": 12,
    "staff_volunteers": 20,
    "staff_other": 2,
    "public_offline": 850,
    "public_online": 12000,
    "media_outlets": 3,
    "media_reports": 5,
    "venues_opened": 1,
    "institutes_opened": 0,
    "universities_opened": 0,
}


def jpeg(w: int = 800, h: int = 600, color: tuple[int, int, int] = (40, 120, 200)) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (w, h), color).save(buf, format="JPEG")
    return buf.getvalue()


def fill_county(campaign, units, *, status: str = "approved") -> list:
    """Each unit an approved report, the n-th scaled by n+1 (so totals are not all the same)."""
    out = []
    for i, u in enumerate(units):
        values = {k: (v if isinstance(v, str) else v * (i + 1)) for k, v in FULL.items()}
        out.append(put_report(campaign, u, values, status=status))
    return out


def add_event(
    campaign,
    unit,
    title: str,
    *,
    offline: int = 0,
    online: int = 0,
    mode: str = "offline",
    category: str = "科普讲座",
    audiences=("公众",),
    photo: bool = True,
) -> Event:
    start = timezone.make_aware(dt.datetime(campaign.year, 5, 22, 9, 0))
    e = Event.objects.create(
        campaign=campaign,
        unit=unit,
        title=title,
        category=category,
        audiences=list(audiences),
        mode=mode,
        starts_at=start,
        ends_at=start + dt.timedelta(hours=2),
        venue="县科技馆",
        status="approved",
        offline_participants=offline or None,
        online_audience=online or None,
        content_theme=campaign.content_themes.order_by("number").first(),
    )
    if photo:
        img = EventImage(event=e, kind="photo", original_name="现场.jpg", width=800, height=600)
        img.file.save("p.jpg", ContentFile(jpeg()), save=True)
    return e
