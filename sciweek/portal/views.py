from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from sciweek.campaigns.models import Campaign
from sciweek.campaigns.selectors import activities_with_units, current_public_campaign


def _render_campaign(request: HttpRequest, campaign: Campaign | None) -> HttpResponse:
    context = {"campaign": campaign}
    if campaign is not None:
        context["activities"] = list(activities_with_units(campaign))
        context["themes"] = list(campaign.content_themes.all())
        context["issuers"] = list(campaign.issuers.all())
    return render(request, "portal/home.html", context)


def home(request: HttpRequest) -> HttpResponse:
    """Public front page: the current week's theme, dates, main activities with lead units, contact."""
    return _render_campaign(request, current_public_campaign())


def campaign_page(request: HttpRequest, campaign_id: int) -> HttpResponse:
    campaign = get_object_or_404(Campaign.objects.select_related("org_unit"), pk=campaign_id)
    if not campaign.is_public:
        raise Http404("活动周尚未发布")
    return _render_campaign(request, campaign)
