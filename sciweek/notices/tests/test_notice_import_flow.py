"""The organizer imports the 2023 泗县 notice (the seed) as .txt and as .docx, reviews it and creates the
campaign on the demo unit tree (the demo campaign removed first)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from sciweek.campaigns.models import Campaign, NoticeImport
from sciweek.core.models import AuditEvent
from sciweek.demo import seed as demo_data  # the one copy of the notice's unit lists
from sciweek.orgs.models import OrgUnit, UnitKind
from sciweek.reports.formspec import SIXIAN_2023_FORM

from .notice_import_pages import find_index, form_data, seed_bytes, seed_docx, values
from .notice_samples import OWN_NOTICES

# The demo's tree: the notice's collective names resolve to its sample towns and societies.
SOCIETIES = {name for name, _ in demo_data.SAMPLE_SOCIETIES}
TOWNS = {name for name, _ in demo_data.SAMPLE_TOWNS}


@pytest.fixture
def tree(demo):
    """The demo's unit tree without its campaign: the notice creates the campaign."""
    demo.campaign.delete()
    return demo


def upload(client, name: str, data: bytes):
    return client.post(
        "/manage/notices/import/", {"file": SimpleUploadedFile(name, data), "close_of_business": "17:30"}
    )


def review_page(client, name: str = "关于举办2023年科技活动周的通知.txt", data: bytes | None = None):
    r = upload(client, name, seed_bytes() if data is None else data)
    assert r.status_code == 302, r.content.decode()[:2000]
    url = r["Location"]
    page = client.get(url)
    assert page.status_code == 200
    return url, page.content.decode()


def short(units) -> set[str]:
    return {u.short_name or u.name for u in units}


def aware(*args: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime(*args))


def assert_seed_campaign(campaign: Campaign) -> None:
    assert campaign.status == Campaign.Status.DRAFT
    assert campaign.title == "2023年泗县科技活动周"
    assert (campaign.year, campaign.start_date, campaign.end_date) == (
        2023,
        dt.date(2023, 5, 20),
        dt.date(2023, 5, 31),
    )
    assert campaign.theme == "热爱科学 崇尚科学"
    assert campaign.issue_date == dt.date(2023, 5, 15)
    assert short(campaign.issuers.all()) == {"县科技局", "县委宣传部", "县科协"}
    assert "国科函才〔2023〕65号" in campaign.references[0]
    assert (campaign.contact_person, campaign.contact_phone, campaign.contact_email) == (
        "陈曦",
        "7022310",
        "sxkjj7022310@163.com",
    )
    assert campaign.max_video_minutes == 3
    assert "热爱科学 崇尚科学" in campaign.notice_text and "开展情况统计表" in campaign.notice_text

    themes = list(campaign.content_themes.all())
    assert [t.title for t in themes] == [
        "突出宣传贯彻党的二十大精神",
        "深入宣传《关于新时代进一步加强科学技术普及工作的意见》精神",
        "大力弘扬科学家精神",
        "广泛开展面向公众的特色科技活动",
    ]
    assert themes[3].body.startswith("广泛开展面向公众的特色科技活动。相关部门要因地制宜")

    acts = {a.number: a for a in campaign.activities.all()}
    assert sorted(acts) == [1, 2, 3, 4, 5, 6]
    towns = {u.name for u in OrgUnit.objects.filter(kind=UnitKind.TOWN)}
    assert towns == TOWNS
    departments = short(OrgUnit.objects.filter(kind=UnitKind.DEPARTMENT))
    collective = {
        demo_data.TOWNS: TOWNS,
        demo_data.SOCIETIES: SOCIETIES,
        demo_data.ALL_DEPARTMENTS: departments,
    }

    def resolved(units: list[str]) -> set[str]:
        return set().union(*(collective.get(u, {u}) for u in units))

    expected = {a.number: (resolved(a.lead), resolved(a.cooperate)) for a in demo_data.ACTIVITIES}
    for number, (lead, coop) in expected.items():
        assert short(acts[number].lead_units.all()) == lead, number
        assert short(acts[number].cooperating_units.all()) == coop, number
    # 县自然资源规划局（林业局） is the registry's 泗县自然资源和规划局; 县直各学会 is the group's societies.
    assert acts[1].cooperating_units.filter(name="泗县自然资源和规划局").exists()
    assert acts[6].cooperating_text == "县融媒体中心、泗县发布、县科技局、县科协等"
    assert acts[5].lead_text == "各镇（街道）、经济开发区（泗涂产业园）、县直有关单位"
    assert acts[1].schedule_note == "另行通知" and acts[1].starts_at is None
    assert acts[3].title == "举办青少年科技创新大赛"

    reqs = list(campaign.requirements.order_by("due_at"))
    assert [(r.kind, timezone.localtime(r.due_at)) for r in reqs] == [
        ("publicity", aware(2023, 5, 18, 23, 59)),
        ("final_report", aware(2023, 5, 30, 17, 30)),
        ("min_events", aware(2023, 5, 31, 23, 59)),
    ]
    publicity, final, minimum = reqs
    assert short(publicity.applies_to.all()) == set(demo_data.PUBLICITY_UNITS)
    assert final.due_is_close_of_business and not final.applies_to.exists()
    assert "5月30日下午下班前" in final.description and "5月30日前" in final.description
    assert (minimum.min_count, minimum.target_count) == (1, 2)

    form = campaign.forms.get()
    rows = list(form.rows.order_by("order"))
    assert len(rows) == 16
    assert [r.code for r in rows] == list(SIXIAN_2023_FORM.codes)
    assert [(r.label, r.unit) for r in rows][:2] == [
        ("举办活动次数", "次"),
        ("县级(单位)财政经费投入情况", "万元"),
    ]
    assert rows[1].value_type == "decimal" and rows[0].value_type == "int"
    assert form.title == "2023年全县科技活动周开展情况统计表"


