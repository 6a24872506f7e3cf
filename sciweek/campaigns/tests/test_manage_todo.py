"""The organizer lands on /manage/ and sees the current campaign's to-do, each a link."""

from __future__ import annotations

import pytest

from sciweek.core import clock
from sciweek.demo import phases
from sciweek.demo.loader import load_demo

pytestmark = pytest.mark.django_db


@pytest.fixture
def full_demo(settings):
    settings.DEMO_MODE = True
    loaded = load_demo(full=True)
    yield loaded
    clock.forget()


def test_the_landing_lists_what_waits_for_the_organizer(full_demo, client_for):
    from django.contrib.auth import get_user_model

    organizer = get_user_model().objects.get(username="sx-kjj")
    c = client_for(organizer)
    phases.jump("prepare", actor=organizer)
    body = c.get("/manage/").content.decode()
    campaign = full_demo.campaign
    assert "今日待办" in body and campaign.title in body
    # 5月19日: the publicity deadline (5月18日) has passed; 13 units asked, 3 sent (one late), 10 missing.
    assert "已逾期：报送宣传内容及工作人员姓名、手机号" in body and "10家单位（共13家）尚未完成" in body
    assert f'href="/manage/campaigns/{campaign.pk}/?show=overdue#matrix"' in body
    assert "待审核的统计表" not in body  # no unit has sent its table yet (the demo data follows the phase)
    # 总结上报 (5月30日 15:00): the final report is due within hours, not yet overdue; two tables wait.
    phases.jump("report", actor=organizer)
    body = c.get("/manage/").content.decode()
    assert "即将截止：报送活动总结、开展情况统计表、影像及媒体报道资料" in body
    assert "待审核的统计表" in body and f'href="/reports/{campaign.pk}/review/?status=submitted"' in body
    phases.jump("after", actor=organizer)
    body = c.get("/manage/").content.decode()
    assert "已逾期：报送活动总结、开展情况统计表、影像及媒体报道资料" in body


def test_a_unit_reporter_cannot_open_it(demo, client_for, qxj):
    assert client_for(qxj).get("/manage/").status_code == 403


def test_the_matrix_filters_counts_reminds_and_exports(full_demo, client_for):
    import io

    from django.contrib.auth import get_user_model
    from openpyxl import load_workbook

    from sciweek.core.models import Notification
    from sciweek.orgs.models import OrgUnit

    organizer = get_user_model().objects.get(username="sx-kjj")
    c = client_for(organizer)
    phases.jump("prepare", actor=organizer)
    campaign = full_demo.campaign
    url = f"/manage/campaigns/{campaign.pk}/"
    everything = c.get(url).content.decode()
    overdue = c.get(url + "?show=overdue").content.decode()
    assert "已登记联系人" in everything and "3 / 13" in everything and "逾期10" in everything
    assert "示例镇一" in everything and "示例镇一" not in overdue  # towns owe no publicity
    assert "县教体局" in overdue and "县科协</a>" not in overdue  # 县科协 sent on time
    # 催报 to a unit with something missing.
    jtj, kx = OrgUnit.objects.get(short_name="县教体局"), OrgUnit.objects.get(short_name="县科协")
    r = c.post(url + "remind/", {"unit": [jtj.pk], "note": "请今天下班前报送", "show": "overdue"})
    assert r.status_code == 302
    note = Notification.objects.get(unit=jtj, title__startswith="催报")
    assert "报送宣传内容及工作人员姓名、手机号（已逾期）" in note.body and "请今天下班前报送" in note.body
    # A unit that has done everything is skipped: 县科协 after the week (its table approved on 5月28日; on
    # 5月19日 the demo has it not yet started, as the data follows the phase).
    phases.jump("after", actor=organizer)
    assert c.post(url + "remind/", {"unit": [kx.pk], "note": "", "show": ""}).status_code == 302
    assert not Notification.objects.filter(unit=kx, title__startswith="催报").exists()
    phases.jump("prepare", actor=organizer)
    # The not-done list as xlsx and as a printable 通报.
    x = c.get(url + "not-done.xlsx")
    ws = load_workbook(io.BytesIO(x.content)).active
    rows = [[cell.value for cell in row] for row in ws.iter_rows()]
    assert [
        "泗县教育体育局" in str(row[0]) and row[4] == "已逾期" for row in rows if row[1] and "宣传" in row[1]
    ]
    assert any(row[0] and "教体局" in row[0] and row[4] == "已逾期" for row in rows[2:])
    printed = c.get(url + "not-done/").content.decode()
    assert "各单位任务完成情况的通报" in printed and "截至2023年5月19日" in printed


