"""The enterprise service's section of the generated 活动总结: the week, then the year so far."""

from __future__ import annotations

from decimal import Decimal

from sciweek.innovation import services
from sciweek.reports.summary_sections import summary_sections


def _section(year, root):
    return next((s for s in summary_sections(year=year, root=root) if s.key == "innovation"), None)


def test_the_county_summary_quotes_the_week_and_the_year(organizer, county, towns, enterprise, records):
    services.application_create(actor=organizer, enterprise=enterprise, programme="科技型中小企业评价",
                                level="national", year=2023, status="approved", amount="20")  # fmt: skip
    s = _section(2023, county)
    assert s is not None and s.title == "服务企业创新与科技特派员行动"
    week, year = s.paragraphs
    # 3 visits in the week (the April one is not), 3 logs by 1 commissioner, 30 + 12 served on the spot.
    assert week == "活动周期间，深入企业走访3次；1名科技特派员开展送技下乡3人次，现场服务群众42人次。"
    assert "累计走访企业4次（2家），征集技术需求3项" in year  # the 涉密 one counted, never named
    assert "促成产学研签约1项、合同金额30万元" in year
    assert "指导企业申报科技计划项目1项，已获批立项1项、支持资金20万元" in year
    assert s.figures["合同金额"] == (Decimal(30), "万元")
    assert s.figures["活动周期间科技特派员服务"] == (Decimal(3), "人次")


def test_a_town_gets_its_own_figures_and_a_year_without_records_no_section(county, towns, records):
    s = _section(2023, towns[1])
    assert (
        s.paragraphs[0] == "活动周期间，深入企业走访1次；1名科技特派员开展送技下乡1人次，现场服务群众12人次。"
    )
    assert "签约" not in s.paragraphs[1]
    assert _section(2022, county) is None
