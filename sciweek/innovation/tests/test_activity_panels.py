"""The enterprise service under main activities 2 and 5: which activity, which numbers, whose scope."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import ValidationError

from sciweek.campaigns import services as campaign_services
from sciweek.campaigns.activity_panels import activity_kind, activity_panels


def _panel(activity, user, *, public=False):
    panels = activity_panels(campaign=activity.campaign, activity=activity, user=user, public=public)
    assert len(panels) <= 1
    return panels[0] if panels else None


def test_activity_2_and_5_are_found_by_their_words_and_the_organizer_can_choose(organizer, activities):
    assert activity_kind(activities[2]) == "innovation.enterprise"  # 服务企业创新专项行动
    assert activity_kind(activities[5]) == "innovation.commissioners"  # content: 科技特派员乡村行
    # 六 (publicity) merely mentions 科技特派员 in its content: not a commissioners' activity.
    assert [n for n in (1, 4, 6) if activity_kind(activities[n])] == []
    assert activity_kind(activities[3]) == "contests.contest"  # 举办青少年科技创新大赛: the contest's own

    def choose(a, kind):
        return campaign_services.activity_save(
            actor=organizer, campaign=a.campaign, activity=a, version=a.version, number=a.number, title=a.title,
            lead_units=list(a.lead_units.all()), cooperating_units=list(a.cooperating_units.all()),
            content=a.content, panel_kind=kind,
        )  # fmt: skip

    a2 = choose(activities[2], "none")
    assert activity_kind(a2) is None and _panel(a2, organizer) is None
    a6 = choose(activities[6], "innovation.commissioners")
    assert activity_kind(a6) == "innovation.commissioners"
    with pytest.raises(ValidationError, match="专项数据"):
        choose(a6, "contests.nothing")


def test_the_bureau_sees_every_town_and_only_the_weeks_records(organizer, activities, records):
    f = _panel(activities[2], organizer).context["f"]
    assert (f["visits"], f["enterprises_visited"], f["demands"], f["matches"]) == (3, 2, 2, 1)
    assert (f["contracts"], f["contract_amount"]) == (1, 30)
    assert dict((str(k), n) for k, n in f["by_status"]) == {"征集": 1, "签约": 1}
    g = _panel(activities[5], organizer).context["f"]
    assert (g["person_times"], g["commissioners"], g["hours"], g["people_served"]) == (3, 1, 6.5, 42)


def test_a_town_sees_its_own_figures_and_an_outsider_none(town1, qxj, activities, records):
    f = _panel(activities[2], town1).context["f"]
    assert (f["visits"], f["demands"], f["contracts"], f["contract_amount"]) == (2, 1, 1, 30)
    g = _panel(activities[5], town1).context["f"]
    assert (g["person_times"], g["hours"], g["people_served"]) == (2, 4.5, 30)
    assert _panel(activities[2], qxj) is None  # a county department: no town in its scope


def test_the_public_figures_leave_out_secret_demands_and_links(activities, records):
    p = _panel(activities[2], None, public=True)
    assert p.context["f"]["demands"] == 1 and p.context["f"]["visits"] == 3
    assert p.context["links"] == []


def test_the_pages_show_the_panels_on_those_activities_only(client_for, client, organizer, town1, demo, activities,
                                                            records):  # fmt: skip
    c = demo.campaign
    html = (
        client_for(organizer)
        .get(f"/manage/campaigns/{c.pk}/activities/{activities[2].pk}/view/")
        .content.decode()
    )
    assert "活动周期间的企业创新服务" in html and "/innovation/?week=1" in html
    assert re.search(r'data-figure="visits">3<', html)
    html = (
        client_for(town1)
        .get(f"/manage/campaigns/{c.pk}/activities/{activities[5].pk}/view/")
        .content.decode()
    )
    assert "活动周期间的科技特派员服务" in html and re.search(r'data-figure="person_times">2<', html)
    html = (
        client_for(organizer).get(f"/manage/campaigns/{c.pk}/activities/{activities[2].pk}/").content.decode()
    )
    assert "活动周期间的企业创新服务" in html  # the edit page too
    for n in (1, 3, 4, 6):
        html = client_for(organizer).get(f"/manage/campaigns/{c.pk}/activities/{activities[n].pk}/view/")
        assert "sw-activity-panel" not in html.content.decode()
    assert c.is_public  # the demo's week is published
    html = client.get(f"/c/{c.pk}/").content.decode()
    assert (
        html.count("sw-activity-panel") == 2 and "涉密工艺" not in html and "/innovation/?week=1" not in html
    )
    assert re.search(r'data-figure="demands">1<', html)  # the 涉密 demand is not counted in public
