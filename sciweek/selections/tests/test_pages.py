"""The bureau's and the units' pages answer the right people and nobody else."""

from __future__ import annotations

from sciweek.selections.demo import demo_selection
from sciweek.selections.models import Nomination, Selection


def _demo_selection(demo) -> Selection:
    from sciweek.campaigns.demo_parts import DemoContext
    from sciweek.orgs.models import OrgUnit, UnitKind

    county = demo.campaign.org_unit
    ctx = DemoContext(
        campaign=demo.campaign,
        county=county,
        city=county.get_parent(),
        province=county.get_parent().get_parent(),
        units={u.short_name: u for u in OrgUnit.objects.exclude(short_name="")},
        towns=list(OrgUnit.objects.filter(kind=UnitKind.TOWN).order_by("path")),
        societies=list(OrgUnit.objects.filter(kind=UnitKind.ASSOCIATION, is_sample=True).order_by("path")),
    )
    demo_selection(ctx)
    return Selection.objects.get()


def test_the_bureau_pages_show_the_demo_selection(demo, organizer, client_for):
    selection = _demo_selection(demo)
    client = client_for(organizer)
    manage = client.get(f"/manage/selections/{selection.pk}/").content.decode()
    assert "刘建国" in manage and "139****1000" in manage and "13905571000" not in manage
    anomalies = client.get(f"/manage/selections/{selection.pk}/anomalies/").content.decode()
    assert "同一地址 112.28.9.17 用40个号码投票" in anomalies and "已作废 40 票" in anomalies
    decide = client.get(f"/manage/selections/{selection.pk}/decide/").content.decode()
    assert "确定当选人选" in decide and "刘建国" in decide
    vote = client.get(f"/selections/{selection.pk}/vote/").content.decode()
    assert "已作废异常票 65 票" in vote and "30% 的权重" in vote


def test_units_and_strangers_are_kept_out(demo, town1, qxj, client_for):
    selection = _demo_selection(demo)
    town = client_for(town1)
    assert town.get(f"/manage/selections/{selection.pk}/").status_code == 403
    assert town.get(f"/manage/selections/{selection.pk}/anomalies/").status_code == 403
    mine = town.get(f"/my/selections/{selection.pk}/").content.decode()
    own = Nomination.objects.filter(unit__name="示例镇一").values_list("name", flat=True)
    other = Nomination.objects.exclude(unit__name="示例镇一").values_list("name", flat=True)
    assert all(n in mine for n in own) and not any(n in mine for n in other)
    assert client_for(qxj).get(f"/my/selections/{selection.pk}/").status_code == 403  # not a nominating unit
    foreign = Nomination.objects.exclude(unit__name="示例镇一").first()
    assert town.get(f"/my/selections/{selection.pk}/{foreign.pk}/").status_code == 404
