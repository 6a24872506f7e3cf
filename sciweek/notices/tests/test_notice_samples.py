"""Notices in the other shapes they come in (see notice_samples.py): the main fields come out right."""

from __future__ import annotations

import datetime as dt

from sciweek.notices.extract import NoticeDraft, parse_notice
from sciweek.notices.tests.notice_samples import (
    CITY_NOTICE,
    FLAT_NOTICE,
    FORWARDING_NOTICE,
    PLAN_NOTICE,
    SHORT_NOTICE,
    TRADITIONAL_NOTICE,
    WEB_NOTICE,
)


def _activities(draft: NoticeDraft) -> list[tuple[int | None, str, list[str], list[str]]]:
    return [(a.number, a.title, a.lead_units, a.cooperating_units) for a in draft.activities]


def _deadlines(draft: NoticeDraft) -> list[tuple[str, str, str]]:
    return [(d["due"], d["kind"], d["what"]) for d in draft.to_json()["deadlines"]]


def _codes(draft: NoticeDraft) -> list[str]:
    return draft.warning_codes()


def test_it_reads_a_city_notice_with_full_width_digits_and_nested_numbering() -> None:
    draft = parse_notice(CITY_NOTICE)
    assert draft.title == "关于举办2024年云川市科技活动周的通知"
    assert draft.year == 2024
    assert draft.doc_number == "云科〔2024〕12号"
    assert draft.issue_date == dt.date(2024, 5, 10)
    assert draft.issuers == ["云川市科学技术局", "云川市科学技术协会"]
    assert draft.issuer_short_names == {"云川市科学技术局": "市科技局", "云川市科学技术协会": "市科协"}
    assert draft.references[0].doc_number == "国科函才〔2024〕38号"
    assert (draft.start_date, draft.end_date) == (dt.date(2024, 5, 25), dt.date(2024, 6, 1))
    assert draft.theme == "科技创新 强国有我"
    assert _activities(draft) == [
        (1, "全市科技活动周启动仪式", ["市科技局", "市科协"], ["市教育局", "市卫生健康委", "市气象局"]),
        (2, "科技特派员下乡服务", ["市农业农村局"], ["各县（市、区）科技局", "市农科院"]),
        (3, "院士专家进校园", ["市科协"], ["市教育局"]),
    ]
    opening = draft.activities[0]
    assert opening.schedule == "时间：2024年5月25日上午9:30；地点：云川市科技馆北广场"
    assert opening.schedule_announced is True
    assert opening.starts_at == dt.datetime(2024, 5, 25, 9, 30)
    assert opening.venue == "云川市科技馆北广场"
    assert "（1）科技成果展示" in opening.content and "②机器人互动体验" in opening.content
    assert draft.activities[1].cooperating_units_etc is True
    assert (draft.activities[2].schedule, draft.activities[2].schedule_announced) == ("另行通知", False)
    assert _deadlines(draft) == [
        ("2024-05-24T16:00", "staff", "联络员名单"),
        ("2024-06-03T17:00", "final_report", "活动总结和统计表"),
    ]
    assert draft.min_activities_per_unit == 2 and draft.target_activities_per_unit is None
    assert (draft.contact.person, draft.contact.phone, draft.contact.email) == (
        "王敏",
        "0536-3288123",
        "yckjkp@example.cn",
    )
    assert _codes(draft) == ["date_without_year"]


def test_it_resplits_a_notice_flattened_onto_one_line() -> None:
    draft = parse_notice(FLAT_NOTICE)
    assert draft.title == "关于开展2025年石桥县科技活动周活动的通知"
    assert draft.addressees == ["各乡镇人民政府", "县直各单位"]
    assert (draft.start_date, draft.end_date) == (dt.date(2025, 5, 17), dt.date(2025, 5, 23))
    assert draft.theme == "矢志科技强国 共筑创新未来"
    assert _activities(draft) == [
        (1, "科普大篷车巡展", ["县科协"], ["县教育局", "各乡镇人民政府"]),
        (2, "农业实用技术培训", ["县农业农村局"], []),
    ]
    assert draft.activities[0].content == "科普大篷车进校园、进社区巡回展出。"
    assert _deadlines(draft) == [("2025-05-14", "activity_plan", "活动安排")]
    assert draft.max_video_minutes == 2
    assert (draft.contact.person, draft.contact.phone) == ("周立", "13812345678")
    assert draft.issuers == ["石桥县科学技术局", "县科协"]
    assert draft.issue_date == dt.date(2025, 5, 6)
    assert _codes(draft) == ["text_resplit", "date_without_year"]