def test_it_imports_the_seed_as_text_and_creates_the_campaign(client_for, organizer, tree):
    c = client_for(organizer)
    url, html = review_page(c)
    # Warnings on top, each with its severity.
    assert 'data-warning="report_before_end"' in html and 'data-warning="deadline_conflict"' in html
    assert 'data-warning="numbering_mixed"' in html and "一级标题编号格式不统一" in html
    assert "早于活动周结束日期2023年5月31日" in html
    assert html.index('id="warnings"') < html.index('id="basics"')
    # Values beside the sentence they came from.
    assert "5月30日下午下班前" in html and "2023年5月20日至31日。" in html
    assert "县自然资源规划局（林业局） → 县自然资源规划局（林业局）" in html
    data = form_data(html)
    assert data["title"] == "2023年泗县科技活动周" and data["theme"] == "热爱科学 崇尚科学"
    # The table's "5月30日前" repeats 五.5's deadline: offered, not created by default.
    assert "dl-2-include" not in data and data["dl-1-include"] == "on"

    r = c.post(url, data)
    assert r.status_code == 302, r.content.decode()[:3000]
    campaign = Campaign.objects.get()
    assert r["Location"] == f"/manage/campaigns/{campaign.pk}/"
    assert_seed_campaign(campaign)
    assert campaign.notice_file.name.startswith("notices/imports/") and campaign.notice_file.name.endswith(
        ".txt"
    )
    with campaign.notice_file.open("rb") as fh:
        assert fh.read() == seed_bytes()
    imp = NoticeImport.objects.get()
    assert imp.status == NoticeImport.Status.CREATED and imp.campaign == campaign
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {
        "notice_import.upload",
        "campaign.create",
        "activity.save",
        "requirement.save",
        "form.create",
        "notice_import.apply",
    } <= actions
    page = c.get(r["Location"]).content.decode()
    assert "已根据通知创建活动周「2023年泗县科技活动周」" in page


def test_it_imports_the_seed_as_a_word_file(client_for, organizer, tree):
    c = client_for(organizer)
    url, html = review_page(c, "通知.docx", seed_docx())
    assert "通知.docx" in html and 'data-warning="deadline_conflict"' in html
    r = c.post(url, form_data(html))
    assert r.status_code == 302, r.content.decode()[:3000]
    campaign = Campaign.objects.get()
    assert_seed_campaign(campaign)
    assert campaign.notice_file.name.endswith(".docx")
    with campaign.notice_file.open("rb") as fh:
        assert fh.read(2) == b"PK"


