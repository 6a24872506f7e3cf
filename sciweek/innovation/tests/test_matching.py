"""Matchmaking on a small labelled set: a demand about 小麦赤霉病 needs the plant-protection expert."""

from __future__ import annotations

from sciweek.core.models import Notification
from sciweek.innovation import services
from sciweek.innovation.matching import suggestions


def test_a_wheat_scab_demand_ranks_plant_protection_above_mechanical_engineering(town1, enterprise, experts):
    demand = services.demand_create(
        actor=town1, enterprise=enterprise, title="小麦赤霉病防控", field="crops",
        description="今年小麦抽穗期赤霉病发病较重，想找专家指导绿色防控，减少产量损失。",
    )  # fmt: skip
    ranked = suggestions(demand)
    names = [s.name for s in ranked]
    assert names[0] == "李植保"
    assert "张机械" in names and names.index("李植保") < names.index("张机械")
    assert "赵食品" not in names  # nothing in common
    top = ranked[0]
    assert top.kind == "expert" and top.score > ranked[names.index("张机械")].score
    assert any("领域相同" in r for r in top.reasons)
    assert any("赤霉病" in r for r in top.reasons)
    assert any("服务本镇" in r for r in top.reasons)


def test_partner_organisations_and_past_solved_demands_count(organizer, town1, county, enterprise, experts):
    services.partner_create(actor=organizer, region=county, name="安徽省农业科学院植物保护与农产品质量安全研究所",
                            kind="institute", disciplines="植物保护", keywords=["小麦赤霉病", "农药减量"])  # fmt: skip
    old = services.demand_create(
        actor=town1, enterprise=enterprise, title="小麦赤霉病统防统治", field="crops",
        description="小麦赤霉病防治效果差，需要统防统治方案",
    )  # fmt: skip
    for to in ("reviewed", "matching"):
        old.refresh_from_db()
        services.demand_set_status(actor=organizer, demand=old, to=to, version=old.version)
    services.match_confirm(actor=organizer, demand=old, kind="expert", target_id=experts["mech"].pk)
    for to in ("diagnosis", "connecting", "signed", "tracking", "solved"):
        old.refresh_from_db()
        services.demand_set_status(
            actor=organizer, demand=old, to=to, version=old.version, contract_amount="5", contract_number="N1"
        )
    new = services.demand_create(
        actor=town1,
        enterprise=enterprise,
        title="小麦赤霉病防治",
        field="crops",
        description="赤霉病防治需要指导",
    )
    ranked = {(s.kind, s.name): s for s in suggestions(new)}
    assert ("organization", "安徽省农业科学院植物保护与农产品质量安全研究所") in ranked
    mech = ranked[("expert", "张机械")]
    assert any("曾解决类似需求「小麦赤霉病统防统治」" in r for r in mech.reasons)


def test_confirming_a_match_notifies_the_town_and_the_expert(
    organizer, town1, enterprise, experts, django_user_model
):
    expert_user = django_user_model.objects.create_user("tpy-li", password="x")
    experts["plant"].user = expert_user
    experts["plant"].save()
    demand = services.demand_create(
        actor=town1, enterprise=enterprise, title="赤霉病", field="crops", description="赤霉病防控"
    )
    for to in ("reviewed", "matching"):
        demand.refresh_from_db()
        services.demand_set_status(actor=organizer, demand=demand, to=to, version=demand.version)
    services.match_confirm(actor=organizer, demand=demand, kind="expert", target_id=experts["plant"].pk)
    assert Notification.objects.filter(unit=enterprise.unit, title__contains="已匹配").exists()
    assert Notification.objects.filter(user=expert_user, title__contains="已匹配").exists()
    assert [s.confirmed for s in suggestions(demand) if s.name == "李植保"] == [True]


def test_a_registry_of_one_still_finds_its_expert(organizer, town1, county, enterprise):
    """Okapi BM25's idf is negative for a word every document holds; BM25+ keeps it positive."""
    services.expert_create(actor=organizer, region=county, name="唯一专家", organization="某大学",
                           discipline="植物保护", keywords=["赤霉病"])  # fmt: skip
    demand = services.demand_create(
        actor=town1, enterprise=enterprise, title="赤霉病", field="machinery", description="赤霉病防控"
    )
    assert [s.name for s in suggestions(demand)] == ["唯一专家"]
