"""Materials' writes follow the campaign's life cycle (campaigns.lifecycle; the rules in materials/lifecycle.py)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from sciweek.campaigns.lifecycle import CampaignClosedError
from sciweek.campaigns.models import Campaign
from sciweek.materials.media.services import media_report_save, outlet_save
from sciweek.materials.publicity.images import publicity_add_image
from sciweek.materials.services import publicity_approve, publicity_save, publicity_submit
from sciweek.orgs.models import StaffContact

from .photos import photo_bytes, upload

pytestmark = pytest.mark.django_db


def _status(campaign, status):
    Campaign.objects.filter(pk=campaign.pk).update(status=status)
    campaign.refresh_from_db()


def _draft_with_photos(campaign, unit, actor):
    StaffContact.objects.create(unit=unit, name="王芳", mobile="13800001234")
    sub = publicity_save(
        actor=actor, campaign=campaign, unit=unit, version=None, headline="标题", body="正文。", submit=False
    )
    for i in range(2):
        publicity_add_image(actor=actor, submission=sub, upload=upload(f"p{i}.jpg", photo_bytes(800, 600)))
    sub.refresh_from_db()
    return sub


def test_publicity_is_sent_while_published_or_running_and_reviewed_until_closed(demo, qxj, organizer, unit):
    campaign = demo.campaign
    _status(campaign, Campaign.Status.RUNNING)
    sub = _draft_with_photos(campaign, unit("县气象局"), qxj)
    _status(campaign, Campaign.Status.REPORTING)  # the week is over: no more sending or photos
    with pytest.raises(CampaignClosedError):
        publicity_submit(actor=qxj, submission=sub, version=sub.version)
    with pytest.raises(CampaignClosedError):
        publicity_add_image(actor=qxj, submission=sub, upload=upload("p.jpg", photo_bytes(800, 600)))
    _status(campaign, Campaign.Status.RUNNING)
    sub = publicity_submit(actor=qxj, submission=sub, version=sub.version)
    _status(campaign, Campaign.Status.REPORTING)  # what arrived is still reviewed after the week
    sub = publicity_approve(actor=organizer, submission=sub, version=sub.version)
    assert sub.status == "approved"


def test_a_closed_campaign_refuses_review_and_media(demo, qxj, organizer, unit):
    campaign = demo.campaign
    _status(campaign, Campaign.Status.RUNNING)
    sub = _draft_with_photos(campaign, unit("县气象局"), qxj)
    sub = publicity_submit(actor=qxj, submission=sub, version=sub.version)
    outlet = outlet_save(actor=qxj, region=campaign.org_unit, name="泗县发布", kind="wechat")
    _status(campaign, Campaign.Status.CLOSED)
    with pytest.raises(CampaignClosedError):
        publicity_approve(actor=organizer, submission=sub, version=sub.version)
    with pytest.raises(ValidationError, match="只能查看"):
        media_report_save(
            actor=qxj,
            campaign=campaign,
            entered_by_unit=sub.unit,
            unit=sub.unit,
            outlet=outlet,
            title="报道",
            published_on=dt.date(2023, 5, 22),
            url="https://x.example/1",
        )
    # Reporting (after the week): coverage is still entered, it feeds the statistics table.
    _status(campaign, Campaign.Status.REPORTING)
    r = media_report_save(
        actor=qxj,
        campaign=campaign,
        entered_by_unit=sub.unit,
        unit=sub.unit,
        outlet=outlet,
        title="报道",
        published_on=dt.date(2023, 5, 22),
        url="https://x.example/1",
    )
    assert r.pk
