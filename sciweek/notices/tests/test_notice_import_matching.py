"""Unit names as notices write them, matched against the 泗县 demo tree."""

from __future__ import annotations

import pytest

from sciweek.notices.importing.initial import campaign_title, guess_kind
from sciweek.notices.importing.plan import StatRowPlan, form_spec_from_rows
from sciweek.orgs.matching import UnitIndex, deadline_unit_names
from sciweek.orgs.models import OrgUnit, OrgUnitAlias, UnitKind
from sciweek.orgs.services import unit_create


@pytest.fixture
def index(demo):
    return UnitIndex(OrgUnit.objects.get(name="泗县"))


def names(match) -> set[str]:
    return {u.name for u in match.units}


def test_it_matches_full_names_short_names_and_aliases(index):
    assert names(index.match("泗县科学技术局")) == {"泗县科学技术局"}
    assert index.match("泗县科学技术局").how == "name"
    m = index.match("县科技局")
    assert names(m) == {"泗县科学技术局"} and m.how == "short_name"
    m = index.match("县林业局")
    assert names(m) == {"泗县自然资源和规划局"} and m.how == "alias"
    m = index.match("县自然资源规划局（林业局）")
    assert names(m) == {"泗县自然资源和规划局"}
    # Brackets and spaces written differently are the same name.
    assert names(index.match("县自然资源规划局(林业局)")) == {"泗县自然资源和规划局"}
    assert names(index.match("经济开发区（泗涂产业园）")) == {"泗县经济开发区"}
    assert names(index.match("泗涂产业园")) == {"泗县经济开发区"}


def test_it_matches_the_bracketed_name_by_alias_when_the_short_name_differs(index):
    OrgUnit.objects.filter(name="泗县自然资源和规划局").update(short_name="县自然资源局")
    m = UnitIndex(OrgUnit.objects.get(name="泗县")).match("县自然资源规划局（林业局）")
    assert names(m) == {"泗县自然资源和规划局"}
    assert m.how == "brackets" and m.needs_check and "县自然资源规划局" in m.note


def test_it_expands_collective_names(index):
    towns = {"示例镇一", "示例镇二", "示例街道一"}
    for written in ("各镇（街道）", "各乡镇", "各街道", "各镇(街道)", "各乡镇人民政府"):
        m = index.match(written)
        assert names(m) == towns and m.how == "collective", written
    departments = set(OrgUnit.objects.filter(kind=UnitKind.DEPARTMENT).values_list("name", flat=True))
    for written in ("县直有关单位", "县直各有关单位", "县直各单位"):
        assert names(index.match(written)) == departments, written
    assert "泗县气象局" in departments and "泗县融媒体中心" not in departments  # media is not a department
    societies = {"示例·泗县农学会", "示例·泗县医学会"}
    assert names(index.match("县直各学会")) == societies  # the group, by name: its members
    assert names(index.match("各学会")) == societies  # the group, by alias
    assert names(index.match("县直各协会")) == societies  # no unit by that name: the groups' societies


def test_it_takes_an_empty_group_itself(demo):
    county = OrgUnit.objects.get(name="泗县")
    unit_create(actor="test", parent=county, name="县直各协会", kind=UnitKind.GROUP)
    m = UnitIndex(county).match("县直各协会")
    assert names(m) == {"县直各协会"}


def test_it_completes_the_region_name(index):
    OrgUnit.objects.filter(name="泗县水利局").update(short_name="")
    m = UnitIndex(OrgUnit.objects.get(name="泗县")).match("县水利局")
    assert names(m) == {"泗县水利局"} and m.how == "region_prefix" and m.needs_check


def test_it_notes_a_trailing_deng(index):
    m = index.match("县科协等")
    assert names(m) == {"泗县科学技术协会"} and "等" in m.note


def test_it_suggests_close_units_for_unknown_names(index):
    OrgUnit.objects.filter(name="共青团泗县委员会").update(short_name="")
    OrgUnitAlias.objects.filter(unit__name="共青团泗县委员会").delete()
    m = UnitIndex(OrgUnit.objects.get(name="泗县")).match("团县委")
    assert not m.matched and m.how_label == "未匹配"
    assert m.suggestions[0].name == "共青团泗县委员会"
    assert not index.match("县交通运输局").matched


def test_it_refuses_to_guess_between_two_units_of_one_name(demo):
    county = OrgUnit.objects.get(name="泗县")
    a = OrgUnit.objects.get(name="示例镇一")
    b = OrgUnit.objects.get(name="示例镇二")
    OrgUnitAlias.objects.create(unit=a, name="城关镇")
    OrgUnitAlias.objects.create(unit=b, name="城关镇")
    m = UnitIndex(county).match("城关镇")
    assert (
        not m.matched and m.how == "ambiguous" and {u.name for u in m.suggestions} == {"示例镇一", "示例镇二"}
    )


def test_it_only_matches_active_units_inside_the_region(demo):
    OrgUnit.objects.filter(name="泗县气象局").update(is_active=False)
    county = OrgUnit.objects.get(name="泗县")
    assert not UnitIndex(county).match("县气象局").matched
    assert not UnitIndex(county).match("宿州市").matched


def test_it_reads_the_units_a_deadline_sentence_opens_with():
    source = (
        "县科协、县教体局、县应急管理局、县气象局等单位要紧扣本次科技活动周主题，将本单位宣传内容和具体工作人员"
        "姓名、手机号，在5月18日前发至县科技局邮箱。"
    )
    assert deadline_unit_names(source) == (["县科协", "县教体局", "县应急管理局", "县气象局"], True)
    assert deadline_unit_names(
        "科技活动周结束后，请各有关单位将举办情况进行梳理，并于5月30日下午下班前报送。"
    ) == ([], False)
    assert deadline_unit_names("各镇（街道）要于5月18日前报送。") == (["各镇（街道）"], False)


def test_it_names_the_campaign_after_the_notice():
    assert campaign_title("关于举办2023年科技活动周的通知", 2023, "泗县") == "2023年泗县科技活动周"
    assert campaign_title("关于举办2024年宿州市科技活动周的通知", 2024, "宿州市") == "2024年宿州市科技活动周"
    assert (
        campaign_title("关于转发《关于举办2024年全国科技活动周的通知》的通知", 2024, "泗县")
        == "2024年泗县科技活动周"
    )
    assert campaign_title(None, None, "泗县") == "泗县科技活动周"


def test_it_guesses_the_kind_of_a_new_unit():
    assert guess_kind("大庄镇") == "town" and guess_kind("泗城街道办事处") == "town"
    assert guess_kind("县农学会") == "association" and guess_kind("县交通运输局") == "department"
    assert guess_kind("泗县第一中学") == "school" and guess_kind("县经济开发区") == "devzone"


def test_it_keeps_the_2023_codes_for_known_rows_and_numbers_new_ones():
    spec = form_spec_from_rows(
        "统计表",
        "注：…",
        [
            StatRowPlan("科普活动开展次数", "举办活动次数", "次"),
            StatRowPlan("活动经费投入数量", "县级（单位）财政经费投入情况", "万元"),
            StatRowPlan("", "开展线上直播场次", "场"),
            StatRowPlan("", "其他投入", "万元"),
        ],
    )
    assert [r.code for r in spec.rows] == ["events_held", "fund_fiscal", "row_03", "row_04"]
    assert spec.rows[1].decimals == 4 and spec.rows[1].help
    assert (spec.rows[2].value_type, spec.rows[3].value_type, spec.rows[3].decimals) == ("int", "decimal", 4)
