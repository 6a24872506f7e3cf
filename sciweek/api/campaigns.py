"""Campaigns: list, detail, update (with version), status change.

Same rules as the pages (campaigns/access.py): an id outside the caller's view is 404, a campaign the
caller sees but may not change is 403. Writes go through campaigns/services.py, so they are audited.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema

from sciweek.campaigns import services
from sciweek.campaigns.access import access_campaign, visible_campaigns
from sciweek.campaigns.models import Campaign
from sciweek.orgs.access import can_manage_unit

from .common import ERRORS, WRITE_ERRORS, InSchema, absent, units_within

router = Router(tags=["campaigns"])


class CampaignOut(Schema):
    id: int
    year: int
    title: str
    theme: str
    start_date: dt.date
    end_date: dt.date
    status: str
    status_label: str
    org_unit_id: int
    org_unit_name: str
    doc_number: str
    issue_date: dt.date | None
    issuer_text: str
    issuer_ids: list[int]
    addressees: str
    references: list[str]
    content_themes: list[str]
    contact_person: str
    contact_phone: str
    contact_email: str
    close_of_business: dt.time
    max_video_minutes: int
    version: int
    can_manage: bool


class CampaignPatch(InSchema):
    """Only the fields sent are changed. `version` is the one you read; a stale one answers 409."""

    version: int = Field(..., ge=1, le=2_147_483_647)
    title: str = absent(max_length=200)
    year: int = absent(ge=2000, le=2100)
    theme: str = absent(max_length=200)
    start_date: dt.date = absent()
    end_date: dt.date = absent()
    doc_number: str = absent(max_length=100)
    issue_date: dt.date | None = None
    issuer_text: str = absent(max_length=300)
    issuer_ids: list[int] = absent(max_length=50)
    addressees: str = absent(max_length=5000)
    references: list[str] = absent(max_length=50)
    content_themes: list[str] = absent(max_length=50)
    contact_person: str = absent(max_length=50)
    contact_phone: str = absent(max_length=30)
    contact_email: str = absent(max_length=254)
    close_of_business: dt.time = absent()
    max_video_minutes: int = absent(ge=1, le=120)
    notice_text: str = absent(max_length=200_000)


class StatusIn(InSchema):
    status: str = Field(..., max_length=16, description="draft / published / running / reporting / closed")


def campaign_out(campaign: Campaign, user) -> dict:
    return {
        **{
            f: getattr(campaign, f)
            for f in (
                "id",
                "year",
                "title",
                "theme",
                "start_date",
                "end_date",
                "status",
                "org_unit_id",
                "doc_number",
                "issue_date",
                "issuer_text",
                "addressees",
                "contact_person",
                "contact_phone",
                "contact_email",
                "close_of_business",
                "max_video_minutes",
                "version",
            )
        },
        "status_label": str(campaign.get_status_display()),
        "org_unit_name": campaign.org_unit.name,
        "issuer_ids": sorted(campaign.issuers.values_list("pk", flat=True)),
        "references": [str(r) for r in (campaign.references or [])],
        "content_themes": [t.title for t in campaign.content_themes.all()],
        "can_manage": can_manage_unit(user, campaign.org_unit),
    }


@router.get("/", response=list[CampaignOut])
def list_campaigns(request):
    """Campaigns the caller may see: the bureau its region's (drafts too), a unit the published ones above it."""
    user = request.auth
    return [campaign_out(c, user) for c in visible_campaigns(user).order_by("-year", "-start_date", "pk")]


@router.get("/{int:campaign_id}", response={200: CampaignOut, **ERRORS})
def get_campaign(request, campaign_id: int):
    return campaign_out(access_campaign(request.auth, campaign_id), request.auth)


@router.patch("/{int:campaign_id}", response={200: CampaignOut, **WRITE_ERRORS})
def update_campaign(request, campaign_id: int, payload: CampaignPatch):
    """Organizers of the campaign's region only (403 for co-organizers and units)."""
    user = request.auth
    campaign = access_campaign(user, campaign_id, manage=True)
    data = payload.dict(exclude_unset=True)
    version = data.pop("version")
    issuer_ids = data.pop("issuer_ids", None)
    content_themes = data.pop("content_themes", None)
    if data.get("contact_email"):
        try:
            validate_email(data["contact_email"])
        except ValidationError:
            raise ValidationError(
                {
                    "contact_email": (
                        _("电子邮箱「%(contact_email)s」格式不正确。")
                        % {"contact_email": data["contact_email"]}
                    )
                }
            )
    issuers = None
    if issuer_ids is not None:
        issuers = units_within(issuer_ids, region=campaign.org_unit, field="issuer_ids")
    campaign = services.campaign_update(
        actor=user, campaign=campaign, version=version, issuers=issuers, content_themes=content_themes, **data
    )
    return campaign_out(Campaign.objects.select_related("org_unit").get(pk=campaign.pk), user)


@router.post("/{int:campaign_id}/status", response={200: CampaignOut, **WRITE_ERRORS})
def set_campaign_status(request, campaign_id: int, payload: StatusIn):
    """Publish, run, open reporting, close (organizers only). Publishing notifies every participating unit."""
    user = request.auth
    campaign = access_campaign(user, campaign_id, manage=True)
    campaign = services.campaign_set_status(actor=user, campaign=campaign, status=payload.status)
    return campaign_out(Campaign.objects.select_related("org_unit").get(pk=campaign.pk), user)
