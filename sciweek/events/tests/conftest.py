"""Fixtures for the events tests: the demo campaign moved to "now", and events made the way units do."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache
from django.utils import timezone

from .helpers import event_fields


@pytest.fixture(autouse=True)
def _fresh_cache(django_db_setup, django_db_blocker):
    # Rate-limit counters and cached calendar pages live in the shared cache (a table of the test
    # database, or Redis), outside any test transaction: start every test from an empty cache.
    with django_db_blocker.unblock():
        cache.clear()
    yield
    with django_db_blocker.unblock():
        cache.clear()


@pytest.fixture
def week(demo):
    """The 2023 demo campaign with its twelve days moved to yesterday … ten days ahead."""
    campaign = demo.campaign
    today = timezone.localdate()
    campaign.start_date = today - dt.timedelta(days=1)
    campaign.end_date = today + dt.timedelta(days=10)
    campaign.save(update_fields=["start_date", "end_date"])
    return campaign


@pytest.fixture
def org(demo):
    """A demo unit by short name or full name: org("县气象局"), org("示例镇一")."""
    from django.db.models import Q

    from sciweek.orgs.models import OrgUnit

    return lambda name: OrgUnit.objects.get(Q(short_name=name) | Q(name=name))


@pytest.fixture
def published_event(week, org, organizer):
    """make(unit_short_name="县气象局", **fields) → an approved event, through the services."""
    from sciweek.events.services import event_approve, event_create, event_submit

    def make(unit_short: str = "县气象局", **overrides):
        e = event_create(actor=organizer, campaign=week, unit=org(unit_short), **event_fields(**overrides))
        e = event_submit(actor=organizer, event=e)
        return event_approve(actor=organizer, event=e)

    return make
