"""iCalendar (RFC 5545) written by hand: one event, or every published event of a campaign.

Times are written in UTC (the "Z" form), which every calendar application reads without a
VTIMEZONE block; lines end in CRLF and are folded at 75 octets without splitting a UTF-8 character.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.utils import timezone
from django.utils.html import strip_tags

from .models import Event

PRODID = "-//sciweek//科技活动周管理平台//ZH"


def escape_text(value: str) -> str:
    """TEXT values: backslash, semicolon, comma escaped; newlines as \\n (RFC 5545 §3.3.11)."""
    value = (value or "").replace("\r\n", "\n").replace("\r", "\n")
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def fold(line: str) -> str:
    """Split a content line into 75-octet pieces, continuation lines starting with a space."""
    data = line.encode("utf-8")
    if len(data) <= 75:
        return line
    pieces: list[str] = []
    current = b""
    limit = 75
    for ch in line:
        encoded = ch.encode("utf-8")
        if len(current) + len(encoded) > limit:
            pieces.append(current.decode("utf-8"))
            current = b""
            limit = 74  # the leading space of a continuation line counts
        current += encoded
    pieces.append(current.decode("utf-8"))
    return "\r\n ".join(pieces)


def _utc(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def vevent(event: Event, *, url: str, host: str) -> list[str]:
    location = "，".join(p for p in (event.venue, event.address) if p)
    if not location and event.is_online:
        location = event.online_platform or "线上"
    cancelled = event.status == "cancelled"  # events.cancellation: calendars strike it through
    description = f"举办单位：{event.unit.name}\n" + strip_tags(event.description or "").strip()
    if cancelled:
        description = f"本活动已取消。原因：{event.cancel_reason}\n" + description
    if event.safe_online_url and not cancelled:
        description = (description + "\n\n" if description else "") + f"线上参与：{event.safe_online_url}"
    lines = [
        "BEGIN:VEVENT",
        f"UID:sciweek-event-{event.pk}@{host}",
        f"DTSTAMP:{_utc(event.updated_at or timezone.now())}",
        f"DTSTART:{_utc(event.starts_at)}",
        f"DTEND:{_utc(event.ends_at)}",
        f"SUMMARY:{escape_text(('【已取消】' if cancelled else '') + event.title)}",
        f"CATEGORIES:{escape_text(event.category)}",
        f"URL:{url}",
        f"SEQUENCE:{event.version}",
        "STATUS:CANCELLED" if cancelled else "STATUS:CONFIRMED",
    ]
    if location:
        lines.append(f"LOCATION:{escape_text(location)}")
    lines.append(f"DESCRIPTION:{escape_text(description[:4000])}")
    lines.append("END:VEVENT")
    return lines


def calendar(events: Iterable[Event], *, name: str, url_for, host: str) -> str:
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(name)}",
        "X-WR-TIMEZONE:Asia/Shanghai",
    ]
    for event in events:
        lines += vevent(event, url=url_for(event), host=host)
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)
