"""A campaign's report deadlines are read once and kept until a requirement changes (core/cache.py)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from sciweek.campaigns.models import Requirement
from sciweek.campaigns.services import requirement_save
from sciweek.reports.models import Report
from sciweek.reports.services.deadline import deadline_of

pytestmark = pytest.mark.django_db


def fresh_deadline(campaign, unit):
    # A report object as a new request reads it (the deadline is also kept per report object).
    return deadline_of(Report(campaign=campaign, unit=unit))


def requirement_queries(campaign, unit) -> int:
    with CaptureQueriesContext(connection) as q:
        fresh_deadline(campaign, unit)
    return sum("campaigns_requirement" in x["sql"] for x in q.captured_queries)


def test_the_deadline_is_read_once_until_a_requirement_changes(demo, unit, organizer):
    campaign, qxj = demo.campaign, unit("县气象局")
    assert fresh_deadline(campaign, qxj).due_at == timezone.make_aware(dt.datetime(2023, 5, 30, 17, 30))
    assert requirement_queries(campaign, qxj) == 0  # kept: no query on later saves

    final = campaign.requirements.get(kind=Requirement.Kind.FINAL_REPORT)
    due = timezone.make_aware(dt.datetime(2023, 5, 29, 12, 0))
    requirement_save(
        actor=organizer,
        campaign=campaign,
        requirement=final,
        version=final.version,
        kind=final.kind,
        title=final.title,
        due_at=due,
        lock_at_deadline=True,
    )
    seen = fresh_deadline(campaign, qxj)
    assert seen.due_at == due and seen.locks


def test_a_requirement_for_some_units_only_applies_to_them(demo, unit, organizer):
    campaign, qxj, kx = demo.campaign, unit("县气象局"), unit("县科协")
    fresh_deadline(campaign, qxj)  # cached before the new requirement
    earlier = timezone.make_aware(dt.datetime(2023, 5, 27, 9, 0))
    requirement_save(
        actor=organizer,
        campaign=campaign,
        kind=Requirement.Kind.FINAL_REPORT,
        title="气象局提前报送",
        due_at=earlier,
        applies_to=[qxj],
    )
    assert fresh_deadline(campaign, qxj).due_at == earlier
    assert fresh_deadline(campaign, kx).due_at != earlier


def test_a_change_outside_the_services_is_seen_too(demo, unit):
    campaign, qxj = demo.campaign, unit("县气象局")
    fresh_deadline(campaign, qxj)
    final = campaign.requirements.get(kind=Requirement.Kind.FINAL_REPORT)
    final.due_at = timezone.now() + dt.timedelta(hours=3)
    final.save()
    assert fresh_deadline(campaign, qxj).due_at == final.due_at
    final.applies_to.set([unit("县科协")])  # no longer this unit's
    assert fresh_deadline(campaign, qxj).requirement is None
