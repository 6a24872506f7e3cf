"""Publicity waiting for approval and media reports waiting for confirmation are on the organizer's to-do."""

from __future__ import annotations

from sciweek.materials.models import MediaOutlet, MediaReport, PublicitySubmission


def test_the_landing_lists_publicity_to_approve_and_media_to_confirm(demo, organizer, client_for, unit):
    campaign = demo.campaign
    for short in ("县气象局", "县科协"):
        PublicitySubmission.objects.create(
            campaign=campaign, unit=unit(short), headline="展板", body="内容", status="submitted"
        )
    outlet = MediaOutlet.objects.create(region=campaign.org_unit, name="泗县发布", kind="wechat")
    MediaReport.objects.create(
        campaign=campaign,
        outlet=outlet,
        unit=unit("县气象局"),
        entered_by_unit=unit("县气象局"),
        title="科技活动周开幕",
        published_on=campaign.start_date,
        url="https://example.org/a",
        url_key="https://example.org/a",
    )
    body = client_for(organizer).get("/manage/").content.decode()
    review = f"/manage/publicity/{campaign.pk}/"
    assert "待审核的宣传内容" in body and review in body
    assert "待确认的媒体报道" in body and f"/manage/media/{campaign.pk}/" in body
    # Counts, each beside its title.
    assert (
        "2" in body.split("待审核的宣传内容", 1)[1][:400]
        or "2" in body.split("待审核的宣传内容", 1)[0][-400:]
    )
