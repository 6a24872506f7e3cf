from __future__ import annotations

import datetime as dt

from django.http import Http404
from ninja import Router, Schema

from sciweek.campaigns.access import access_campaign, visible_campaigns

router = Router(tags=["campaigns"])


class CampaignOut(Schema):
    id: int
    year: int
    title: str
    theme: str
    start_date: dt.date
    end_date: dt.date
    status: str
    org_unit_id: int
    doc_number: str
    issue_date: dt.date | None
    contact_person: str
    contact_phone: str
    contact_email: str
    version: int


@router.get("/", response=list[CampaignOut])
def list_campaigns(request):
    return list(visible_campaigns(request.auth))


@router.get("/{campaign_id}", response=CampaignOut)
def get_campaign(request, campaign_id: int):
    campaign = access_campaign(request.auth, campaign_id)
    if campaign is None:
        raise Http404("活动周不存在")
    return campaign