def test_it_maps_one_unknown_unit_and_creates_another(client_for, organizer, tree):
    OrgUnit.objects.filter(short_name="团县委").update(short_name="")
    OrgUnit.objects.get(short_name="县总工会").delete()
    c = client_for(organizer)
    url, html = review_page(c)
    assert 'id="unmatched"' in html and 'data-warning="units_unmatched"' in html
    assert "团县委 → 未匹配" in html
    data = form_data(html)
    tw = find_index(data, "unm", "name", "团县委")
    zgh = find_index(data, "unm", "name", "县总工会")
    league = OrgUnit.objects.get(name="共青团泗县委员会")
    assert data[f"unm-{tw}-action"] == "map" and data[f"unm-{tw}-unit"] == str(league.pk)  # suggested
    data[f"unm-{zgh}-action"], data[f"unm-{zgh}-kind"] = "create", "department"
    r = c.post(url, data)
    assert r.status_code == 302, r.content.decode()[:3000]
    campaign = Campaign.objects.get()
    coop = short(campaign.activities.get(number=3).cooperating_units.all())
    assert {"共青团泗县委员会", "县总工会"} <= coop
    created = OrgUnit.objects.get(name="县总工会")
    assert created.kind == "department" and created.get_parent().name == "泗县"
    assert league.aliases.filter(name="团县委").exists()  # next year it matches by itself


def test_it_names_the_item_and_field_of_every_error_and_saves_nothing(client_for, organizer, tree):
    OrgUnit.objects.get(short_name="县总工会").delete()
    c = client_for(organizer)
    url, html = review_page(c)
    data = form_data(html)
    act3 = find_index(data, "act", "number", "3")
    data.pop(f"act-{act3}-lead_units")
    data["theme"] = ""
    zgh = find_index(data, "unm", "name", "县总工会")
    data[f"unm-{zgh}-action"] = ""
    r = c.post(url, data)
    body = r.content.decode()
    assert r.status_code == 400
    assert "主要活动 3「牵头单位」：请至少选择一个牵头单位。" in body
    assert "基本信息「活动主题」：请填写活动主题。" in body
    assert "未匹配单位「县总工会」「处理方式」" in body
    assert not Campaign.objects.exists()
    # The page keeps what the organizer typed.
    again = form_data(body)
    assert again["theme"] == "" and f"act-{act3}-lead_units" not in again


def test_it_rolls_everything_back_when_a_service_refuses_a_late_step(client_for, organizer, tree):
    OrgUnit.objects.get(short_name="县总工会").delete()
    c = client_for(organizer)
    url, html = review_page(c)
    data = form_data(html)
    zgh = find_index(data, "unm", "name", "县总工会")
    data[f"unm-{zgh}-action"], data[f"unm-{zgh}-kind"] = "create", "department"
    data["dl-0-due_at"] = "2021-05-18T23:59"  # two years off: the requirement service refuses it
    r = c.post(url, data)
    body = r.content.decode()
    assert r.status_code == 400
    assert "截止时间 1「报送宣传内容和具体工作人员姓名、手机号」「截止时间」：截止时间 2021年5月18日" in body
    assert not Campaign.objects.exists()
    assert not OrgUnit.objects.filter(name="县总工会").exists()  # the unit created first was rolled back
    assert NoticeImport.objects.get().status == NoticeImport.Status.DRAFT


def test_it_refuses_to_create_twice_from_one_import(client_for, organizer, tree):
    c = client_for(organizer)
    url, html = review_page(c)
    data = form_data(html)
    assert c.post(url, data).status_code == 302
    r = c.post(url, data)
    assert r.status_code == 409
    assert "此通知已经创建过活动周，不能重复创建。" in r.content.decode()
    assert Campaign.objects.count() == 1
    page = c.get(url).content.decode()
    assert "此通知已创建活动周" in page and "创建活动周（草稿）" not in page


def test_it_lets_the_organizer_edit_before_creating(client_for, organizer, tree):
    c = client_for(organizer)
    url, html = review_page(c)
    data = form_data(html)
    data["theme"] = "热爱科学 崇尚创新"
    data["dl-2-include"] = "on"  # also keep the table's own "5月30日前"
    a6 = find_index(data, "act", "number", "6")
    data[f"act-{a6}-include"] = ""
    data.pop(f"act-{a6}-include")
    data["row-16-label"], data["row-16-unit"] = "开展线上直播场次", "场"
    data["row-0-DELETE"] = "on"
    r = c.post(url, data)
    assert r.status_code == 302, r.content.decode()[:3000]
    campaign = Campaign.objects.get()
    assert campaign.theme == "热爱科学 崇尚创新"
    assert campaign.activities.count() == 5
    assert campaign.requirements.count() == 4
    rows = list(campaign.forms.get().rows.order_by("order"))
    assert len(rows) == 16 and rows[0].code == "fund_fiscal"
    assert (rows[-1].code, rows[-1].label, rows[-1].unit) == ("row_16", "开展线上直播场次", "场")
    assert values(data, "issuers")


