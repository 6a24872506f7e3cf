"""When materials may be written, in terms of the campaign's life cycle (campaigns.lifecycle).

- Publicity content is entered and sent while the campaign is published or running (``publicity``): the
  boards are printed for the week.
- The bureau reviews what was sent, and makes boards, until the campaign closes: a submission that
  arrived on the week's last day is still approved afterwards.
- Media reports are entered, corrected, confirmed and withdrawn from publication until the campaign
  closes: coverage appears during and after the week, and the confirmed registry feeds the statistics
  table (``report``), which is filled after the week.
A closed campaign is read-only for all of them; a draft one has nothing to report on yet.
"""

from __future__ import annotations

from sciweek.campaigns.lifecycle import CampaignClosedError, check_open, is_open
from sciweek.campaigns.models import Campaign


def check_publicity_open(campaign: Campaign) -> None:
    check_open(campaign, "publicity")


def check_review_open(campaign: Campaign) -> None:
    if campaign.status in (Campaign.Status.DRAFT, Campaign.Status.CLOSED):
        raise CampaignClosedError(campaign.status, "publicity", campaign.title)


def check_media_open(campaign: Campaign) -> None:
    if not (is_open(campaign, "publicity") or is_open(campaign, "report")):
        action = "publicity" if campaign.status == Campaign.Status.DRAFT else "report"
        raise CampaignClosedError(campaign.status, action, campaign.title)
