from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from sciweek.accounts.models import Profile
from sciweek.campaigns.models import Campaign, Requirement


def at(text: str) -> dt.datetime:
    return timezone.make_aware(dt.datetime.strptime(text, "%Y-%m-%d %H:%M"))


@pytest.fixture
def live(demo):
    """The demo campaign, running (reminders go out for live campaigns)."""
    Campaign.objects.filter(pk=demo.campaign.pk).update(status=Campaign.Status.RUNNING)
    demo.campaign.refresh_from_db()
    return demo.campaign


@pytest.fixture
def final_report(live):
    return Requirement.objects.get(campaign=live, kind=Requirement.Kind.FINAL_REPORT)


@pytest.fixture
def reachable(qxj, town1, organizer):
    """The personas with an e-mail address and a mobile number."""
    for user, mail, mobile in (
        (qxj, "qxj@example.cn", "13800000001"),
        (town1, "town1@example.cn", "13800000002"),
        (organizer, "kjj@example.cn", "13800000009"),
    ):
        user.email = mail
        user.save(update_fields=["email"])
        Profile.objects.update_or_create(user=user, defaults={"mobile": mobile})
    return qxj, town1, organizer