def test_the_campaign_page_charts_events_participation_and_completion(full_demo, client_for):
    import json
    import re

    from django.contrib.auth import get_user_model

    organizer = get_user_model().objects.get(username="sx-kjj")
    phases.jump("after", actor=organizer)
    body = client_for(organizer).get(f"/manage/campaigns/{full_demo.campaign.pk}/").content.decode()
    assert "vendor/echarts/echarts.min.js" in body and "sciweek/charts.js" in body
    raw = re.search(r'<script id="campaign-charts" type="application/json">(.*?)</script>', body, re.S).group(
        1
    )
    charts = {c["id"]: c for c in json.loads(raw)}
    assert set(charts) >= {"by-category", "by-audience", "by-mode", "by-day", "participation", "completion"}
    mode = dict(zip(charts["by-mode"]["categories"], charts["by-mode"]["series"][0]["data"], strict=True))
    assert (mode["线上"], mode["线上线下同步"], sum(mode.values())) == (3, 1, 10)
    assert sum(charts["by-day"]["series"][0]["data"]) >= 10 and len(charts["by-day"]["categories"]) == 12
    offline = next(s for s in charts["participation"]["series"] if s["name"] == "线下参与（活动记录）")
    assert offline["data"][0] == 30  # 5月20日: the weather open day's 30 people
    lines = {s["name"]: s["data"] for s in charts["completion"]["series"]}
    publicity = next(v for k, v in lines.items() if k.startswith("报送宣传内容"))
    assert publicity[-1] == 3 and max(publicity) == 3  # three units sent publicity, one after the deadline
    final = next(v for k, v in lines.items() if k.startswith("报送活动总结"))
    # approved, two submitted, one returned (the statistics part), and the units the summary part reports for
    assert final[-1] >= 4


def test_every_campaign_card_opens_for_the_organizer_who_sees_it(settings, client_for):
    """sx-kjj sees 宿州市's campaign (泗县 sends its summary up there) but is no bureau member of it: its
    card led to the city's dashboard, which answered 403. Every card must open a page for them."""
    import re

    from django.contrib.auth import get_user_model

    settings.DEMO_MODE = True
    loaded = load_demo(only={"活动总结与上报"})
    try:
        organizer = get_user_model().objects.get(username="sx-kjj")
        c = client_for(organizer)
        body = c.get("/manage/").content.decode()
        assert "2023年宿州市科技活动周" in body
        cards = re.findall(r'<a class="card[^"]*" href="([^"]+)"', body)
        assert len(cards) == 2
        assert f"/manage/campaigns/{loaded.campaign.pk}/" in cards  # its own campaign: the dashboard
        for href in cards:
            assert c.get(href).status_code == 200, href
    finally:
        clock.forget()


def test_the_audit_log_link_shows_only_to_who_may_read_it(demo, client_for, organizer, province):
    """ah-kjt (the province, a viewer) was shown 操作日志 on /manage/ and got a 403 from it."""
    body = client_for(province).get("/manage/").content.decode()
    assert 'href="/manage/audit/"' not in body
    assert client_for(province).get("/manage/audit/").status_code == 403
    body = client_for(organizer).get("/manage/").content.decode()
    assert 'href="/manage/audit/"' in body
    assert client_for(organizer).get("/manage/audit/").status_code == 200


def test_the_landing_links_the_audit_log_only_for_those_who_may_open_it(demo, client_for, organizer, xcb):
    """The audit log is the organizers' and reviewers' (orgs.views.workbench.audit_list): a co-organizer
    was shown 操作日志 on /manage/ and got 403."""
    import re

    for user, shown in ((organizer, True), (xcb, False)):
        c = client_for(user)
        body = c.get("/manage/").content.decode()
        assert ('href="/manage/audit/"' in body) is shown, user.username
        for link in set(re.findall(r'href="(/manage/(?:audit|units)/[^"#?]*)"', body)):
            assert c.get(link).status_code == 200, (user.username, link)
