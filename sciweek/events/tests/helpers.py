"""Helpers shared by the events tests."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone


def at(days: int, hhmm: str = "09:00") -> dt.datetime:
    """Local time `days` from today at hh:mm."""
    h, m = map(int, hhmm.split(":"))
    day = timezone.localdate() + dt.timedelta(days=days)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(h, m)))


def event_fields(**overrides) -> dict:
    fields = dict(
        title="走进气象观测站",
        category="气象科技周",
        mode="offline",
        starts_at=at(2, "09:00"),
        ends_at=at(2, "11:30"),
        audiences=["青少年"],
        venue="县气象局观测场",
        address="气象路1号",
        expected_scale=30,
        safety_contact="刘工",
        safety_phone="13955700101",
        description="参观自动气象站。",
    )
    fields.update(overrides)
    return fields