def test_it_converts_a_notice_in_traditional_characters() -> None:
    draft = parse_notice(TRADITIONAL_NOTICE)
    assert draft.title == "关于举办2024年南岭县科技活动周的通知"
    assert draft.addressees == ["各乡镇人民政府", "县直各有关单位"]
    assert (draft.start_date, draft.end_date) == (dt.date(2024, 5, 18), dt.date(2024, 5, 24))
    assert draft.theme == "热爱科学 崇尚科学"
    assert _activities(draft) == [
        (1, "科普知识进社区", ["县科协"], ["各乡镇人民政府"]),
        (2, "青少年科技创新成果展", ["县教育局"], ["县科技局", "县科协"]),
    ]
    assert _deadlines(draft) == [("2024-05-28", "final_report", "活动总结及照片")]
    assert (draft.contact.person, draft.contact.phone, draft.contact.email) == (
        "林美华",
        "0771-5123456",
        "nlkj2024@example.cn",
    )
    assert draft.issuers == ["南岭县科学技术局", "县科协"]
    assert _codes(draft)[0] == "text_converted"


def test_it_strips_web_page_residue_and_uses_its_metadata() -> None:
    draft = parse_notice(WEB_NOTICE)
    assert draft.title == "关于举办2024年东湖区科技活动周的通知"
    assert draft.doc_number == "东科字〔2024〕9号"  # from the metadata block's 文号
    assert draft.issue_date == dt.date(2024, 5, 6)  # 成文日期: the page has no signature
    assert draft.metadata["浏览次数"] == "1287" and draft.metadata["发布机构"] == "东湖区科学技术局"
    assert draft.addressees == ["各街道办事处", "区直各有关单位"]
    assert draft.issuers == ["东湖区科学技术局", "区委宣传部", "区科协"]
    assert (draft.start_date, draft.end_date) == (dt.date(2024, 5, 18), dt.date(2024, 5, 24))
    assert draft.theme == "科普点亮生活"
    assert _activities(draft) == [
        (1, "科普惠民集市", ["区科协"], ["各街道办事处", "区卫健局", "区市场监管局"]),
        (2, "“院士专家进社区”报告会", ["区科技局"], []),
    ]
    assert draft.activities[0].starts_at == dt.date(2024, 5, 18)
    assert _deadlines(draft) == [("2024-05-15", "staff", "参与活动的工作人员姓名及手机号")]
    assert draft.min_activities_per_unit == 1
    assert (draft.contact.person, draft.contact.phone) == ("刘畅", "027-88776655")
    assert _codes(draft) == ["web_residue_removed", "missing_issue_date"]
    assert all(w.severity == "info" for w in draft.warnings)
    for residue in ("浏览次数", "打印本页", "扫一扫", "上一篇", "首页"):
        assert residue not in draft.to_json()["sources"].get("title", "")


def test_it_reads_a_forwarding_notice_and_the_notice_it_forwards() -> None:
    draft = parse_notice(FORWARDING_NOTICE)
    assert draft.kind == "forwarding"
    assert draft.title == "关于转发《关于举办2024年全国科技活动周的通知》的通知"
    assert draft.year == 2024
    assert draft.issue_date == dt.date(2024, 4, 29)
    assert draft.issuers == ["宁安市科学技术局"]
    assert [(r.title, r.doc_number, r.issued_by) for r in draft.references] == [
        ("关于举办2024年全国科技活动周的通知", "国科函才〔2024〕38号", ["科技部", "中央宣传部", "中国科协"]),
    ]
    # the week, theme and activities are the forwarded notice's
    assert (draft.start_date, draft.end_date) == (dt.date(2024, 5, 25), dt.date(2024, 6, 1))
    assert draft.theme == "科技创新 强国有我"
    assert draft.content_themes == ["展示科技创新成就", "开展群众性科普活动"]
    assert [a.title for a in draft.activities] == ["科技活动周主场活动", "科技列车行"]
    # the deadlines are the cover letter's; the forwarded notice's own (6月15日, for provinces) are not
    assert _deadlines(draft) == [
        ("2024-05-20T16:00", "activity_plan", "本单位活动安排"),
        ("2024-06-10", "final_report", "工作总结"),
    ]
    assert (draft.contact.person, draft.contact.phone) == ("赵一鸣", "0551-65551234")


