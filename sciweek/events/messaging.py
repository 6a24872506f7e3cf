"""Text messages to registrants (they give only a name and a mobile number): moved up from the waiting
list, event cancelled, time or place changed. Queued in the caller's transaction, sent after it
commits (core/sms.py). Links point at SCIWEEK_PUBLIC_URL (see README)."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from sciweek.core.models import OutboundMessage
from sciweek.core.sms import Outgoing, sms_queue

from .models import Event, Registration
from .ticket_tokens import ticket_token


class Kind:
    PROMOTED = "promoted"
    CANCELLED = "event_cancelled"
    CHANGED = "event_changed"


KIND_LABELS = {Kind.PROMOTED: "候补转正", Kind.CANCELLED: "活动取消", Kind.CHANGED: "时间地点变更"}


DEFAULT_PUBLIC_URL = "http://127.0.0.1:8000"  # `make run`; production sets SCIWEEK_PUBLIC_URL


def public_url(path: str) -> str:
    """An absolute link for a text message: SCIWEEK_PUBLIC_URL, else the first trusted origin."""
    origins = [o.rstrip("/") for o in settings.CSRF_TRUSTED_ORIGINS if o.startswith("http")]
    return (settings.SCIWEEK_PUBLIC_URL or (origins[0] if origins else DEFAULT_PUBLIC_URL)) + path


def ticket_link(registration: Registration) -> str:
    return public_url(reverse("events:ticket", args=[ticket_token(registration)]))


def when(event: Event) -> str:
    start = timezone.localtime(event.starts_at)
    end = timezone.localtime(event.ends_at)
    text = f"{start.month}月{start.day}日 {start:%H:%M}"
    if end.date() == start.date():
        return f"{text}–{end:%H:%M}"
    return f"{text}至{end.month}月{end.day}日 {end:%H:%M}"


def where(event: Event) -> str:
    place = " ".join(p for p in (event.venue, event.address) if p)
    if event.is_online and not event.is_offline:
        return f"线上（{event.online_platform}）" if event.online_platform else "线上"
    return place or "见活动页面"


def _sign(text: str) -> str:
    return f"【{settings.SCIWEEK_SMS_SIGNATURE}】{text}" if settings.SCIWEEK_SMS_SIGNATURE else text


def promoted_text(event: Event, registration: Registration) -> str:
    return _sign(
        f"您报名的「{event.title}」已由候补转为正式报名，时间{when(event)}，地点{where(event)}，"
        f"凭票入场：{ticket_link(registration)}"
    )


def cancelled_text(event: Event, registration: Registration) -> str:
    return _sign(
        f"很抱歉，您报名的「{event.title}」（{when(event)}）已取消，原因：{event.cancel_reason}。"
        f"您的报名已自动取消，无需到场。详情：{public_url(reverse('events:detail', args=[event.pk]))}"
    )


def changed_text(event: Event, registration: Registration, changed: Iterable[str]) -> str:
    what = "、".join(changed)
    return _sign(
        f"您报名的「{event.title}」{what}有变更：时间{when(event)}，地点{where(event)}。"
        f"凭票入场：{ticket_link(registration)}"
    )


def _queue(event: Event, registrations: Iterable[Registration], kind: str, text) -> list[OutboundMessage]:
    return sms_queue(
        messages=[
            Outgoing(phone=r.phone, text=text(event, r), kind=kind, event_id=event.pk, registration_id=r.pk)
            for r in registrations
        ]
    )


def _full(event: Event) -> Event:
    # The caller may hold a slim copy (the registration lock loads only what capacity needs).
    return Event.objects.only(
        "id", "title", "starts_at", "ends_at", "venue", "address", "mode", "online_platform"
    ).get(pk=event.pk)


def notify_promoted(*, event: Event, registrations: list[Registration]) -> list[OutboundMessage]:
    """Those who moved up from the waiting list: their place, time, venue and ticket link."""
    if not registrations:
        return []
    return _queue(_full(event), registrations, Kind.PROMOTED, promoted_text)


def notify_cancelled(*, event: Event, registrations: list[Registration]) -> list[OutboundMessage]:
    return _queue(event, registrations, Kind.CANCELLED, cancelled_text)


def notify_changed(
    *, event: Event, registrations: list[Registration], changed: list[str]
) -> list[OutboundMessage]:
    return _queue(event, registrations, Kind.CHANGED, lambda e, r: changed_text(e, r, changed))


def changed_labels(before: dict[str, object], event: Event) -> list[str]:
    """ "时间" and / or "地点" when they differ from `before` (a dict of the old values)."""
    labels = []
    if before.get("starts_at") != event.starts_at or before.get("ends_at") != event.ends_at:
        labels.append("时间")
    if before.get("venue") != event.venue or before.get("address") != event.address:
        labels.append("地点")
    return labels
