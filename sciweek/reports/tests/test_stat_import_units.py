"""Which unit an e-mailed statistics table belongs to: its 单位（盖章） cell, matched once per import."""

from __future__ import annotations

from sciweek.orgs.models import UnitKind
from sciweek.orgs.services import unit_create, unit_set_active
from sciweek.reports.importing import UnitMatcher


def test_it_matches_full_names_short_names_and_aliases_without_a_query_per_sheet(
    demo, unit, django_assert_num_queries
):
    matcher = UnitMatcher(demo.campaign)  # the units and aliases of 泗县, loaded once
    cases = {
        "单位（盖章）：泗县气象局": "县气象局",  # the cell as the template writes it
        "泗县气象局（盖章）": "县气象局",
        "县科协": "县科协",  # short name
        "科技局": "县科技局",  # alias
        "县林业局": "县自然资源规划局（林业局）",  # an older name kept as an alias
        "泗县 水利局": "县水利局",  # spaces do not matter
        "县自然资源规划局（林业局）": "县自然资源规划局（林业局）",
        "泗县气象局（2023年5月30日）": "县气象局",  # extra text after the name
        "示例镇一": "示例镇一",
    }
    with django_assert_num_queries(0):
        found = {text: matcher.match(text) for text in cases}
    for text, short in cases.items():
        expected = unit(short) if short != "示例镇一" else unit("泗县").get_children().get(name=short)
        assert found[text] == expected, text


def test_collective_names_groups_and_blanks_match_no_single_unit(demo):
    matcher = UnitMatcher(demo.campaign)
    for text in ("各镇（街道）", "县直各学会", "县直有关单位", "单位（盖章）：", "", None, "某某中心"):
        assert matcher.match(text) is None, text


def test_a_name_two_units_share_is_left_for_the_organizer_to_pick(demo, unit):
    county, town = unit("泗县"), unit("泗县").get_children().get(name="示例镇一")
    for parent, code in ((county, "341324-njz"), (town, "341324-town1-njz")):
        unit_create(actor="测试", parent=parent, name="泗县农技推广中心", kind=UnitKind.DEPARTMENT, code=code)
    matcher = UnitMatcher(demo.campaign)
    assert matcher.match("泗县农技推广中心") is None
    assert matcher.match("单位（盖章）：泗县农技推广中心") is None


def test_only_the_campaigns_active_participating_units_are_matched(demo, unit):
    unit_set_active(actor="测试", unit=unit("县气象局"), active=False)
    city = unit("泗县").get_parent()
    unit_create(
        actor="测试", parent=city, name="宿州市农技推广站", kind=UnitKind.DEPARTMENT, code="341300-njz"
    )
    matcher = UnitMatcher(demo.campaign)
    assert matcher.match("泗县气象局") is None  # deactivated
    assert matcher.match("宿州市农技推广站") is None  # above the campaign's region
    assert matcher.match("县直各学会") is None  # a group of units, not a unit
    assert matcher.match("泗县水利局") == unit("县水利局")


def test_a_unit_of_another_county_is_not_taken_for_ours(demo, unit):
    """ "灵璧县气象局" holds 泗县气象局's short name 县气象局, but names another county."""
    matcher = UnitMatcher(demo.campaign)
    assert matcher.match("灵璧县气象局") is None
    assert matcher.match("单位（盖章）：宿州市灵璧县气象局（2023年）") is None
    assert matcher.match("安徽省宿州市泗县气象局（2023年）") == unit("县气象局")
    assert matcher.match("宿州市泗县县气象局") == unit("县气象局")
