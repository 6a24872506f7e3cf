"""Every version sent up is listed where people look: the city's review queue and the county's send-up
page, each with its status and a link to its difference from the version before."""

from __future__ import annotations

from sciweek.campaigns.models import Campaign
from sciweek.orgs.models import OrgUnit
from sciweek.reports.tests.stats_data import campaign_for
from sciweek.summary import sendup

from .summary_data import fill_county


def test_the_queue_and_the_send_page_list_every_version_with_a_link_to_its_diff(
    demo, unit, organizer, city, client_for
):
    Campaign.objects.filter(pk=demo.campaign.pk).update(status=Campaign.Status.REPORTING)
    demo.campaign.refresh_from_db()
    county = demo.campaign.org_unit
    city_campaign = campaign_for(
        OrgUnit.objects.get(pk=county.get_parent().pk), 2023, "2023年宿州市科技活动周"
    )
    fill_county(demo.campaign, [unit("县气象局"), unit("县科协")])
    first = sendup.sendup_send(source=demo.campaign, actor=organizer, with_summary=False)
    sendup.sendup_return(sendup=first, actor=city, reason="请核实线上人次")
    second = sendup.sendup_send(source=demo.campaign, actor=organizer, with_summary=False)

    queue = client_for(city).get(f"/summary/campaign/{city_campaign.pk}/received/").content.decode()
    block = queue[queue.index('data-region="泗县"') :]
    block = block[: block.index("</details>")]
    assert "全部版本（2）" in block
    assert f'href="/summary/sendup/{first.pk}/"' in block and "已退回" in block
    assert f'href="/summary/sendup/{second.pk}/#diff"' in block and "与上一版的差异" in block

    page = client_for(organizer).get(f"/summary/campaign/{demo.campaign.pk}/send/").content.decode()
    assert f'href="/summary/sendup/{second.pk}/#diff" data-diff-link' in page
    assert "第2版与第1版的差异" in page and "已退回" in page
    detail = client_for(city).get(f"/summary/sendup/{second.pk}/").content.decode()
    assert 'id="diff"' in detail