def test_it_accepts_pasted_text(client_for, organizer, tree):
    c = client_for(organizer)
    r = c.post("/manage/notices/import/", {"text": seed_bytes().decode(), "close_of_business": "18:00"})
    assert r.status_code == 302
    page = c.get(r["Location"]).content.decode()
    assert "粘贴的通知全文" in page
    data = form_data(page)
    assert data["close_of_business"] == "18:00" and data["dl-1-due_at"] == "2023-05-30T18:00"
    assert c.post(r["Location"], data).status_code == 302
    final = Campaign.objects.get().requirements.get(kind="final_report")
    assert timezone.localtime(final.due_at) == aware(2023, 5, 30, 18, 0)
    assert not Campaign.objects.get().notice_file


def test_it_discards_an_import(client_for, organizer, tree):
    c = client_for(organizer)
    url, _ = review_page(c)
    token = url.split("/")[-3]
    r = c.post(f"/manage/notices/{token}/discard/", follow=True)
    assert "已放弃此次导入。" in r.content.decode()
    r = c.post(url, {})
    assert r.status_code == 409 and "此通知导入已放弃，请重新上传。" in r.content.decode()


@pytest.mark.parametrize("key", sorted(OWN_NOTICES))
def test_it_reviews_other_notices_and_creates_or_names_what_is_missing(client_for, organizer, tree, key):
    """Notices of other shapes (a city's, one line, traditional script, a web page, a forwarding, a plan, a
    short one): the review always renders; with every unknown unit left out it creates the campaign, or says
    by name what is missing. Never a server error."""
    c = client_for(organizer)
    r = c.post("/manage/notices/import/", {"text": OWN_NOTICES[key], "close_of_business": "17:30"})
    assert r.status_code == 302
    html = c.get(r["Location"]).content.decode()
    data = form_data(html)
    for i in range(int(data["unm-TOTAL_FORMS"])):
        data[f"unm-{i}-action"] = "skip"
    for i in range(int(data["act-TOTAL_FORMS"])):  # units unknown to 泗县: lead by the bureau itself
        if not values(data, f"act-{i}-lead_units"):
            data[f"act-{i}-lead_units"] = str(OrgUnit.objects.get(short_name="县科技局").pk)
    result = c.post(r["Location"], data)
    assert result.status_code in (302, 400), key
    if result.status_code == 400:
        body = result.content.decode()
        assert "未能创建活动周" in body and ("基本信息「" in body or "截止时间 " in body), key
        assert not Campaign.objects.exists()
    else:
        assert Campaign.objects.get().activities.count() == int(data["act-TOTAL_FORMS"])


def test_it_shows_a_city_notice_with_times_and_places(client_for, organizer, tree):
    c = client_for(organizer)
    r = c.post("/manage/notices/import/", {"text": OWN_NOTICES["city"], "close_of_business": "17:30"})
    html = c.get(r["Location"]).content.decode()
    data = form_data(html)
    first = find_index(data, "act", "number", "1")
    assert data[f"act-{first}-starts_at"] == "2024-05-25T09:30"
    assert "云川市科技馆" in data[f"act-{first}-venue"]
    assert (
        'id="unmatched"' in html and "市科技局" in html
    )  # another region's units: for the organizer to decide


def test_it_names_what_a_notice_without_dates_or_theme_lacks(client_for, organizer, tree):
    c = client_for(organizer)
    r = c.post(
        "/manage/notices/import/",
        {"text": "关于做好有关工作的通知\n请各单位认真落实。", "close_of_business": "17:30"},
    )
    url = r["Location"]
    html = c.get(url).content.decode()
    assert 'data-warning="missing_dates"' in html and 'data-warning="missing_theme"' in html
    r = c.post(url, form_data(html))
    body = r.content.decode()
    assert r.status_code == 400
    assert (
        "基本信息「开始日期」：请填写开始日期。" in body and "基本信息「活动主题」：请填写活动主题。" in body
    )


def test_it_refuses_a_tampered_form_by_name(client_for, organizer, tree):
    c = client_for(organizer)
    url, html = review_page(c)
    r = c.post(url, {})
    assert r.status_code == 400 and "页面数据不完整，请刷新后重新审核。" in r.content.decode()
    data = form_data(html)
    outside = OrgUnit.objects.get(name="宿州市")  # above the county: not a choice on this page
    data["act-0-lead_units"] = [str(outside.pk)]
    r = c.post(url, data)
    body = r.content.decode()
    assert r.status_code == 400 and "主要活动 1「牵头单位」：" in body
    assert not Campaign.objects.exists()