def test_it_reads_an_implementation_plan_with_its_leading_group() -> None:
    draft = parse_notice(PLAN_NOTICE)
    assert draft.kind == "plan"
    assert draft.title == "柳河县2025年科技活动周实施方案"
    assert draft.year == 2025
    assert (draft.start_date, draft.end_date) == (dt.date(2025, 5, 17), dt.date(2025, 5, 23))
    assert draft.theme == "矢志科技强国 共筑创新未来"
    group = draft.leading_group
    assert group is not None
    assert group.name == "柳河县2025年科技活动周领导小组"
    assert group.office == "县科技局"
    assert [(m.role, m.name, m.position) for m in group.members] == [
        ("组长", "李华", "县人民政府副县长"),
        ("副组长", "赵强", "县科技局局长"),
        ("副组长", "孙丽", "县科协主席"),
        ("成员", "王刚", "县委宣传部副部长"),
        ("成员", "陈静", "县教育局副局长"),
        ("成员", "吴磊", "县农业农村局副局长"),
    ]
    assert _activities(draft) == [
        (
            1,
            "科技活动周启动暨科普广场活动",
            ["县科技局", "县科协"],
            ["县教育局", "县卫健局", "县气象局", "县融媒体中心"],
        ),
        (2, "科技特派员服务基层行", ["县科技局"], ["各乡镇"]),
        (3, "青少年科普研学", ["县教育局"], ["县科协"]),
    ]
    assert draft.activities[0].starts_at == dt.datetime(2025, 5, 17, 8, 30)
    assert [(due, kind) for due, kind, _ in _deadlines(draft)] == [
        ("2025-05-12", "staff"),
        ("2025-05-26T17:30", "final_report"),
    ]
    assert draft.max_video_minutes == 3
    assert "missing_issue_date" not in _codes(draft)  # a plan has no signature date to miss
    assert "missing_contact" in _codes(draft)


def test_it_reports_skipped_numbering_and_missing_fields() -> None:
    draft = parse_notice(SHORT_NOTICE, close_of_business=dt.time(17, 0))
    assert (draft.start_date, draft.end_date) == (dt.date(2024, 5, 25), dt.date(2024, 6, 1))
    assert draft.theme is None
    assert draft.activities == []
    assert _deadlines(draft) == [
        ("2024-05-22T17:00", "activity_plan", "活动计划"),  # 下午下班前 at the configured 17:00
        ("2024-06-05", "final_report", "总结"),
    ]
    assert draft.deadlines[0].close_of_business is True
    assert draft.issuers == ["青山县科学技术协会"]
    assert draft.contact.phone == "0558-1234567"
    assert _codes(draft) == [
        "numbering_out_of_order",
        "date_without_year",
        "missing_theme",
        "missing_activities",
    ]
    assert "三、" in draft.warnings[0].message


def test_it_gives_every_sample_a_source_for_what_it_found() -> None:
    for text in (CITY_NOTICE, FLAT_NOTICE, TRADITIONAL_NOTICE, WEB_NOTICE, FORWARDING_NOTICE, PLAN_NOTICE):
        draft = parse_notice(text)
        assert draft.sources["title"] == draft.title
        assert draft.sources["start_date"] and draft.sources["theme"]
        assert all(a.source for a in draft.activities)
        assert all(d.source for d in draft.deadlines)
        assert "internal_error" not in draft.warning_codes()
